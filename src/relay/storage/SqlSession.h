#pragma once

// The small surface both backends offer to the storage operations (SqlOperations.h): run one
// parameterised statement and get typed rows back. Everything above it, the rules of the relay's
// storage, is written once; the backends only translate to sqlite3_* or libpq calls.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cplink::relay {

// Bytes bound as BLOB / bytea (message bodies); text is bound as text.
struct SqlBytes {
    std::string_view bytes;
};

using SqlParam = std::variant<std::int64_t, std::string_view, SqlBytes, bool>;

// A column value as the backends deliver it: NULL, an integer (booleans are 0/1) or text/bytes.
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;

// One result row; the accessors throw StorageError when a column is not what the query promised,
// which only a schema the code does not know can cause.
class SqlRow {
public:
    explicit SqlRow(std::vector<SqlValue> values) : m_values(std::move(values)) {}

    std::int64_t integer(std::size_t column) const;
    bool isNull(std::size_t column) const {
        return std::holds_alternative<std::monostate>(m_values.at(column));
    }
    bool flag(std::size_t column) const { return integer(column) != 0; }
    const std::string& text(std::size_t column) const;
    // Moves a (large) text or blob value out of the row; NULL gives "".
    std::string takeBytes(std::size_t column);

private:
    std::vector<SqlValue> m_values;
};

struct SqlResult {
    std::vector<SqlRow> rows;
    std::int64_t affected = 0; // rows changed by INSERT/UPDATE/DELETE
};

// Where a message body lies in the SQLite backend's body log (BodyLog.h).
struct BodyRef {
    std::int64_t segment = 0; // the segment's number, its file name in hex
    std::int64_t offset = 0;  // byte offset in that file
};

class SqlSession {
public:
    virtual ~SqlSession() = default;

    // `sql` must be one of the constants in StorageSql.h (or another string with static storage): backends
    // keep one prepared statement per text and find it again by its address.
    virtual SqlResult run(const char* sql, std::initializer_list<SqlParam> params = {}) = 0;

    // PostgreSQL: rows read with a locking query stay locked until commit (SELECT … FOR UPDATE), because
    // another relay process may write the same rows. SQLite: one writer thread already serialises writes.
    virtual bool hasRowLocks() const = 0;
    // Makes housekeeping in other processes on the same database wait for this transaction.
    virtual void lockHousekeeping() = 0;

    // A backend that keeps bodies outside its rows (SQLite: BodyLog) places `body` there and says
    // where; nullopt: the body goes into the row (PostgreSQL).
    virtual std::optional<BodyRef> placeBody(std::string_view /*body*/) { return std::nullopt; }
    // The `size` bytes at `ref`; throws StorageError where there is no body log.
    virtual std::string readBody(const BodyRef& ref, std::int64_t size);
};

} // namespace cplink::relay
