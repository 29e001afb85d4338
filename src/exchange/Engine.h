#pragma once

#include "exchange/Inbox.h"
#include "exchange/Outbox.h"
#include "exchange/SendPlan.h"
#include "net/RetryPolicy.h"
#include "store/Store.h"

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::crypto {
class Clock;
}

namespace cplink::exchange {

struct EngineContext;

struct EngineOptions {
    std::string profileDir;
    const crypto::Clock* clock = nullptr; // null: the system clock
    net::RetryPolicy retry;
    net::Sleeper sleeper;                      // empty: the calling thread sleeps between retries
    std::function<void(std::string_view)> log; // progress lines for people
};

// The client engine (DESIGN.md §2, §6): the one API that `cplink` and the desktop app drive. One Engine
// per profile and thread; several processes may run engines on one profile (the store arbitrates every
// state change by compare-and-set).
class Engine {
public:
    explicit Engine(EngineOptions options); // throws ProfileError, store::StoreError, crypto errors
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Validates the files and says what sending them would do. Changes nothing.
    SendPlan plan(const std::vector<std::string>& paths) const;
    // Seals and commits the plan's sendable files as queued (no network but the directory lookup).
    std::vector<QueuedFile> queue(const SendPlan& plan);
    // Uploads everything queued.
    SendReport sendPending();
    // One poll of the relay for every own office (see receiveOnce).
    ReceiveReport receive();

    // A user's cancel of a message not yet relayed (queued or failed). Empty string: done; else why not.
    std::string cancel(std::int64_t id, std::string_view actor = "user");
    // Queues a failed message again: same message id, same sealed bytes (LESSONS.md: an id is forever).
    std::string resend(std::int64_t id, std::string_view actor = "user");

    store::Store& store();
    EngineContext& context();

private:
    // A person's correction: the compare-and-set transition from `from` to `to`, then the audit entry.
    std::string correctOutgoing(std::int64_t id, std::string_view actor,
                                std::initializer_list<store::MessageState> from, store::MessageState to,
                                std::string_view action, std::string_view refusal);

    std::unique_ptr<EngineContext> m_context;
};

} // namespace cplink::exchange
