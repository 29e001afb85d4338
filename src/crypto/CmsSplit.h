#pragma once

#include <string>

namespace cplink::crypto {

// OpenSSL decodes a CMS structure whole, so a 50 MB envelope costs its size several times over in
// memory. This splits a ContentInfo stored in a file — an AuthEnvelopedData or a SignedData — into
// its small part and its content: the content's bytes (the encryptedContent, or the eContent) are
// streamed to `contentFd`, and the returned structure is the rest, re-encoded with indefinite lengths
// where the content was taken out (BER: the content is then "detached"). OpenSSL then processes the
// structure with the content supplied as a detached stream.
//
// Reads the file once, in order. Throws CryptoError(Malformed) on anything that is not BER of that
// shape: bad lengths, deeper than 32 levels, a small part over 16 MiB, trailing bytes.
std::string splitContent(const std::string& path, int contentFd);

} // namespace cplink::crypto
