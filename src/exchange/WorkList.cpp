#include "exchange/WorkList.h"

#include <set>

namespace cplink::exchange {

void forEachInStates(store::Store& store, store::Direction direction,
                     const std::vector<store::MessageState>& states,
                     const std::function<bool(const store::MessageRecord&)>& work) {
    static constexpr int kPageSize = 500;
    std::set<std::int64_t> offered;
    while (true) {
        auto page = store.messagesInStates(direction, states, kPageSize);
        std::erase_if(page, [&](const store::MessageRecord& record) { return offered.count(record.id) > 0; });
        if (page.empty())
            return;
        for (const store::MessageRecord& record : page) {
            offered.insert(record.id);
            if (!work(record))
                return;
        }
    }
}

} // namespace cplink::exchange
