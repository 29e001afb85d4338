#include "exchange/Profile.h"

#include "crypto/Certificate.h"
#include "crypto/Crl.h"
#include "crypto/Files.h"
#include "crypto/Identity.h"
#include "crypto/OfficeNumberPolicy.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"
#include "crypto/TrustStore.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <openssl/obj_mac.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>
#include <vector>

namespace cplink::exchange {

namespace fs = std::filesystem;

namespace profile {
std::string storePath(const std::string& dir) {
    return dir + "/store.db";
}
std::string identityPath(const std::string& dir, const std::string& office) {
    return dir + "/identities/" + office + ".pem";
}
std::string anchorsPath(const std::string& dir) {
    return dir + "/trust/anchors.pem";
}
std::string crlPath(const std::string& dir) {
    return dir + "/trust/crl.pem";
}
std::string receiveLockPath(const std::string& dir) {
    return dir + "/receive.lock";
}
} // namespace profile

namespace {

std::string absolute(const std::string& path) {
    return fs::absolute(path).lexically_normal().string();
}

void require(bool condition, const std::string& message) {
    if (!condition)
        throw ProfileError(message);
}

} // namespace

store::OwnIdentity initProfile(const InitRequest& request, const crypto::Clock& clock) {
    require(!request.profileDir.empty(), "--profile is required");
    require(request.relayUrl.rfind("https://", 0) == 0, "the relay URL must start with https://");
    require(!request.importDir.empty(), "--import-dir is required");
    const crypto::OfficeNumberPolicy policy = crypto::OfficeNumberPolicy::parse(request.officeNumberFrom);
    const crypto::Secret password = crypto::readPasswordFile(request.passwordFile);
    crypto::Identity identity = crypto::loadPkcs12(request.identityP12, password, clock);
    const std::string anchorsPem = crypto::readFile(request.trustFile);
    const auto anchors = crypto::Certificate::allFromPem(anchorsPem);
    require(!anchors.empty(), request.trustFile + ": no certificate found");
    std::string crlPem;
    crypto::TrustStore trust;
    for (const auto& anchor : anchors)
        trust.addAnchor(anchor);
    for (const auto& intermediate : identity.chain())
        trust.addIntermediate(intermediate);
    if (!request.crlFile.empty()) {
        crlPem = crypto::readFile(request.crlFile);
        trust.addCrl(crypto::Crl::parse(crlPem));
    }
    const crypto::TrustResult chain = trust.verify(identity.certificate(), clock);
    require(chain.ok(), "the identity's certificate does not verify against " + request.trustFile + ": " +
                            crypto::toString(chain.status) + " " + chain.detail);
    const std::string office = policy.requireOfficeNumber(identity.certificate());

    // Everything checked: now write. Directories first (0700), then files atomically.
    crypto::makePrivateDirectory(request.profileDir);
    crypto::makePrivateDirectory(request.profileDir + "/identities");
    crypto::makePrivateDirectory(request.profileDir + "/trust");
    fs::create_directories(request.importDir);
    crypto::writeFileAtomic(profile::anchorsPath(request.profileDir), anchorsPem, 0644);
    if (!crlPem.empty())
        crypto::writeFileAtomic(profile::crlPath(request.profileDir), crlPem, 0644);
    const std::string identityFile = profile::identityPath(request.profileDir, office);
    crypto::storeIdentity(identity, identityFile, password);

    store::Store store(profile::storePath(request.profileDir));
    store.setSetting("relay_url", request.relayUrl);
    store.setSetting("import_dir", absolute(request.importDir));
    store.setSetting("password_file", absolute(request.passwordFile));
    store.setSetting("office_number_from", policy.describe());
    const auto subjectNames = identity.certificate().subjectValues(NID_organizationName);
    store::OwnIdentity own{office, subjectNames.empty() ? std::string() : subjectNames.front(), identityFile,
                           identity.certificate().toPem(), crypto::toTimeT(clock.now())};
    store.addIdentity(own);
    store.audit(osUserName(), "init", office, "relay " + request.relayUrl, own.addedAt);
    return own;
}

ProfileLock::ProfileLock(const std::string& path)
    : m_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (m_fd < 0)
        throw ProfileError("cannot open the lock file " + path + ": " + std::strerror(errno));
    while (::flock(m_fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            const int error = errno;
            ::close(m_fd);
            throw ProfileError("cannot lock " + path + ": " + std::strerror(error));
        }
    }
}

ProfileLock::~ProfileLock() {
    ::close(m_fd); // releases the lock
}

std::string osUserName() {
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
        found->pw_name)
        return found->pw_name;
    return "uid " + std::to_string(::getuid());
}

ProfileSettings readSettings(store::Store& store) {
    ProfileSettings settings;
    settings.relayUrl = store.setting("relay_url").value_or("");
    settings.importDir = store.setting("import_dir").value_or("");
    settings.passwordFile = store.setting("password_file").value_or("");
    settings.officeNumberFrom = store.setting("office_number_from").value_or("serialNumber");
    if (const auto poll = store.setting("poll_seconds"))
        settings.pollSeconds = std::max(1, std::atoi(poll->c_str()));
    if (settings.relayUrl.empty() || settings.importDir.empty() || settings.passwordFile.empty())
        throw ProfileError(store.path() + ": not an initialised profile (run `cplink --profile DIR init …`)");
    return settings;
}

} // namespace cplink::exchange
