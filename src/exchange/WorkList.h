#pragma once

#include "store/Store.h"

#include <functional>
#include <vector>

namespace cplink::exchange {

// Calls `work` for every message of the direction that is in one of `states`, oldest first, reading the
// store in pages. A message that is still in those states after its turn (the relay is down, the import
// folder is full) is not offered again in the same call. `work` returns false to stop early.
void forEachInStates(store::Store& store, store::Direction direction,
                     const std::vector<store::MessageState>& states,
                     const std::function<bool(const store::MessageRecord&)>& work);

} // namespace cplink::exchange
