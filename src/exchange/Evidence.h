#pragma once

#include <string>
#include <string_view>

namespace cplink::store {
class Store;
}

namespace cplink::exchange {

enum class EvidenceFormat { Csv, Json };

// Proof of exchange for an inspector (運営指導): every message of the month, both directions, with
// times, parties, file name, SHA-256, state, receipt status and receipt signer. CSV is UTF-8 with a BOM
// (Excel in Japan opens it correctly); JSON is one document. Written atomically; returns the row count.
int exportEvidence(store::Store& store, std::string_view month, const std::string& path,
                   EvidenceFormat format);

} // namespace cplink::exchange
