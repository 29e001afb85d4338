// A care manager's month through the client engine (docs/benchmarks.md "Client engine: a care manager's
// month"): one 居宅介護支援事業所 validates, seals and sends 300 usage-slip send units (900 files) to 60
// partner offices through a real cplink-relay on SQLite, every partner receives its files, and the care
// manager collects the 900 receipts. Everything runs in this process, one Engine after the other, as the
// offices' programs would run them one at a time on this machine.
//
// Usage: bench_month --relay-exe PATH --work DIR [--units 300] [--partners 60]
// Prints each phase as it ends, then one JSON line with every number (the last line of the output).
// Exit status: 0 when everything arrived intact, 1 when a check failed, 2 for setup errors.
#include "SampleData.h"
#include "crypto/Clock.h"
#include "crypto/Files.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"
#include "crypto/TestCa.h"
#include "exchange/Engine.h"
#include "exchange/Profile.h"
#include "spec/FileKind.h"
#include "store/Store.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace cplink;
using spec::FileKind;
using Clock = std::chrono::steady_clock;

constexpr const char* kManager = "0300000100";
constexpr const char* kMonth = "202504";
constexpr const char* kPassword = "bench-month-password";
constexpr double kTargetSeconds = 10.0;

struct Options {
    std::string relayExe;
    std::string work;
    int units = 300;
    int partners = 60;
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "bench_month: " << problem << "\n"
              << "usage: bench_month --relay-exe PATH --work DIR [--units 300] [--partners 60]\n";
    std::exit(2);
}

int positive(const std::string& name, const std::string& text, int maximum) {
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (errno != 0 || end == text.c_str() || *end != '\0' || value < 1 || value > maximum)
        usage(name + " must be a number from 1 to " + std::to_string(maximum));
    return static_cast<int>(value);
}

Options parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc)
            usage("missing value after " + arg);
        const std::string value = argv[++i];
        if (arg == "--relay-exe")
            options.relayExe = value;
        else if (arg == "--work")
            options.work = value;
        // The sequence scheme (one minute per unit from 10:00 on 2025-03-25) stays within March.
        else if (arg == "--units")
            options.units = positive(arg, value, 5000);
        // Partner numbers 13000000NN…: eight digits of room after the prefecture code.
        else if (arg == "--partners")
            options.partners = positive(arg, value, 9999);
        else
            usage("unknown option " + arg);
    }
    if (options.relayExe.empty() || options.work.empty())
        usage("--relay-exe and --work are required");
    if (::access(options.relayExe.c_str(), X_OK) != 0)
        usage(options.relayExe + " is not an executable");
    return options;
}

std::string readWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string pad(long value, std::size_t width) {
    std::string digits = std::to_string(value);
    return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// --- the relay process -------------------------------------------------------------------------------

// Owns a child process: a benchmark that fails half-way (an exception, a failed check) must not leave a
// relay listening, so the destructor terminates it on every path out.
class ChildProcess {
public:
    // Everything the child needs is prepared before fork(): after it only async-signal-safe calls.
    ChildProcess(std::vector<std::string> args, const std::string& stderrPath) {
        std::vector<char*> argv;
        for (auto& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid < 0)
            throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
        if (pid == 0) {
            // A benchmark killed by a signal runs no destructor: the kernel then stops the relay instead.
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent)
                ::_exit(127);
            const int log = ::open(stderrPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
            if (log >= 0)
                ::dup2(log, STDERR_FILENO);
            if (null >= 0) {
                ::dup2(null, STDIN_FILENO);
                ::dup2(null, STDOUT_FILENO);
            }
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        m_pid = pid;
    }
    ~ChildProcess() { terminate(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return m_pid; }

    // False once the child has exited (it is reaped here).
    bool running() {
        if (m_pid <= 0)
            return false;
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            m_status = status;
            return false;
        }
        return true;
    }

    // SIGTERM and wait (the relay finishes its requests and closes the database); SIGKILL only if it
    // hangs for 10 s. Returns the exit status as the shell shows it.
    int terminate() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGTERM);
            const auto deadline = Clock::now() + std::chrono::seconds(10);
            int status = 0;
            pid_t done = 0;
            while ((done = ::waitpid(m_pid, &status, WNOHANG)) == 0 && Clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            if (done != m_pid) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
            }
            m_pid = -1;
            m_status = status;
        }
        return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : 128 + WTERMSIG(m_status);
    }

private:
    pid_t m_pid = -1;
    int m_status = 0;
};

// CPU seconds (user + system) a process has used so far, from /proc (the relay is not our child's
// rusage until it has exited).
double processCpuSeconds(pid_t pid) {
    const std::string stat = readWhole("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    // After "pid (comm) " come state (3) … utime (14) and stime (15).
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14)
            utime = std::stoull(field);
        else if (index == 15)
            stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double selfCpuSeconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// --- the month's files ---------------------------------------------------------------------------------

struct Person {
    const char* kana;
    const char* name;
    const char* sex;
    const char* birth;
};

const Person kPeople[] = {
    {"ヤマダ　ハナコ", "山田　花子", "2", "19400115"},
    {"タナカ　イチロウ", "田中　一郎", "1", "19361102"},
    {"タカハシ　キヨ", "髙橋　キヨ", "2", "19331224"},
    {"ササキ　ミツコ", "佐々木　ミツ子", "2", "19380704"},
    {"ワタナベ　タツオ", "渡邊　辰夫", "1", "19350318"},
    {"イトウ　ハル", "伊藤　ハル", "2", "19300511"},
    {"ナカムラ　ユキエ", "中村　雪江", "2", "19411203"},
    {"コバヤシ　マサヨシ", "小林　正義", "1", "19390827"},
    {"カトウ　トメ", "加藤　トメ", "2", "19290130"},
    {"ヨシダ　シゲオ", "吉田　重雄", "1", "19370916"},
};

struct Visit {
    const char* code;
    int units;
    const char* start;
    const char* end;
    std::vector<int> days;
};

struct Partner {
    std::string number;
    std::string name;
};

struct MonthFiles {
    std::vector<std::string> paths;
    std::map<std::string, std::map<std::string, std::string>> byRecipient; // office → name → bytes
    std::uint64_t bytes = 0;
    std::uint64_t planBytes = 0; // the UPPLAN files alone
};

std::string day(int d) {
    return std::string(kMonth) + pad(d, 2);
}

// One user's 利用票 unit the way tests/support/SampleMonth.cpp builds its usage unit (which validates with
// no error): 30 visits of two home-help services, the 別表 with one row per service, the subtotal of the
// service kind and the grand total, and the usage-bound 補足. The provider is the recipient.
std::vector<testdata::SampleFile> usageUnit(int unit, const Partner& to, const std::string& sequence) {
    using testdata::Fields;
    const Person& person = kPeople[static_cast<std::size_t>(unit) % std::size(kPeople)];
    const std::string insured = std::to_string(1100000000L + unit);
    std::vector<int> daily, weekly;
    for (int d = 1; d <= 30; ++d)
        (d % 4 == 0 ? weekly : daily).push_back(d);
    const std::vector<Visit> visits = {{"111111", 250, "1000", "1100", daily},
                                       {"111211", 396, "1400", "1500", weekly}};
    auto withUser = [&](Fields f) {
        f[2] = insured;
        return f;
    };

    std::vector<Fields> slips, annex;
    long total = 0;
    for (const Visit& v : visits) {
        for (int d : v.days) {
            Fields f = withUser(testdata::validRecord(FileKind::UpPlan));
            f[3] = "20250325", f[4] = kMonth, f[7] = std::to_string(v.units), f[9] = day(d);
            f[11] = v.start, f[12] = v.end, f[14] = v.code, f[19] = to.number,
            f[20] = testdata::quoted(to.name);
            slips.push_back(f);
        }
        const int count = static_cast<int>(v.days.size());
        Fields a = withUser(testdata::validRecord(FileKind::UpSikyu));
        a[3] = "20250325", a[5] = testdata::quoted(to.name), a[6] = to.number, a[8] = v.code;
        a[12] = std::to_string(v.units), a[15] = std::to_string(count);
        a[16] = std::to_string(v.units * count), a[17] = a[16], a[21] = a[16];
        annex.push_back(a);
        total += v.units * count;
    }
    Fields subtotal = withUser(testdata::annexGrandTotal());
    subtotal[3] = "20250325", subtotal[5] = testdata::quoted(to.name), subtotal[6] = to.number,
    subtotal[8] = "11AAAA";
    subtotal[15] = "0", subtotal[16] = std::to_string(total), subtotal[17] = subtotal[16],
    subtotal[21] = subtotal[16];
    annex.push_back(subtotal);
    Fields grand = withUser(testdata::annexGrandTotal());
    grand[3] = "20250325", grand[15] = "0", grand[16] = std::to_string(total), grand[17] = grand[16],
    grand[21] = grand[16];
    annex.push_back(grand);
    Fields supplement = withUser(testdata::usageSupplement(kMonth));
    supplement[4] = testdata::quoted(person.kana), supplement[5] = testdata::quoted(person.name),
    supplement[6] = person.sex, supplement[7] = person.birth;

    auto name = [&](FileKind kind) {
        return testdata::fileName(kind, kMonth, sequence, kManager, "43", to.number, "11");
    };
    return {{name(FileKind::UpPlan), testdata::sjis(testdata::toCsv(slips))},
            {name(FileKind::UpSikyu), testdata::sjis(testdata::toCsv(annex))},
            {name(FileKind::UpHosoku), testdata::sjis(testdata::toCsv({supplement}))}};
}

// One minute per unit from 2025-03-25 10:00:00: unique, ascending, a real time of day.
std::string sequenceOf(int unit) {
    const int minutes = 10 * 60 + unit;
    const int dayOfMonth = 25 + minutes / (24 * 60);
    const int hour = minutes % (24 * 60) / 60;
    const int minute = minutes % 60;
    return "202503" + pad(dayOfMonth, 2) + pad(hour, 2) + pad(minute, 2) + "00";
}

MonthFiles writeMonth(const std::string& outbox, const std::vector<Partner>& partners, int units) {
    fs::create_directories(outbox);
    MonthFiles month;
    for (int unit = 0; unit < units; ++unit) {
        const Partner& to = partners[static_cast<std::size_t>(unit) % partners.size()];
        for (const testdata::SampleFile& file : usageUnit(unit, to, sequenceOf(unit))) {
            const std::string path = outbox + "/" + file.name;
            // Plain writes: the care software's export is not what is measured.
            std::ofstream out(path, std::ios::binary);
            out << file.bytes;
            if (!out)
                throw std::runtime_error("cannot write " + path);
            month.paths.push_back(path);
            month.byRecipient[to.number][file.name] = file.bytes;
            month.bytes += file.bytes.size();
            if (file.name.rfind("UPPLAN_", 0) == 0)
                month.planBytes += file.bytes.size();
        }
    }
    return month;
}

// --- offices --------------------------------------------------------------------------------------------

struct Office {
    std::string number;
    std::string name;
    std::string profileDir;
    std::string importDir;
    std::unique_ptr<exchange::Engine> engine;
};

const crypto::Clock& systemClock() {
    static const crypto::SystemClock clock;
    return clock;
}

// As tests/exchange/ExchangeFixture.cpp: the office's PKCS#12 → `init` (initProfile) → an Engine.
Office makeOffice(crypto::TestCa& ca, const std::string& work, const std::string& relayUrl,
                  const std::string& number, const std::string& name) {
    Office office;
    office.number = number;
    office.name = name;
    office.profileDir = work + "/profiles/" + number;
    office.importDir = work + "/import/" + number;
    const crypto::Identity identity = ca.issueOffice({number, name, crypto::KeySpec::ec(), 365});
    const std::string p12 = work + "/offices/" + number + ".p12";
    crypto::writeFileAtomic(p12, crypto::exportPkcs12(identity, crypto::Secret(kPassword), "office"), 0600);

    exchange::InitRequest request;
    request.profileDir = office.profileDir;
    request.relayUrl = relayUrl;
    request.identityP12 = p12;
    request.passwordFile = work + "/password";
    request.trustFile = work + "/ca.pem";
    request.importDir = office.importDir;
    exchange::initProfile(request, systemClock());

    exchange::EngineOptions options;
    options.profileDir = office.profileDir;
    options.clock = &systemClock();
    office.engine = std::make_unique<exchange::Engine>(std::move(options));
    return office;
}

// --- measurement -------------------------------------------------------------------------------------------

struct Phase {
    std::string key;
    std::string label;
    double seconds = 0;
    double benchCpu = 0; // this process: the engines (client side)
    double relayCpu = 0;
};

class PhaseTimer {
public:
    PhaseTimer(std::string key, std::string label, pid_t relay)
        : m_phase{std::move(key), std::move(label)}, m_relay(relay), m_start(Clock::now()),
          m_cpu(selfCpuSeconds()), m_relayCpu(processCpuSeconds(relay)) {}

    Phase finish(std::size_t files) {
        m_phase.seconds = std::chrono::duration<double>(Clock::now() - m_start).count();
        m_phase.benchCpu = selfCpuSeconds() - m_cpu;
        m_phase.relayCpu = processCpuSeconds(m_relay) - m_relayCpu;
        std::printf("(%s) %-44s %8.3f s  %8.1f files/s  cpu: engines %6.3f s, relay %6.3f s\n",
                    m_phase.key.c_str(), m_phase.label.c_str(), m_phase.seconds,
                    static_cast<double>(files) / m_phase.seconds, m_phase.benchCpu, m_phase.relayCpu);
        std::fflush(stdout);
        return m_phase;
    }

private:
    Phase m_phase;
    pid_t m_relay;
    Clock::time_point m_start;
    double m_cpu;
    double m_relayCpu;
};

class Checks {
public:
    void expect(bool ok, const std::string& what) {
        if (ok)
            return;
        m_failures.push_back(what);
        std::fprintf(stderr, "CHECK FAILED: %s\n", what.c_str());
    }
    bool ok() const { return m_failures.empty(); }
    const std::vector<std::string>& failures() const { return m_failures; }

private:
    std::vector<std::string> m_failures;
};

std::string cpuModel() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(line.find_first_not_of(" \t", colon + 1));
        }
    }
    return "unknown";
}

std::string kernel() {
    utsname name{};
    if (::uname(&name) != 0)
        return "unknown";
    return std::string(name.sysname) + " " + name.release;
}

std::int64_t countOutgoing(store::Store& store, std::vector<store::MessageState> states) {
    store::HistoryQuery query;
    query.direction = store::Direction::Outgoing;
    query.states = std::move(states);
    return store.countHistory(query);
}

std::int64_t countIncoming(store::Store& store, std::vector<store::MessageState> states) {
    store::HistoryQuery query;
    query.direction = store::Direction::Incoming;
    query.states = std::move(states);
    return store.countHistory(query);
}

int run(const Options& options) {
    const std::string work = fs::absolute(options.work).lexically_normal().string();
    fs::create_directories(work + "/offices");
    crypto::writeFileAtomic(work + "/password", std::string(kPassword) + "\n", 0600);
    const auto setupStart = Clock::now();

    // Test network: CA, the relay's certificate for localhost and 127.0.0.1, the offices (EC P-256).
    crypto::TestCa ca =
        crypto::TestCa::create(work + "/ca", "Bench Month CA", crypto::KeySpec::ec(), systemClock());
    crypto::writeFileAtomic(work + "/ca.pem", ca.certificate().toPem(), 0644);
    const crypto::Identity server = ca.issueServer({"localhost", {"127.0.0.1"}});
    crypto::writeFileAtomic(work + "/server.p12",
                            crypto::exportPkcs12(server, crypto::Secret(kPassword), "relay"), 0600);

    const std::string portFile = work + "/relay.port";
    fs::remove(portFile);
    ChildProcess relay({options.relayExe, "--listen", "127.0.0.1:0", "--port-file", portFile, "--cert",
                        work + "/server.p12", "--password-file", work + "/password", "--ca", work + "/ca.pem",
                        "--db", work + "/relay.db", "--quiet", "--rate", "0"},
                       work + "/relay.log");
    std::string port;
    for (const auto deadline = Clock::now() + std::chrono::seconds(30); Clock::now() < deadline;) {
        port = readWhole(portFile);
        // The relay writes the port and a newline; without the newline it is still writing.
        if (!port.empty() && port.back() == '\n')
            break;
        if (!relay.running())
            throw std::runtime_error("the relay exited at start:\n" + readWhole(work + "/relay.log"));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (port.empty() || port.back() != '\n')
        throw std::runtime_error("the relay wrote no port file in 30 s:\n" + readWhole(work + "/relay.log"));
    port.pop_back();
    const std::string relayUrl = "https://127.0.0.1:" + port;
    std::printf("relay: %s (pid %d, SQLite %s/relay.db)\n", relayUrl.c_str(), static_cast<int>(relay.pid()),
                work.c_str());

    std::vector<Partner> partners;
    for (int i = 1; i <= options.partners; ++i)
        partners.push_back({pad(1300000000L + i, 10), "事業所" + pad(i, 2)});
    Office manager = makeOffice(ca, work, relayUrl, kManager, "さくら居宅介護支援事業所");
    std::vector<Office> offices;
    for (const Partner& partner : partners)
        offices.push_back(makeOffice(ca, work, relayUrl, partner.number, partner.name));
    // The relay learns an office from its first connection; a recipient it does not know is refused.
    manager.engine->receive();
    for (Office& office : offices)
        office.engine->receive();

    const MonthFiles month = writeMonth(work + "/outbox", partners, options.units);
    const std::size_t files = month.paths.size();
    const double setupSeconds = std::chrono::duration<double>(Clock::now() - setupStart).count();
    std::printf("month: %d send units, %zu files to %d partners, %llu bytes (UPPLAN %llu bytes, %.1f KB "
                "average); setup %.1f s (not timed)\n",
                options.units, files, options.partners, static_cast<unsigned long long>(month.bytes),
                static_cast<unsigned long long>(month.planBytes),
                static_cast<double>(month.planBytes) / options.units / 1000.0, setupSeconds);
    std::fflush(stdout);

    Checks checks;
    std::vector<Phase> phases;

    PhaseTimer planTimer("1", "plan: validate every file and unit", relay.pid());
    const exchange::SendPlan plan = manager.engine->plan({work + "/outbox"});
    phases.push_back(planTimer.finish(files));
    if (plan.refused() != 0 || plan.sendable() != files) {
        for (const auto& unit : plan.units) {
            for (const auto& file : unit.files) {
                if (!file.refusal.empty())
                    std::fprintf(stderr, "refused %s: %s\n", file.fileName.c_str(), file.refusal.c_str());
            }
        }
        throw std::runtime_error("the generated month does not validate: " + std::to_string(plan.refused()) +
                                 " refused, " + std::to_string(plan.sendable()) + " sendable of " +
                                 std::to_string(files));
    }

    PhaseTimer queueTimer("2", "queue: directory lookups, seal, commit", relay.pid());
    const std::vector<exchange::QueuedFile> queued = manager.engine->queue(plan);
    phases.push_back(queueTimer.finish(files));
    std::size_t queuedOk = 0;
    for (const auto& file : queued) {
        if (file.refusal.empty())
            ++queuedOk;
        else
            std::fprintf(stderr, "not queued %s: %s\n", file.fileName.c_str(), file.refusal.c_str());
    }
    checks.expect(queuedOk == files, "queued " + std::to_string(queuedOk) + " of " + std::to_string(files));

    PhaseTimer sendTimer("3", "sendPending: upload", relay.pid());
    const exchange::SendReport sent = manager.engine->sendPending();
    phases.push_back(sendTimer.finish(files));
    checks.expect(sent.relayed == static_cast<int>(files) && sent.failed == 0 && sent.waiting == 0,
                  "sendPending: relayed " + std::to_string(sent.relayed) + ", waiting " +
                      std::to_string(sent.waiting) + ", failed " + std::to_string(sent.failed));

    PhaseTimer receiveTimer("4", "partners' receive: download … acknowledge", relay.pid());
    std::size_t saved = 0;
    int quarantined = 0, deferred = 0;
    for (Office& office : offices) {
        const exchange::ReceiveReport report = office.engine->receive();
        saved += report.saved.size();
        quarantined += report.quarantined;
        deferred += report.deferred;
    }
    phases.push_back(receiveTimer.finish(files));
    checks.expect(saved == files && quarantined == 0 && deferred == 0,
                  "partners saved " + std::to_string(saved) + " (quarantined " + std::to_string(quarantined) +
                      ", deferred " + std::to_string(deferred) + ")");

    PhaseTimer receiptTimer("5", "care manager's receive: receipts", relay.pid());
    const exchange::ReceiveReport receipts = manager.engine->receive();
    phases.push_back(receiptTimer.finish(files));
    checks.expect(receipts.receipts == static_cast<int>(files) && receipts.badReceipts == 0,
                  "receipts verified " + std::to_string(receipts.receipts) + ", bad " +
                      std::to_string(receipts.badReceipts));

    // --- correctness, not timed ---
    std::size_t intact = 0;
    for (Office& office : offices) {
        const auto mine = month.byRecipient.find(office.number);
        // With more partners than units some partners get nothing: their folder must stay empty.
        const std::map<std::string, std::string> none;
        const auto& expected = mine == month.byRecipient.end() ? none : mine->second;
        std::size_t found = 0;
        for (const auto& entry : fs::directory_iterator(office.importDir)) {
            ++found;
            const std::string name = entry.path().filename().string();
            const auto it = expected.find(name);
            if (it == expected.end())
                checks.expect(false, office.number + ": unexpected file " + name + " in the import folder");
            else if (crypto::readFile(entry.path().string()) != it->second)
                checks.expect(false, office.number + ": " + name + " differs from what was sent");
            else
                ++intact;
        }
        checks.expect(found == expected.size(), office.number + ": " + std::to_string(found) +
                                                    " files in the import folder, expected " +
                                                    std::to_string(expected.size()));
        const std::int64_t acknowledged =
            countIncoming(office.engine->store(), {store::MessageState::Acknowledged});
        checks.expect(acknowledged == static_cast<std::int64_t>(expected.size()),
                      office.number + ": " + std::to_string(acknowledged) +
                          " incoming acknowledged, expected " + std::to_string(expected.size()));
    }
    const std::int64_t outgoing = countOutgoing(manager.engine->store(), {});
    const std::int64_t delivered = countOutgoing(manager.engine->store(), {store::MessageState::Delivered});
    checks.expect(outgoing == static_cast<std::int64_t>(files) && delivered == outgoing,
                  "care manager's history: " + std::to_string(outgoing) + " outgoing, " +
                      std::to_string(delivered) + " delivered; expected " + std::to_string(files) + " each");

    manager.engine.reset();
    offices.clear();
    const double relayCpuTotal = processCpuSeconds(relay.pid());
    const int relayExit = relay.terminate();
    checks.expect(relayExit == 0, "relay exit status " + std::to_string(relayExit));

    double endToEnd = 0, total = 0;
    for (std::size_t i = 0; i < phases.size(); ++i) {
        total += phases[i].seconds;
        if (i < 4)
            endToEnd += phases[i].seconds;
    }
    const bool met = endToEnd < kTargetSeconds;
    std::printf("end to end (1)+(2)+(3)+(4): %.3f s, %.1f files/s → target < %.0f s %s\n", endToEnd,
                static_cast<double>(files) / endToEnd, kTargetSeconds, met ? "met" : "NOT met");
    std::printf("all phases (1)..(5):        %.3f s, %.1f files/s\n", total,
                static_cast<double>(files) / total);
    std::printf(
        "checks: %zu of %zu files byte-identical in the partners' import folders; %lld of %lld outgoing "
        "delivered; relay exit %d → %s\n",
        intact, files, static_cast<long long>(delivered), static_cast<long long>(outgoing), relayExit,
        checks.ok() ? "all passed" : "FAILED");

    nlohmann::json seconds = nlohmann::json::object(), rates = nlohmann::json::object();
    nlohmann::json cpu = nlohmann::json::object();
    const char* const names[] = {"plan", "queue", "send", "partners_receive", "manager_receive"};
    for (std::size_t i = 0; i < phases.size(); ++i) {
        seconds[names[i]] = phases[i].seconds;
        rates[names[i]] = static_cast<double>(files) / phases[i].seconds;
        cpu[names[i]] = {{"engines", phases[i].benchCpu}, {"relay", phases[i].relayCpu}};
    }
    seconds["end_to_end"] = endToEnd;
    seconds["total"] = total;
    rates["end_to_end"] = static_cast<double>(files) / endToEnd;
    rates["total"] = static_cast<double>(files) / total;
    const nlohmann::json result = {
        {"benchmark", "exchange_month"},
        {"files", files},
        {"units", options.units},
        {"partners", options.partners},
        {"bytes", month.bytes},
        {"upplan_bytes", month.planBytes},
        {"seconds", seconds},
        {"files_per_s", rates},
        {"cpu_seconds", cpu},
        {"relay_cpu_seconds_total", relayCpuTotal},
        {"setup_s", setupSeconds},
        {"target_s", kTargetSeconds},
        {"target_met", met},
        {"checks_passed", checks.ok()},
        {"failures", checks.failures()},
        {"intact_files", intact},
        {"delivered", delivered},
        {"relay", {{"backend", "sqlite"}, {"exit_status", relayExit}, {"exe", options.relayExe}}},
        {"keys", "EC P-256"},
        {"machine",
         {{"cpu", cpuModel()}, {"nproc", std::thread::hardware_concurrency()}, {"kernel", kernel()}}},
        {"work", work},
    };
    std::printf("%s\n", result.dump().c_str());
    return checks.ok() ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parseOptions(argc, argv);
    try {
        return run(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_month: %s\n", e.what());
        return 2;
    }
}
