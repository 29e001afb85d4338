#include "MessageIdentity.h"

#include "Error.h"
#include "Handles.h"

#include <array>
#include <climits>
#include <openssl/objects.h>
#include <openssl/rand.h>

namespace cplink::crypto {
namespace {

constexpr const char* kArc = "2.25.303803451774213659361163684665850485078";

using Asn1ObjectPtr = Handle<ASN1_OBJECT, ASN1_OBJECT_free>;

Asn1ObjectPtr attributeOid(int index) {
    const std::string text = std::string(kArc) + "." + std::to_string(index);
    return Asn1ObjectPtr(check(OBJ_txt2obj(text.c_str(), 1), "OBJ_txt2obj"));
}

void addAttribute(CMS_SignerInfo* signer, int index, const std::string& value) {
    if (value.size() > static_cast<std::size_t>(INT_MAX))
        fail(ErrorCode::Usage, "attribute value too long");
    const auto oid = attributeOid(index);
    check(CMS_signed_add1_attr_by_OBJ(signer, oid.get(), V_ASN1_UTF8STRING, value.data(),
                                      static_cast<int>(value.size())),
          "CMS_signed_add1_attr_by_OBJ");
}

std::optional<std::string> readAttribute(const CMS_SignerInfo* signer, int index) {
    const auto oid = attributeOid(index);
    // Exactly one attribute of this type: a second one could make two readers see different values.
    const int position = CMS_signed_get_attr_by_OBJ(signer, oid.get(), -1);
    if (position < 0 || CMS_signed_get_attr_by_OBJ(signer, oid.get(), position) >= 0)
        return std::nullopt;
    X509_ATTRIBUTE* attribute = CMS_signed_get_attr(signer, position);
    if (!attribute || X509_ATTRIBUTE_count(attribute) != 1)
        return std::nullopt;
    ASN1_TYPE* type = X509_ATTRIBUTE_get0_type(attribute, 0);
    if (!type || type->type != V_ASN1_UTF8STRING)
        return std::nullopt;
    const ASN1_STRING* text = type->value.utf8string;
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                       static_cast<std::size_t>(ASN1_STRING_length(text)));
}

} // namespace

void addIdentityAttributes(CMS_SignerInfo* signer, const MessageIdentity& identity) {
    addAttribute(signer, 1, identity.messageId);
    addAttribute(signer, 2, identity.senderOffice);
    addAttribute(signer, 3, identity.recipientOffice);
    addAttribute(signer, 4, identity.fileName);
}

std::optional<MessageIdentity> readIdentityAttributes(const CMS_SignerInfo* signer) {
    std::array<std::optional<std::string>, 4> values;
    for (int i = 0; i < 4; ++i) {
        values[static_cast<std::size_t>(i)] = readAttribute(signer, i + 1);
        if (!values[static_cast<std::size_t>(i)])
            return std::nullopt;
    }
    return MessageIdentity{*values[0], *values[1], *values[2], *values[3]};
}

std::string newMessageId() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        fail("RAND_bytes");
    static const char* alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    std::string id;
    unsigned int buffer = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            id += alphabet[(buffer >> (bits - 5)) & 31u];
            bits -= 5;
        }
    }
    if (bits > 0)
        id += alphabet[(buffer << (5 - bits)) & 31u];
    return id;
}

} // namespace cplink::crypto
