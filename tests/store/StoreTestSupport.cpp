#include "StoreTestSupport.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cplink::store::test {

MessageRecord sampleRecord(Direction direction, std::string_view peerOffice, std::string_view messageId) {
    MessageRecord r;
    r.messageId = messageId;
    r.direction = direction;
    r.ownOffice = "0300000005";
    r.peerOffice = peerOffice;
    r.kind = "UPPLAN";
    r.month = "202504";
    r.sendUnit = "UPPLAN_202504_0300000005_43_" + std::string(peerOffice) + "_11";
    r.sequence = "20250401123456";
    r.fileName = "UPPLAN_202504_0300000005_43_" + std::string(peerOffice) + "_11_20250401123456.CSV";
    r.size = 30123;
    r.sha256 = std::string(64, 'a');
    r.state = direction == Direction::Outgoing ? MessageState::Queued : MessageState::Downloaded;
    if (direction == Direction::Outgoing)
        r.sourcePath = "/home/care/out/" + r.fileName;
    return r;
}

NewMessage sampleMessage(Direction direction, std::string_view peerOffice, std::string_view messageId) {
    NewMessage m;
    m.record = sampleRecord(direction, peerOffice, messageId);
    m.envelope = std::string("\x30\x82\x00\x00envelope\0bytes", 18);
    return m;
}

RawDb::RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
        throw std::runtime_error("cannot open " + path);
    sqlite3_busy_timeout(m_db, 10000);
}

RawDb::~RawDb() {
    sqlite3_close_v2(m_db);
}

int RawDb::exec(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error);
    m_error = error ? error : "";
    sqlite3_free(error);
    return rc;
}

std::string RawDb::scalar(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("cannot prepare: ") + sqlite3_errmsg(m_db));
    std::string value;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(statement, 0);
        value = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(statement);
    return value;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace cplink::store::test
