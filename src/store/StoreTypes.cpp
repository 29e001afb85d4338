#include "store/StoreTypes.h"

#include <array>
#include <utility>

namespace cplink::store {

namespace {

// One table per enum: the spelling is part of the file format, so it lives in exactly one place.
template <typename Enum, std::size_t N> using Names = std::array<std::pair<Enum, const char*>, N>;

constexpr Names<MessageState, 13> kStateNames{{
    {MessageState::Queued, "queued"},
    {MessageState::Sending, "sending"},
    {MessageState::Relayed, "relayed"},
    {MessageState::Delivered, "delivered"},
    {MessageState::Failed, "failed"},
    {MessageState::Cancelled, "cancelled"},
    {MessageState::Downloaded, "downloaded"},
    {MessageState::Verified, "verified"},
    {MessageState::Saving, "saving"},
    {MessageState::Saved, "saved"},
    {MessageState::ReceiptSent, "receipt_sent"},
    {MessageState::Acknowledged, "acknowledged"},
    {MessageState::Quarantined, "quarantined"},
}};

constexpr Names<Direction, 2> kDirectionNames{{
    {Direction::Outgoing, "outgoing"},
    {Direction::Incoming, "incoming"},
}};

constexpr Names<ReceiptStatus, 3> kReceiptStatusNames{{
    {ReceiptStatus::None, "none"},
    {ReceiptStatus::Verified, "verified"},
    {ReceiptStatus::Invalid, "invalid"},
}};

template <typename Enum, std::size_t N> const char* nameOf(const Names<Enum, N>& names, Enum value) {
    for (const auto& [candidate, name] : names) {
        if (candidate == value)
            return name;
    }
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueOf(const Names<Enum, N>& names, std::string_view text) {
    for (const auto& [value, name] : names) {
        if (text == name)
            return value;
    }
    return std::nullopt;
}

} // namespace

const char* toString(MessageState state) {
    return nameOf(kStateNames, state);
}

std::optional<MessageState> messageStateFromString(std::string_view text) {
    return valueOf(kStateNames, text);
}

const char* toString(Direction direction) {
    return nameOf(kDirectionNames, direction);
}

std::optional<Direction> directionFromString(std::string_view text) {
    return valueOf(kDirectionNames, text);
}

const char* toString(ReceiptStatus status) {
    return nameOf(kReceiptStatusNames, status);
}

std::optional<ReceiptStatus> receiptStatusFromString(std::string_view text) {
    return valueOf(kReceiptStatusNames, text);
}

bool isFinal(MessageState state) {
    switch (state) {
    case MessageState::Delivered:
    case MessageState::Cancelled:
    case MessageState::Acknowledged:
    case MessageState::Quarantined:
    case MessageState::Failed:
        return true;
    default:
        return false;
    }
}

} // namespace cplink::store
