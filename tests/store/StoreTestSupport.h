#pragma once

#include "TestSupport.h"
#include "store/Store.h"

#include <sqlite3.h>
#include <string>
#include <string_view>

namespace cplink::store::test {

// An outgoing or incoming message with plausible values in every field.
MessageRecord sampleRecord(Direction direction, std::string_view peerOffice, std::string_view messageId);
NewMessage sampleMessage(Direction direction, std::string_view peerOffice, std::string_view messageId);

// A raw connection to a store file, for what the Store API must not allow (or does not offer).
class RawDb {
public:
    explicit RawDb(const std::string& path);
    ~RawDb();
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    // sqlite3_exec's result code; the error text in lastError().
    int exec(const std::string& sql);
    const std::string& lastError() const { return m_error; }
    // The first column of the first row, as text ("" when there is none).
    std::string scalar(const std::string& sql);

private:
    sqlite3* m_db = nullptr;
    std::string m_error;
};

std::string readFile(const std::string& path);

// GCC 12 reports designated initializers of MessageUpdate under -Wmissing-field-initializers, so tests
// fill one in a lambda: updateWith([](MessageUpdate& u) { u.countAttempt = true; }).
template <typename Fill> MessageUpdate updateWith(Fill fill) {
    MessageUpdate update;
    fill(update);
    return update;
}

} // namespace cplink::store::test
