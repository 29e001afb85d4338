#include "exchange/Engine.h"

#include "crypto/Clock.h"
#include "exchange/EngineContext.h"

namespace cplink::exchange {

namespace {

const crypto::Clock& systemClock() {
    static const crypto::SystemClock clock;
    return clock;
}

} // namespace

Engine::Engine(EngineOptions options)
    : m_context(loadContext(options.profileDir, options.clock ? *options.clock : systemClock())) {
    m_context->retry = options.retry;
    m_context->sleeper = std::move(options.sleeper);
    m_context->log = std::move(options.log);
}

Engine::~Engine() = default;

SendPlan Engine::plan(const std::vector<std::string>& paths) const {
    return planSend(*m_context, paths);
}

std::vector<QueuedFile> Engine::queue(const SendPlan& plan) {
    m_context->refreshCrl();
    return queuePlan(*m_context, plan);
}

SendReport Engine::sendPending() {
    return uploadPending(*m_context);
}

ReceiveReport Engine::receive() {
    return receiveOnce(*m_context);
}

std::string Engine::cancel(std::int64_t id, std::string_view actor) {
    using store::MessageState;
    return correctOutgoing(id, actor, {MessageState::Queued, MessageState::Failed}, MessageState::Cancelled,
                           "cancel", "取り消せません (only queued or failed messages can be cancelled)");
}

std::string Engine::resend(std::int64_t id, std::string_view actor) {
    using store::MessageState;
    return correctOutgoing(id, actor, {MessageState::Failed}, MessageState::Queued, "resend",
                           "再送できません (only failed messages can be resent)");
}

std::string Engine::correctOutgoing(std::int64_t id, std::string_view actor,
                                    std::initializer_list<store::MessageState> from, store::MessageState to,
                                    std::string_view action, std::string_view refusal) {
    const auto record = store().message(id);
    if (!record || record->direction != store::Direction::Outgoing)
        return "送信メッセージ " + std::to_string(id) + " はありません (no such outgoing message)";
    if (!store().transition(id, from, to, m_context->now(),
                            std::string(action) + " by " + std::string(actor)))
        return std::string("状態が ") + store::toString(store().message(id)->state) + " のため" +
               std::string(refusal);
    store().audit(actor, action, record->messageId, record->fileName, m_context->now());
    return {};
}

store::Store& Engine::store() {
    return *m_context->store;
}

EngineContext& Engine::context() {
    return *m_context;
}

} // namespace cplink::exchange
