// History pages of the client store (src/store) over 1,000,000 messages (Google Benchmark). Target: every
// page under 50 ms (docs/benchmarks.md, "Client store: history queries").
//
// The fixture is made once and kept in the temp dir (or at $CPLINK_BENCH_STORE) for later runs: Store
// creates the schema, then a raw sqlite3 connection inserts every row (message, envelope, first
// transition) in one transaction — 1,000,000 addMessage() calls would be 1,000,000 fsyncs. The spread: two
// directions, 60 partner offices, 24 months, every state (about 2 % failed), standard file names, random
// 26-character message ids; envelopes are 64 bytes (they live in their own table, which history never reads).
#include "store/Store.h"

#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <random>
#include <sqlite3.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using cplink::store::Direction;
using cplink::store::HistoryQuery;
using cplink::store::MessageState;
using cplink::store::Store;

constexpr int kMessages = 1'000'000;
constexpr const char* kFixtureMark = "1000000 messages, generator v2";
constexpr std::int64_t kFirstDay = 1672531200; // 2023-01-01T00:00:00Z
constexpr std::int64_t kSpan = 730LL * 86400;  // 24 months

std::string fixturePath() {
    if (const char* path = std::getenv("CPLINK_BENCH_STORE"))
        return path;
    return (std::filesystem::temp_directory_path() / "cplink-bench-store-1m.sqlite").string();
}

std::string peerOffice(int index) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d%08d", 1 + index % 47, 100 + index * 37);
    return text;
}

std::string yearMonth(std::int64_t at) {
    const std::time_t t = static_cast<std::time_t>(at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y%m", &tm);
    return text;
}

std::string sequenceAt(std::int64_t at) {
    const std::time_t t = static_cast<std::time_t>(at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &tm);
    return text;
}

class Raw {
public:
    explicit Raw(const std::string& path) {
        if (sqlite3_open(path.c_str(), &m_db) != SQLITE_OK)
            throw std::runtime_error("cannot open " + path);
    }
    ~Raw() {
        for (auto* statement : m_statements)
            sqlite3_finalize(statement);
        sqlite3_close(m_db);
    }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;

    void exec(const char* sql) {
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            fail(sql);
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &statement, nullptr) != SQLITE_OK)
            fail(sql);
        m_statements.push_back(statement);
        return statement;
    }
    void step(sqlite3_stmt* statement) {
        if (sqlite3_step(statement) != SQLITE_DONE)
            fail("step");
        sqlite3_reset(statement);
    }
    std::int64_t lastId() const { return sqlite3_last_insert_rowid(m_db); }

private:
    [[noreturn]] void fail(const char* what) {
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(m_db));
    }
    sqlite3* m_db = nullptr;
    std::vector<sqlite3_stmt*> m_statements;
};

void text(sqlite3_stmt* s, int index, const std::string& value) {
    sqlite3_bind_text(s, index, value.c_str(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

struct Kind {
    const char* code;
    int weight;
    bool hasMonth;
};

void generate(const std::string& path) {
    const auto started = std::chrono::steady_clock::now();
    { Store schema(path); }
    Raw raw(path);
    // Bulk load only: durability is irrelevant for a fixture that is checked by its completion mark.
    raw.exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; BEGIN");
    sqlite3_stmt* message = raw.prepare(
        "INSERT INTO messages (message_id, direction, own_office, peer_office, kind, month, send_unit, "
        "sequence, "
        "file_name, size, sha256, state, error, finding_errors, finding_warnings, saved_path, source_path, "
        "receipt_status, receipt_signer, receipt_at, relay_received_at, attempts, created_at, updated_at) "
        "VALUES (?1, ?2, '0300000005', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, 0, ?13, ?14, ?15, ?16, "
        "?17, "
        "?18, 1, ?19, ?20)");
    sqlite3_stmt* envelope =
        raw.prepare("INSERT INTO envelopes (message_row, envelope) VALUES (?1, zeroblob(64))");
    sqlite3_stmt* transition = raw.prepare(
        "INSERT INTO message_transitions (message_row, state, at, detail) VALUES (?1, ?2, ?3, '')");

    const std::vector<Kind> kinds{{"UPPLAN", 30, true}, {"UPSIKYU", 25, true}, {"UPHOSOKU", 15, true},
                                  {"UPJSK", 20, true},  {"DLTPLAN", 3, true},  {"UPTEIKYO", 5, true},
                                  {"UPKIHON", 2, false}};
    std::vector<const Kind*> weighted;
    for (const Kind& kind : kinds)
        weighted.insert(weighted.end(), static_cast<std::size_t>(kind.weight), &kind);
    std::vector<std::string> peers;
    for (int i = 0; i < 60; ++i)
        peers.push_back(peerOffice(i));
    static constexpr char kBase32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    std::mt19937_64 random(20250401);
    const auto uniform = [&] {
        return std::uniform_real_distribution<double>(0, 1)(random);
    };
    for (int i = 0; i < kMessages; ++i) {
        const bool outgoing = uniform() < 0.55;
        const std::int64_t created =
            kFirstDay + kSpan * i / kMessages + static_cast<std::int64_t>(random() % 600);
        const Kind& kind = *weighted[random() % weighted.size()];
        const std::string& peer = peers[random() % peers.size()];
        const std::string month = kind.hasMonth ? yearMonth(created) : "";
        const std::string sequence = sequenceAt(created);
        const std::string own = "0300000005";
        const std::string sender = outgoing ? own : peer;
        const std::string recipient = outgoing ? peer : own;
        const std::string fileName = std::string(kind.code) + (month.empty() ? "" : "_" + month) + "_" +
                                     sender + "_43_" + recipient + "_11_" + sequence + ".CSV";
        std::string messageId(26, '0');
        for (char& c : messageId)
            c = kBase32[random() % 32];
        std::string sha(64, '0');
        for (char& c : sha)
            c = "0123456789abcdef"[random() % 16];
        const double r = uniform();
        MessageState state;
        if (outgoing) {
            state = r < 0.036   ? MessageState::Failed
                    : r < 0.041 ? MessageState::Cancelled
                    : r < 0.043 ? MessageState::Queued
                    : r < 0.044 ? MessageState::Sending
                    : r < 0.05  ? MessageState::Relayed
                                : MessageState::Delivered;
        } else {
            state = r < 0.003   ? MessageState::Quarantined
                    : r < 0.005 ? MessageState::Downloaded
                    : r < 0.006 ? MessageState::Verified
                    : r < 0.007 ? MessageState::Saving
                    : r < 0.01  ? MessageState::Saved
                    : r < 0.02  ? MessageState::ReceiptSent
                                : MessageState::Acknowledged;
        }
        const bool receipted = state == MessageState::Delivered || state == MessageState::Acknowledged;
        text(message, 1, messageId);
        text(message, 2, toString(outgoing ? Direction::Outgoing : Direction::Incoming));
        text(message, 3, peer);
        text(message, 4, kind.code);
        text(message, 5, month);
        text(message, 6, fileName.substr(0, fileName.size() - 19));
        text(message, 7, sequence);
        text(message, 8, fileName);
        sqlite3_bind_int64(message, 9, 2000 + static_cast<std::int64_t>(random() % 60000));
        text(message, 10, sha);
        text(message, 11, toString(state));
        text(message, 12,
             state == MessageState::Failed ? "relay refused the upload: recipient disabled" : "");
        text(message, 13, outgoing ? "" : "/home/care/CarePlanLink/inbox/" + fileName);
        text(message, 14, outgoing ? "C:/kaigo/out/" + fileName : "");
        text(message, 15, receipted ? "verified" : "none");
        text(message, 16, state == MessageState::Delivered ? peer : "");
        sqlite3_bind_int64(message, 17, receipted ? created + 3600 : 0);
        sqlite3_bind_int64(message, 18, created + 5);
        sqlite3_bind_int64(message, 19, created);
        sqlite3_bind_int64(message, 20, created + 60);
        raw.step(message);
        const std::int64_t id = raw.lastId();
        sqlite3_bind_int64(envelope, 1, id);
        raw.step(envelope);
        sqlite3_bind_int64(transition, 1, id);
        text(transition, 2, toString(state));
        sqlite3_bind_int64(transition, 3, created);
        raw.step(transition);
    }
    raw.exec(
        ("INSERT INTO settings (key, value) VALUES ('bench.fixture', '" + std::string(kFixtureMark) + "')")
            .c_str());
    raw.exec("COMMIT");
    raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "fixture: %d messages written to %s in %.1f s\n", kMessages, path.c_str(), seconds);
}

Store& fixture() {
    static std::unique_ptr<Store> store = [] {
        const std::string path = fixturePath();
        {
            auto existing = std::make_unique<Store>(path);
            if (existing->setting("bench.fixture") == kFixtureMark) {
                std::fprintf(stderr, "fixture: reusing %s\n", path.c_str());
                return existing;
            }
        }
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path + suffix);
        generate(path);
        return std::make_unique<Store>(path);
    }();
    return *store;
}

// One history() page per iteration, with the rows it returned as a counter (a page that silently comes
// back empty would be fast and wrong).
void runPage(benchmark::State& state, const HistoryQuery& query) {
    Store& store = fixture();
    std::size_t rows = 0;
    for (auto _ : state) {
        auto page = store.history(query);
        rows = page.rows.size();
        benchmark::DoNotOptimize(page);
    }
    state.counters["rows"] = static_cast<double>(rows);
}

HistoryQuery withText(std::string text) {
    HistoryQuery q;
    q.text = std::move(text);
    return q;
}

void BM_NewestFirst(benchmark::State& state) {
    runPage(state, {});
}
BENCHMARK(BM_NewestFirst)->Unit(benchmark::kMillisecond);

void BM_FilterPeer(benchmark::State& state) {
    HistoryQuery q;
    q.peerOffice = peerOffice(17);
    runPage(state, q);
}
BENCHMARK(BM_FilterPeer)->Unit(benchmark::kMillisecond);

void BM_FilterStateFailed(benchmark::State& state) {
    HistoryQuery q;
    q.states = {MessageState::Failed};
    runPage(state, q);
}
BENCHMARK(BM_FilterStateFailed)->Unit(benchmark::kMillisecond);

void BM_ProblemsFirst(benchmark::State& state) {
    HistoryQuery q;
    q.problemsFirst = true;
    runPage(state, q);
}
BENCHMARK(BM_ProblemsFirst)->Unit(benchmark::kMillisecond);

// Text a person would type: part of a message id (one row), a partner's office number (~1.7 % of rows,
// spread over the whole history), a kind code (~30 %), and an old month (~4 %, all in one place far
// from the newest rows: the hardest case for reading in display order).
void BM_TextMessageId(benchmark::State& state) {
    runPage(state, withText(fixture().message(kMessages / 2)->messageId.substr(4, 10)));
}
BENCHMARK(BM_TextMessageId)->Unit(benchmark::kMillisecond);

void BM_TextOffice(benchmark::State& state) {
    runPage(state, withText(peerOffice(17)));
}
BENCHMARK(BM_TextOffice)->Unit(benchmark::kMillisecond);

void BM_TextKind(benchmark::State& state) {
    runPage(state, withText("UPPLAN"));
}
BENCHMARK(BM_TextKind)->Unit(benchmark::kMillisecond);

void BM_TextOldMonth(benchmark::State& state) {
    runPage(state, withText("202303"));
}
BENCHMARK(BM_TextOldMonth)->Unit(benchmark::kMillisecond);

void BM_SortFileName(benchmark::State& state) {
    HistoryQuery q;
    q.sortBy = HistoryQuery::SortBy::FileName;
    q.descending = false;
    runPage(state, q);
}
BENCHMARK(BM_SortFileName)->Unit(benchmark::kMillisecond);

void BM_Offset10000(benchmark::State& state) {
    HistoryQuery q;
    q.offset = 10000;
    runPage(state, q);
}
BENCHMARK(BM_Offset10000)->Unit(benchmark::kMillisecond);

// Beyond the target list: other shapes the screen can ask for.
void BM_SortSizeFilterDirection(benchmark::State& state) {
    HistoryQuery q;
    q.direction = Direction::Incoming;
    q.sortBy = HistoryQuery::SortBy::Size;
    runPage(state, q);
}
BENCHMARK(BM_SortSizeFilterDirection)->Unit(benchmark::kMillisecond);

void BM_ProblemsFirstOldestFirst(benchmark::State& state) {
    HistoryQuery q;
    q.problemsFirst = true;
    q.descending = false;
    runPage(state, q);
}
BENCHMARK(BM_ProblemsFirstOldestFirst)->Unit(benchmark::kMillisecond);

void BM_PeerMonthFailedOrQuarantined(benchmark::State& state) {
    HistoryQuery q;
    q.peerOffice = peerOffice(3);
    q.month = "202406";
    q.states = {MessageState::Failed, MessageState::Quarantined};
    runPage(state, q);
}
BENCHMARK(BM_PeerMonthFailedOrQuarantined)->Unit(benchmark::kMillisecond);

void BM_TextKindOffset10000(benchmark::State& state) {
    HistoryQuery q = withText("UPPLAN");
    q.offset = 10000;
    runPage(state, q);
}
BENCHMARK(BM_TextKindOffset10000)->Unit(benchmark::kMillisecond);

// "_2023" is in the names of half of the rows, the newest of them a year back, and its trigrams are in
// nearly every name: the worst text for both plans. ("2023" alone is fast: random message ids contain it
// all through the history.)
void BM_TextOldYear(benchmark::State& state) {
    runPage(state, withText("_2023"));
}
BENCHMARK(BM_TextOldYear)->Unit(benchmark::kMillisecond);

void BM_MonthMessages(benchmark::State& state) {
    Store& store = fixture();
    std::size_t rows = 0;
    for (auto _ : state) {
        auto month = store.monthMessages("202406");
        rows = month.size();
        benchmark::DoNotOptimize(month);
    }
    state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_MonthMessages)->Unit(benchmark::kMillisecond);

void BM_CountAll(benchmark::State& state) {
    Store& store = fixture();
    for (auto _ : state)
        benchmark::DoNotOptimize(store.countHistory({}));
}
BENCHMARK(BM_CountAll)->Unit(benchmark::kMillisecond);

void BM_CountPeer(benchmark::State& state) {
    Store& store = fixture();
    HistoryQuery q;
    q.peerOffice = peerOffice(17);
    for (auto _ : state)
        benchmark::DoNotOptimize(store.countHistory(q));
}
BENCHMARK(BM_CountPeer)->Unit(benchmark::kMillisecond);

void BM_CountTextKind(benchmark::State& state) {
    Store& store = fixture();
    for (auto _ : state)
        benchmark::DoNotOptimize(store.countHistory(withText("UPPLAN")));
}
BENCHMARK(BM_CountTextKind)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
