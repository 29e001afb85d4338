#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cplink::crypto {

// SHA-256 of the bytes as lowercase hex (64 characters): how the relay, the client store and the
// evidence export name a file's content.
std::string sha256Hex(std::string_view bytes);

// Incremental form for streams.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    std::string finishHex();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace cplink::crypto
