#include "relay/storage/PgConnection.h"

#include <charconv>
#include <limits>
#include <type_traits>
#include <vector>

namespace cplink::relay {

namespace {

// Any number shared by all relay processes; pg_advisory_xact_lock holds it until commit.
constexpr const char* kLockHousekeeping = "SELECT pg_advisory_xact_lock(4242000000000000002)";

// Type OIDs of the result columns we decode as integers (catalog/pg_type_d.h, stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

// A big-endian integer of `size` bytes, as PostgreSQL sends int2/int4/int8 in binary format.
std::int64_t bigEndian(const char* data, int size) {
    if (size != 2 && size != 4 && size != 8)
        throw StorageError("postgresql: an integer column of " + std::to_string(size) + " bytes");
    std::uint64_t value = 0;
    for (int i = 0; i < size; ++i)
        value = (value << 8) | static_cast<unsigned char>(data[i]);
    const int unused = 64 - 8 * size;
    // Sign-extend: shift the value to the top and back as a signed number.
    return static_cast<std::int64_t>(value << unused) >> unused;
}

SqlValue column(const PGresult* result, int row, int index) {
    if (PQgetisnull(result, row, index))
        return std::monostate{};
    const char* data = PQgetvalue(result, row, index);
    const int size = PQgetlength(result, row, index);
    switch (PQftype(result, index)) {
    case kBoolOid:
        return std::int64_t{size > 0 && data[0] != 0};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
        return bigEndian(data, size);
    default:
        return std::string(data, static_cast<std::size_t>(size));
    }
}

std::int64_t affectedRows(PGresult* result) {
    const std::string_view text = PQcmdTuples(result);
    std::int64_t count = 0;
    std::from_chars(text.data(), text.data() + text.size(), count);
    return count;
}

// Parameter arrays for PQexecPrepared. Text and bytes go in binary format (exact length, NULs and all);
// numbers and booleans as text, which PostgreSQL converts to the parameter's inferred type.
class ParameterArrays {
public:
    explicit ParameterArrays(std::initializer_list<SqlParam> params) {
        m_numbers.reserve(params.size()); // no reallocation: m_values points into it
        for (const SqlParam& param : params)
            std::visit([&](const auto& value) { add(value); }, param);
    }
    int count() const { return static_cast<int>(m_values.size()); }
    const char* const* values() const { return m_values.data(); }
    const int* lengths() const { return m_lengths.data(); }
    const int* formats() const { return m_formats.data(); }

private:
    void add(std::int64_t value) { addText(m_numbers.emplace_back(std::to_string(value))); }
    void add(bool value) { addText(value ? "true" : "false"); }
    void add(std::string_view value) { addBinary(value); }
    void add(SqlBytes value) { addBinary(value.bytes); }

    void addText(const std::string& text) { push(text.c_str(), 0, 0); }
    void addText(const char* text) { push(text, 0, 0); }
    void addBinary(std::string_view bytes) {
        if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            throw StorageError("postgresql: a parameter is too large");
        // An empty value needs a non-null pointer: null means SQL NULL to libpq.
        push(bytes.data() ? bytes.data() : "", static_cast<int>(bytes.size()), 1);
    }
    void push(const char* value, int length, int format) {
        m_values.push_back(value);
        m_lengths.push_back(length);
        m_formats.push_back(format);
    }

    std::vector<std::string> m_numbers;
    std::vector<const char*> m_values;
    std::vector<int> m_lengths;
    std::vector<int> m_formats;
};

} // namespace

PgConnection::PgConnection(const std::string& url) : m_connection(PQconnectdb(url.c_str())) {
    if (!m_connection)
        throw StorageError("postgresql: cannot connect: out of memory");
    if (PQstatus(m_connection.get()) != CONNECTION_OK)
        throw StorageError("postgresql: cannot connect: " + trimmed(PQerrorMessage(m_connection.get())));
    // Server notices ("relation exists, skipping") are not errors and must not go to stderr.
    PQsetNoticeProcessor(
        m_connection.get(), [](void*, const char*) {}, nullptr);
    if (PQsetClientEncoding(m_connection.get(), "UTF8") != 0)
        throw StorageError("postgresql: cannot set the client encoding to UTF8");
    execute("SET synchronous_commit = on");
}

PgResultPtr PgConnection::check(PgResultPtr result, const char* doing) const {
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return result;
    const char* sqlState = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const std::string reason = primary ? trimmed(primary) : trimmed(PQerrorMessage(m_connection.get()));
    throw PgError(std::string("postgresql: ") + doing + ": " + reason, sqlState ? sqlState : "");
}

void PgConnection::execute(const char* sql) {
    check(PgResultPtr(PQexec(m_connection.get(), sql)), "statement failed");
}

const std::string& PgConnection::statementName(const char* sql) {
    auto found = m_statementNames.find(sql);
    if (found != m_statementNames.end())
        return found->second;
    std::string name = "cplink_" + std::to_string(m_statementNames.size());
    check(PgResultPtr(PQprepare(m_connection.get(), name.c_str(), sql, 0, nullptr)),
          "cannot prepare a statement");
    return m_statementNames.emplace(sql, std::move(name)).first->second;
}

SqlResult PgConnection::run(const char* sql, std::initializer_list<SqlParam> params) {
    const std::string& name = statementName(sql);
    const ParameterArrays arrays(params);
    const PgResultPtr result =
        check(PgResultPtr(PQexecPrepared(m_connection.get(), name.c_str(), arrays.count(), arrays.values(),
                                         arrays.lengths(), arrays.formats(), 1)),
              "statement failed");
    SqlResult out;
    const int rows = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int row = 0; row < rows; ++row) {
        std::vector<SqlValue> values;
        values.reserve(static_cast<std::size_t>(columns));
        for (int index = 0; index < columns; ++index)
            values.push_back(column(result.get(), row, index));
        out.rows.emplace_back(std::move(values));
    }
    out.affected = affectedRows(result.get());
    return out;
}

void PgConnection::lockHousekeeping() {
    run(kLockHousekeeping);
}

} // namespace cplink::relay
