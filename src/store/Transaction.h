#pragma once

#include "store/Database.h"

namespace cplink::store {

// A write transaction. BEGIN IMMEDIATE takes the write lock at the start (waiting up to the busy
// timeout), so a read-check-write such as a compare-and-set can never fail half-way because another
// process wrote in between. Rolled back when it ends without commit() (an exception on the way).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& m_db;
    bool m_committed = false;
};

} // namespace cplink::store
