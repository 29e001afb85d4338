#pragma once

// Owning handles for every OpenSSL object the crypto layer touches: one std::unique_ptr alias per type,
// each with the type's own free function. Nothing in src/crypto holds a raw owning pointer; a handle is
// released on every path, including exceptions.
#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace cplink::crypto {

namespace detail {
// A stateless deleter calling the given free function, so the handle is the size of a pointer.
template <typename T, auto Free> struct Deleter {
    void operator()(T* p) const noexcept { Free(p); }
};
// Stacks free their elements too (sk_X509_pop_free); the plain stack free would leak them.
inline void freeX509Stack(STACK_OF(X509) * s) noexcept {
    sk_X509_pop_free(s, X509_free);
}
inline void freeOpenSslString(char* s) noexcept {
    OPENSSL_free(s);
}
inline void freeOpenSslBytes(unsigned char* s) noexcept {
    OPENSSL_free(s);
}
inline void unloadProvider(OSSL_PROVIDER* p) noexcept {
    OSSL_PROVIDER_unload(p);
}
} // namespace detail

template <typename T, auto Free> using Handle = std::unique_ptr<T, detail::Deleter<T, Free>>;

using X509Ptr = Handle<X509, X509_free>;
using X509StackPtr = Handle<STACK_OF(X509), detail::freeX509Stack>;
using X509NamePtr = Handle<X509_NAME, X509_NAME_free>;
using X509ReqPtr = Handle<X509_REQ, X509_REQ_free>;
using X509ExtensionPtr = Handle<X509_EXTENSION, X509_EXTENSION_free>;
using X509CrlPtr = Handle<X509_CRL, X509_CRL_free>;
using X509RevokedPtr = Handle<X509_REVOKED, X509_REVOKED_free>;
using X509StorePtr = Handle<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = Handle<X509_STORE_CTX, X509_STORE_CTX_free>;
using EvpPkeyPtr = Handle<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = Handle<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using BioPtr = Handle<BIO, BIO_free_all>;
using Pkcs12Ptr = Handle<PKCS12, PKCS12_free>;
using Pkcs8InfoPtr = Handle<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>;
using X509SigPtr = Handle<X509_SIG, X509_SIG_free>;
using X509AlgorPtr = Handle<X509_ALGOR, X509_ALGOR_free>;
using BignumPtr = Handle<BIGNUM, BN_free>;
using Asn1IntegerPtr = Handle<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1TimePtr = Handle<ASN1_TIME, ASN1_TIME_free>;
using OpenSslStringPtr = Handle<char, detail::freeOpenSslString>;
using OpenSslBytesPtr = Handle<unsigned char, detail::freeOpenSslBytes>;
using ProviderPtr = Handle<OSSL_PROVIDER, detail::unloadProvider>;

// A read-only OpenSSL object with shared ownership: a copy takes a reference (X509_up_ref and
// friends), the last owner frees it. Certificates and CRLs are passed around and kept in lists freely.
template <typename T, auto UpRef, auto Free> class SharedHandle {
public:
    explicit SharedHandle(Handle<T, Free> owned) : m_owned(std::move(owned)) {}
    SharedHandle(const SharedHandle& other) : m_owned(reference(other.get())) {}
    SharedHandle& operator=(const SharedHandle& other) {
        if (this != &other)
            m_owned = reference(other.get());
        return *this;
    }
    SharedHandle(SharedHandle&&) noexcept = default;
    SharedHandle& operator=(SharedHandle&&) noexcept = default;
    ~SharedHandle() = default;

    T* get() const { return m_owned.get(); }
    explicit operator bool() const { return m_owned != nullptr; }

private:
    static Handle<T, Free> reference(T* object) {
        if (object != nullptr)
            UpRef(object);
        return Handle<T, Free>(object);
    }
    Handle<T, Free> m_owned;
};

// Takes a new reference on an X509 the caller does not own (X509_up_ref), for keeping it past its owner.
X509Ptr shareX509(X509* x);
EvpPkeyPtr shareKey(EVP_PKEY* key);

} // namespace cplink::crypto
