#pragma once

#include "store/Store.h"

#include <string>

namespace cplink::crypto {
class Clock;
}

namespace cplink::exchange {

// A profile is one office client's state in one directory (mode 0700):
//   store.db               the history store (src/store)
//   identities/<no>.pem    each own identity: encrypted private key + certificate chain (0600)
//   trust/anchors.pem      the network's trust anchors;  trust/crl.pem  the newest CRL known
// plus settings in the store. An organisation running several office numbers adds each identity to
// the same profile (`init` again with another PKCS#12).
struct InitRequest {
    std::string profileDir;
    std::string relayUrl;
    std::string identityP12;
    std::string passwordFile; // the PKCS#12 password; it also encrypts the identity at rest
    std::string trustFile;
    std::string crlFile;   // optional
    std::string importDir; // where received files are written for the care software
    std::string officeNumberFrom = "serialNumber";
};

struct ProfileSettings {
    std::string relayUrl;
    std::string importDir;
    std::string passwordFile;
    std::string officeNumberFrom = "serialNumber";
    int pollSeconds = 30;
};

namespace profile {
std::string storePath(const std::string& dir);
std::string identityPath(const std::string& dir, const std::string& office);
std::string anchorsPath(const std::string& dir);
std::string crlPath(const std::string& dir);
std::string receiveLockPath(const std::string& dir);
} // namespace profile

class ProfileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Creates the profile or adds an identity to it. Checks everything before writing anything: the
// PKCS#12 opens with the password and is valid now, the trust file holds certificates, the identity's
// chain verifies against them, the office number can be read. Returns the identity as stored.
store::OwnIdentity initProfile(const InitRequest& request, const crypto::Clock& clock);

ProfileSettings readSettings(store::Store& store);

// An exclusive lock on a file of the profile, held for the object's life (flock: released by the kernel
// if the process dies). Receiving takes it so that two engines on one profile (`receive` next to `watch`,
// or two threads) never work on the same message at once: interleaved, one could re-create a staged file
// that the other had already published. The second one waits for the first to finish its poll.
class ProfileLock {
public:
    explicit ProfileLock(const std::string& path);
    ~ProfileLock();
    ProfileLock(const ProfileLock&) = delete;
    ProfileLock& operator=(const ProfileLock&) = delete;

private:
    int m_fd = -1;
};

// Who is acting, for the audit log: the login name of the process's user (or "uid N").
std::string osUserName();

} // namespace cplink::exchange
