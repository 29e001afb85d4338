#pragma once

#include <openssl/cms.h>
#include <optional>
#include <string>

namespace cplink::crypto {

// What a message is, signed by its sender (DESIGN.md §4): the id fixed when the file was queued, the
// two offices and the original file name. The recipient checks that the signed recipient is itself
// (no surreptitious forwarding) and saves the file under the signed name.
struct MessageIdentity {
    std::string messageId;
    std::string senderOffice;
    std::string recipientOffice;
    std::string fileName;

    bool operator==(const MessageIdentity&) const = default;
};

// A new message id: 128 random bits in Crockford base32 (26 characters), unique without coordination,
// safe in file names, URLs and the relay's id rule.
std::string newMessageId();

// The signed attributes carrying it, under CarePlan Link's private OID arc
// 2.25.303803451774213659361163684665850485078 (a UUID OID, ITU-T X.667): .1 message id, .2 sender
// office, .3 recipient office, .4 file name; each value one UTF8String.
void addIdentityAttributes(CMS_SignerInfo* signer, const MessageIdentity& identity);
// All four attributes, each present exactly once with one UTF8String value, or nullopt.
std::optional<MessageIdentity> readIdentityAttributes(const CMS_SignerInfo* signer);

} // namespace cplink::crypto
