#include "store/Store.h"

#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/HistoryRepository.h"
#include "store/IdentityRepository.h"
#include "store/MessageRepository.h"
#include "store/Migrations.h"
#include "store/PartnerRepository.h"
#include "store/Settings.h"

namespace cplink::store {

struct Store::Impl {
    // Order matters: a file from a newer version is refused before anything (WAL mode included) is
    // written to it.
    explicit Impl(const std::string& path) : db(path) {
        refuseNewerSchema(db, Store::kSchemaVersion);
        db.configure();
        migrate(db, storeMigrations());
    }

    Database db;
    MessageRepository messages{db};
    HistoryRepository history{db};
    PartnerRepository partners{db};
    IdentityRepository identities{db};
    AuditLog audit{db};
    Settings settings{db};
};

Store::Store(const std::string& path) : m_impl(std::make_unique<Impl>(path)) {
}

Store::~Store() = default;

int Store::schemaVersion() {
    return m_impl->db.userVersion();
}

const std::string& Store::path() const {
    return m_impl->db.path();
}

std::int64_t Store::addMessage(const NewMessage& message, UnixTime now, std::string_view detail) {
    return m_impl->messages.add(message, now, detail);
}

std::optional<MessageRecord> Store::message(std::int64_t id) {
    return m_impl->messages.byId(id);
}

std::optional<MessageRecord> Store::findMessage(Direction direction, std::string_view peerOffice,
                                                std::string_view messageId) {
    return m_impl->messages.find(direction, peerOffice, messageId);
}

std::optional<MessageRecord> Store::findOutgoing(std::string_view messageId) {
    return m_impl->messages.findOutgoing(messageId);
}

std::string Store::envelope(std::int64_t id) {
    return m_impl->messages.envelope(id);
}

std::optional<std::string> Store::receipt(std::int64_t id) {
    return m_impl->messages.receipt(id);
}

bool Store::transition(std::int64_t id, std::initializer_list<MessageState> from, MessageState to,
                       UnixTime now, std::string_view detail, const MessageUpdate& update) {
    return m_impl->messages.transition(id, from, to, now, detail, update);
}

void Store::update(std::int64_t id, const MessageUpdate& update, UnixTime now) {
    m_impl->messages.update(id, update, now);
}

std::vector<Transition> Store::transitions(std::int64_t id) {
    return m_impl->messages.transitions(id);
}

std::vector<MessageRecord> Store::outgoingWithFileName(std::string_view fileName) {
    return m_impl->messages.outgoingWithFileName(fileName);
}

std::vector<MessageRecord> Store::messagesInStates(Direction direction,
                                                   const std::vector<MessageState>& states, int limit) {
    return m_impl->messages.inStates(direction, states, limit);
}

HistoryPage Store::history(const HistoryQuery& query) {
    return m_impl->history.page(query);
}

std::int64_t Store::countHistory(const HistoryQuery& query) {
    return m_impl->history.count(query);
}

std::vector<MessageRecord> Store::monthMessages(std::string_view month) {
    return m_impl->messages.ofMonth(month);
}

void Store::savePartner(const Partner& partner) {
    m_impl->partners.save(partner);
}

std::optional<Partner> Store::partner(std::string_view office) {
    return m_impl->partners.byOffice(office);
}

std::vector<Partner> Store::partners(std::string_view query) {
    return m_impl->partners.matching(query);
}

void Store::setFavourite(std::string_view office, bool favourite) {
    m_impl->partners.setFavourite(office, favourite);
}

void Store::touchPartner(std::string_view office, UnixTime now) {
    m_impl->partners.touch(office, now);
}

void Store::addIdentity(const OwnIdentity& identity) {
    m_impl->identities.add(identity);
}

std::vector<OwnIdentity> Store::identities() {
    return m_impl->identities.all();
}

std::optional<OwnIdentity> Store::identity(std::string_view office) {
    return m_impl->identities.byOffice(office);
}

void Store::audit(std::string_view actor, std::string_view action, std::string_view subject,
                  std::string_view detail, UnixTime now) {
    m_impl->audit.append(actor, action, subject, detail, now);
}

std::vector<AuditEntry> Store::auditLog(int limit, std::int64_t afterId) {
    return m_impl->audit.entries(limit, afterId);
}

void Store::setSetting(std::string_view key, std::string_view value) {
    m_impl->settings.set(key, value);
}

std::optional<std::string> Store::setting(std::string_view key) {
    return m_impl->settings.get(key);
}

} // namespace cplink::store
