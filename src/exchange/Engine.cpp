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
    const auto record = store().message(id);
    if (!record || record->direction != store::Direction::Outgoing)
        return "送信メッセージ " + std::to_string(id) + " はありません (no such outgoing message)";
    if (!store().transition(id, {MessageState::Queued, MessageState::Failed}, MessageState::Cancelled,
                            m_context->now(), std::string("cancelled by ") + std::string(actor)))
        return std::string("状態が ") + store::toString(store().message(id)->state) +
               " のため取り消せません (only queued or failed messages can be cancelled)";
    store().audit(actor, "cancel", record->messageId, record->fileName, m_context->now());
    return {};
}

std::string Engine::resend(std::int64_t id, std::string_view actor) {
    using store::MessageState;
    const auto record = store().message(id);
    if (!record || record->direction != store::Direction::Outgoing)
        return "送信メッセージ " + std::to_string(id) + " はありません (no such outgoing message)";
    if (!store().transition(id, {MessageState::Failed}, MessageState::Queued, m_context->now(),
                            std::string("resend by ") + std::string(actor)))
        return std::string("状態が ") + store::toString(store().message(id)->state) +
               " のため再送できません (only failed messages can be resent)";
    store().audit(actor, "resend", record->messageId, record->fileName, m_context->now());
    return {};
}

store::Store& Engine::store() {
    return *m_context->store;
}

EngineContext& Engine::context() {
    return *m_context;
}

} // namespace cplink::exchange
