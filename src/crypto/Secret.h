#pragma once

#include <string>
#include <string_view>

namespace cplink::crypto {

// A password or passphrase. Wiped from memory when destroyed; not printable (no operator<<), so it
// cannot end up in a log line or an exception message by accident.
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : m_value(std::move(value)) {}
    ~Secret();
    Secret(const Secret& other) : m_value(other.m_value) {}
    Secret& operator=(const Secret& other);
    Secret(Secret&& other) noexcept;
    Secret& operator=(Secret&& other) noexcept;

    std::string_view view() const { return m_value; }
    const char* c_str() const { return m_value.c_str(); }
    int size() const { return static_cast<int>(m_value.size()); }
    bool empty() const { return m_value.empty(); }

private:
    void wipe() noexcept;
    std::string m_value;
};

// A password file: the first line, without its line ending (files written by `echo` or editors end in
// a newline that is not part of the password). Throws CryptoError(Io).
Secret readPasswordFile(const std::string& path);

} // namespace cplink::crypto
