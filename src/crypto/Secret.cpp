#include "Secret.h"

#include "Files.h"

#include <openssl/crypto.h>

namespace cplink::crypto {

Secret::~Secret() {
    wipe();
}

Secret& Secret::operator=(const Secret& other) {
    if (this != &other) {
        wipe();
        m_value = other.m_value;
    }
    return *this;
}

Secret::Secret(Secret&& other) noexcept : m_value(other.m_value) {
    other.wipe();
}

Secret& Secret::operator=(Secret&& other) noexcept {
    if (this != &other) {
        wipe();
        m_value = other.m_value;
        other.wipe();
    }
    return *this;
}

// Copies instead of moves above: a moved-from std::string may keep (or hand over) a buffer we could no
// longer wipe. Wiping the whole capacity also covers short-string storage.
void Secret::wipe() noexcept {
    if (m_value.capacity() > 0)
        OPENSSL_cleanse(m_value.data(), m_value.capacity());
    m_value.clear();
}

Secret readPasswordFile(const std::string& path) {
    Secret contents(readFile(path));
    const std::string_view text = contents.view();
    const std::size_t end = text.find_first_of("\r\n");
    return Secret(std::string(text.substr(0, end)));
}

} // namespace cplink::crypto
