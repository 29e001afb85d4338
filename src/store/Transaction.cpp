#include "store/Transaction.h"

namespace cplink::store {

Transaction::Transaction(Database& db) : m_db(db) {
    m_db.execute("BEGIN IMMEDIATE", "begin a write transaction");
}

Transaction::~Transaction() {
    // SQLite may already have rolled back by itself (full disk, I/O error); a second ROLLBACK would only
    // report "no transaction is active". Errors cannot be thrown from here and leave nothing to undo.
    if (!m_committed && m_db.inTransaction())
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    m_db.execute("COMMIT", "commit");
    m_committed = true;
}

} // namespace cplink::store
