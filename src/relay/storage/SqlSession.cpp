#include "relay/storage/SqlSession.h"

#include "relay/storage/Storage.h"

namespace cplink::relay {

std::int64_t SqlRow::integer(std::size_t column) const {
    if (const auto* value = std::get_if<std::int64_t>(&m_values.at(column)))
        return *value;
    throw StorageError("storage: column " + std::to_string(column) + " is not an integer");
}

const std::string& SqlRow::text(std::size_t column) const {
    if (const auto* value = std::get_if<std::string>(&m_values.at(column)))
        return *value;
    throw StorageError("storage: column " + std::to_string(column) + " is not text");
}

std::string SqlSession::readBody(const BodyRef& ref, std::int64_t /*size*/) {
    throw StorageError("storage: a row points into body segment " + std::to_string(ref.segment) +
                       ", but this backend has no body log");
}

std::string SqlRow::takeBytes(std::size_t column) {
    SqlValue& value = m_values.at(column);
    if (std::holds_alternative<std::monostate>(value))
        return {};
    if (auto* bytes = std::get_if<std::string>(&value))
        return std::move(*bytes);
    throw StorageError("storage: column " + std::to_string(column) + " is not bytes");
}

} // namespace cplink::relay
