#include "CmsSplit.h"

#include "Error.h"
#include "Files.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>

namespace cplink::crypto {
namespace {

constexpr std::size_t kMaxStructure = 16u << 20;
constexpr int kMaxDepth = 32;
constexpr std::string_view kEndOfContents{"\0\0", 2};

[[noreturn]] void malformed(const char* what) {
    throw CryptoError(ErrorCode::Malformed, std::string("CMS structure: ") + what);
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// One BER tag-length header as read, with its bytes for copying.
struct Tlv {
    unsigned char tag = 0;
    bool indefinite = false;
    std::uint64_t length = 0;
    std::string header;

    bool constructed() const { return (tag & 0x20) != 0; }
    bool endOfContents() const { return tag == 0 && !indefinite && length == 0; }
    bool contextZero() const { return (tag & 0xDF) == 0x80; } // [0], primitive or constructed
};

// Where a constructed element ends: at an end-of-contents marker, or at a byte position.
struct Frame {
    bool indefinite = false;
    std::uint64_t end = 0;
};

class Splitter {
public:
    Splitter(std::FILE* in, int contentFd) : m_in(in), m_contentFd(contentFd) {}

    std::string run() {
        // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ... }
        const Frame info = open(expect(0x30), "ContentInfo");
        Tlv tlv;
        if (!next(info, tlv) || tlv.tag != 0x06)
            malformed("content type missing");
        copy(tlv, 0);
        if (!next(info, tlv) || tlv.tag != 0xA0)
            malformed("content missing");
        const Frame explicitContent = open(tlv, "[0]");
        // AuthEnvelopedData or SignedData: a SEQUENCE whose first SEQUENCE child holds the content.
        if (!next(explicitContent, tlv) || tlv.tag != 0x30)
            malformed("no AuthEnvelopedData or SignedData");
        const Frame body = open(tlv, "body");
        bool split = false;
        while (next(body, tlv)) {
            if (!split && tlv.tag == 0x30) {
                splitContentInfo(tlv);
                split = true;
            } else {
                copy(tlv, 0);
            }
        }
        if (!split)
            malformed("no content info");
        close(body);
        if (next(explicitContent, tlv))
            malformed("extra element after the content");
        close(explicitContent);
        if (next(info, tlv))
            malformed("extra element in ContentInfo");
        close(info);
        if (std::fgetc(m_in) != EOF)
            malformed("trailing bytes");
        return std::move(m_out);
    }

private:
    int byte() {
        const int c = std::fgetc(m_in);
        if (c == EOF)
            malformed("truncated");
        ++m_pos;
        return c;
    }

    Tlv readTlv() {
        Tlv t;
        const int tag = byte();
        if ((tag & 0x1F) == 0x1F)
            malformed("high tag number");
        t.tag = static_cast<unsigned char>(tag);
        t.header.push_back(static_cast<char>(tag));
        const int first = byte();
        t.header.push_back(static_cast<char>(first));
        if (first == 0x80) {
            if (!t.constructed())
                malformed("indefinite length on a primitive");
            t.indefinite = true;
        } else if (first & 0x80) {
            const int count = first & 0x7F;
            if (count > 8)
                malformed("length too long");
            for (int i = 0; i < count; ++i) {
                const int b = byte();
                t.header.push_back(static_cast<char>(b));
                if (t.length >> 56)
                    malformed("length overflow");
                t.length = (t.length << 8) | static_cast<unsigned>(b);
            }
        } else {
            t.length = static_cast<unsigned>(first);
        }
        return t;
    }

    Tlv expect(unsigned char tag) {
        Tlv t = readTlv();
        if (t.tag != tag)
            malformed("unexpected element");
        return t;
    }

    // Starts a constructed element we rewrite: emitted with an indefinite length.
    Frame open(const Tlv& t, const char* what) {
        if (!t.constructed())
            malformed(what);
        emit(std::string_view(t.header.data(), 1));
        emit(std::string_view("\x80", 1));
        return Frame{t.indefinite, t.indefinite ? 0 : m_pos + t.length};
    }

    void close(const Frame& f) {
        if (!f.indefinite && m_pos != f.end)
            malformed("length mismatch");
        emit(kEndOfContents);
    }

    // The next child of a constructed element, or false at its end.
    bool next(const Frame& f, Tlv& t) {
        if (f.indefinite) {
            t = readTlv();
            return !t.endOfContents();
        }
        if (m_pos == f.end)
            return false;
        if (m_pos > f.end)
            malformed("child overruns its parent");
        t = readTlv();
        if (!t.indefinite && m_pos + t.length > f.end)
            malformed("child overruns its parent");
        return true;
    }

    // Copies a whole element (header read already) into the small part.
    void copy(const Tlv& t, int depth) {
        if (depth > kMaxDepth)
            malformed("nested too deeply");
        emit(t.header);
        if (!t.indefinite) {
            if (t.length > kMaxStructure)
                malformed("element too large");
            std::string bytes(static_cast<std::size_t>(t.length), '\0');
            if (!bytes.empty() && std::fread(bytes.data(), 1, bytes.size(), m_in) != bytes.size())
                malformed("truncated");
            m_pos += t.length;
            emit(bytes);
            return;
        }
        Tlv child;
        while (!(child = readTlv()).endOfContents())
            copy(child, depth + 1);
        emit(kEndOfContents);
    }

    // EncryptedContentInfo / EncapsulatedContentInfo: everything but the [0] content is copied.
    void splitContentInfo(const Tlv& t) {
        const Frame f = open(t, "content info");
        Tlv child;
        bool found = false;
        while (next(f, child)) {
            if (!found && child.contextZero()) {
                streamOctets(child, 0);
                found = true;
            } else {
                copy(child, 0);
            }
        }
        close(f);
    }

    // The bytes of an OCTET STRING in any BER form: primitive, or constructed from pieces (which
    // is how streamed CMS writes it), possibly under an explicit [0].
    void streamOctets(const Tlv& t, int depth) {
        if (depth > kMaxDepth)
            malformed("nested too deeply");
        if (!t.constructed()) {
            std::uint64_t left = t.length;
            char buffer[1 << 16];
            while (left > 0) {
                const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, sizeof buffer));
                if (std::fread(buffer, 1, n, m_in) != n)
                    malformed("truncated");
                m_pos += n;
                left -= n;
                writeContent(buffer, n);
            }
            return;
        }
        const Frame f{t.indefinite, t.indefinite ? 0 : m_pos + t.length};
        Tlv child;
        while (next(f, child)) {
            if ((child.tag & 0xDF) != 0x04)
                malformed("content is not an OCTET STRING");
            streamOctets(child, depth + 1);
        }
        if (!f.indefinite && m_pos != f.end)
            malformed("length mismatch");
    }

    void writeContent(const char* data, std::size_t n) {
        while (n > 0) {
            const ssize_t w = ::write(m_contentFd, data, n);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                throw CryptoError(ErrorCode::Io,
                                  std::string("cannot write content: ") + std::strerror(errno));
            }
            data += w;
            n -= static_cast<std::size_t>(w);
        }
    }

    void emit(std::string_view bytes) {
        if (m_out.size() + bytes.size() > kMaxStructure)
            malformed("structure too large");
        m_out.append(bytes);
    }

    std::FILE* m_in;
    int m_contentFd;
    std::uint64_t m_pos = 0;
    std::string m_out;
};

} // namespace

std::string splitContent(const std::string& path, int contentFd) {
    std::unique_ptr<std::FILE, FileCloser> in(std::fopen(path.c_str(), "rb"));
    if (!in)
        throw CryptoError(ErrorCode::Io, "cannot open " + path + ": " + std::strerror(errno));
    return Splitter(in.get(), contentFd).run();
}

} // namespace cplink::crypto
