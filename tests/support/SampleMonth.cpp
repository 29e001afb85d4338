// The realistic sample month (resources/samples) and the large-file generator for benchmarks.
#include "SampleData.h"
#include "spec/TextRules.h"

#include <map>

namespace cplink::testdata {

using spec::FileKind;

namespace {

constexpr const char* kCareManager = "0300000100"; // さくら居宅介護支援事業所 (43)
constexpr const char* kHomeHelp = "0300000005";    // ひまわり訪問介護 (11)
constexpr const char* kEquipment = "0300000007";   // あおば福祉用具 (17)
constexpr const char* kCenter = "0310000001";      // 千代田地域包括支援センター (46)
constexpr const char* kDayService = "0300000009";  // つばさデイサービス (A6)

struct User {
    const char* insurer;
    const char* insured;
    const char* kana;
    const char* name;
    const char* sex;
    const char* birth;
    const char* careLevel;
    const char* limit;
    const char* planDate;
};

const User kUsers[] = {
    {"123456", "1234567890", "ヤマダ　ハナコ", "山田　花子", "2", "19400115", "22", "19705", "20250320"},
    {"123456", "2345678901", "タナカ　イチロウ", "田中　一郎", "1", "19361102", "21", "16765", "20250318"},
    {"131016", "H123456789", "タカハシ　キヨ", "髙橋　キヨ", "2", "19331224", "23", "27048", "20250310"},
};

struct Visit {
    const char* code;
    const char* provider;
    const char* providerName;
    int units;
    const char* start;
    const char* end;
    std::vector<int> days;
};

std::vector<Visit> visitsOf(std::size_t user) {
    switch (user) {
    case 0:
        return {
            {"111111", kHomeHelp, "ひまわり訪問介護", 250, "1000", "1100", {3, 7, 10, 14, 17, 21, 24, 28}},
            {"111211", kHomeHelp, "ひまわり訪問介護", 396, "1400", "1500", {5, 19}},
            {"171007", kEquipment, "あおば福祉用具", 300, "9999", "9999", {1}}};
    case 1:
        return {{"112111",
                 kHomeHelp,
                 "ひまわり訪問介護",
                 183,
                 "0930",
                 "1015",
                 {1, 4, 8, 11, 15, 18, 22, 25, 29}}};
    default:
        return {
            {"111111", kHomeHelp, "ひまわり訪問介護", 250, "0800", "0900", {1, 2, 3, 4, 7, 8, 9, 10, 11}},
            {"111111", kHomeHelp, "ひまわり訪問介護", 250, "1800", "1900", {1, 2, 3, 4, 7, 8, 9, 10, 11}}};
    }
}

std::string day(const char* month, int d) {
    return std::string(month) + (d < 10 ? "0" : "") + std::to_string(d);
}

SampleFile makeFile(std::string name, const std::vector<Fields>& records) {
    return {std::move(name), sjis(toCsv(records))};
}

Fields withUser(Fields f, const User& u) {
    f[1] = u.insurer;
    f[2] = u.insured;
    return f;
}

std::vector<SampleFile> planUnit() {
    const char* seq = "20250320093000";
    std::vector<Fields> plan1, plan2, plan3, supplement;
    for (const auto& u : kUsers) {
        Fields p1 = withUser(validRecord(FileKind::Up1Kyo), u);
        p1[3] = u.planDate, p1[13] = u.planDate, p1[20] = u.careLevel;
        plan1.push_back(p1);
        Fields p2 = withUser(validRecord(FileKind::Up2Kyo), u);
        p2[3] = u.planDate, p2[4] = u.planDate;
        plan2.push_back(p2);
        Fields p2b = p2;
        p2b[6] = quoted(""), p2b[8] = quoted(""), p2b[9] = quoted(""), p2b[10] = quoted(""),
        p2b[11] = quoted("");
        p2b[12] = "2", p2b[13] = quoted("福祉用具貸与（手すり）"), p2b[15] = quoted("福祉用具貸与"),
        p2b[16] = kEquipment;
        p2b[17] = quoted("あおば福祉用具"), p2b[18] = quoted("常時");
        plan2.push_back(p2b);
        Fields p3 = withUser(validRecord(FileKind::Up3Kyo), u);
        p3[3] = u.planDate, p3[4] = u.planDate;
        plan3.push_back(p3);
        Fields p3daily = p3;
        p3daily[5] = quoted(""), p3daily[6] = "", p3daily[7] = "", p3daily[8] = "";
        p3daily[9] = quoted("起床"), p3daily[10] = "0600", p3daily[11] = "0630";
        plan3.push_back(p3daily);
        Fields p3other = p3;
        p3other[5] = quoted(""), p3other[6] = "", p3other[7] = "", p3other[8] = "";
        p3other[12] = "\"通院（月1回、\"\"かかりつけ医\"\"）\"";
        plan3.push_back(p3other);
        Fields s = withUser(validRecord(FileKind::UpHosoku), u);
        s[3] = u.planDate, s[4] = quoted(u.kana), s[5] = quoted(u.name), s[6] = u.sex, s[7] = u.birth,
        s[17] = u.careLevel;
        s[18] = u.limit;
        supplement.push_back(s);
    }
    return {makeFile(fileName(FileKind::Up1Kyo, {}, seq), plan1),
            makeFile(fileName(FileKind::Up2Kyo, {}, seq), plan2),
            makeFile(fileName(FileKind::Up3Kyo, {}, seq), plan3),
            makeFile(fileName(FileKind::UpHosoku, "000000", seq), supplement)};
}

std::vector<SampleFile> usageUnit() {
    const char* seq = "20250325100000";
    const char* month = "202504";
    std::vector<Fields> slips, annex, supplement;
    for (std::size_t i = 0; i < std::size(kUsers); ++i) {
        const User& u = kUsers[i];
        std::map<std::string, std::pair<int, int>> perKind; // kind -> rows, units
        long total = 0;
        for (const auto& v : visitsOf(i)) {
            for (int d : v.days) {
                Fields f = withUser(validRecord(FileKind::UpPlan), u);
                f[3] = "20250325", f[4] = month, f[7] = std::to_string(v.units), f[9] = day(month, d);
                f[11] = v.start, f[12] = v.end, f[14] = v.code, f[19] = v.provider,
                f[20] = quoted(v.providerName);
                if (std::string_view(v.code).substr(0, 2) == "17")
                    f[15] = "00170-000123", f[17] = quoted("木製手すり　ＳＴ－２"), f[18] = "1";
                slips.push_back(f);
            }
            const int count = static_cast<int>(v.days.size());
            Fields a = withUser(validRecord(FileKind::UpSikyu), u);
            a[3] = "20250325", a[5] = quoted(v.providerName), a[6] = v.provider, a[8] = v.code;
            a[12] = std::to_string(v.units), a[15] = std::to_string(count);
            a[16] = std::to_string(v.units * count), a[17] = a[16], a[21] = a[16];
            if (std::string_view(v.code).substr(0, 2) == "17")
                a[9] = "00170-000123", a[11] = quoted("木製手すり　ＳＴ－２");
            annex.push_back(a);
            auto& k = perKind[std::string(v.code).substr(0, 2)];
            k.first++, k.second += v.units * count;
            total += v.units * count;
        }
        for (const auto& [kind, rowsUnits] : perKind) {
            if (rowsUnits.first < 2)
                continue;
            Fields sub = withUser(annexGrandTotal(), u);
            sub[3] = "20250325", sub[5] = quoted("ひまわり訪問介護"), sub[6] = kHomeHelp,
            sub[8] = kind + "AAAA";
            sub[15] = "0", sub[16] = std::to_string(rowsUnits.second), sub[17] = sub[16], sub[21] = sub[16];
            annex.push_back(sub);
        }
        Fields g = withUser(annexGrandTotal(), u);
        g[3] = "20250325", g[15] = "0", g[16] = std::to_string(total), g[17] = g[16], g[21] = g[16];
        annex.push_back(g);
        Fields s = withUser(usageSupplement(month), u);
        s[4] = quoted(u.kana), s[5] = quoted(u.name), s[6] = u.sex, s[7] = u.birth, s[17] = u.careLevel,
        s[18] = u.limit;
        supplement.push_back(s);
    }
    return {makeFile(fileName(FileKind::UpPlan, month, seq), slips),
            makeFile(fileName(FileKind::UpSikyu, month, seq), annex),
            makeFile(fileName(FileKind::UpHosoku, month, seq), supplement)};
}

std::vector<SampleFile> actualsUnit() {
    const char* seq = "20250502090000";
    const char* month = "202504";
    std::vector<Fields> actuals;
    for (std::size_t i = 0; i < std::size(kUsers); ++i) {
        for (const auto& v : visitsOf(i)) {
            if (std::string_view(v.provider) != kHomeHelp)
                continue;
            for (int d : v.days) {
                Fields f = withUser(validRecord(FileKind::UpJsk), kUsers[i]);
                f[3] = "20250501", f[7] = std::to_string(v.units), f[9] = day(month, d);
                f[11] = v.start, f[12] = v.end, f[14] = v.code;
                actuals.push_back(f);
            }
        }
    }
    return {makeFile(fileName(FileKind::UpJsk, month, seq, kHomeHelp, "11", kCareManager, "43"), actuals)};
}

std::vector<SampleFile> usageDeleteUnit() {
    Fields f = withUser(validRecord(FileKind::DltPlan), kUsers[1]);
    f[3] = "202505";
    return {makeFile(fileName(FileKind::DltPlan, "202505", "20250410120000"), {f})};
}

std::vector<SampleFile> preventionUnit() {
    const char* seq = "20250305140000";
    auto name = [&](FileKind kind) {
        return fileName(kind, {}, seq, kCenter, "46", kDayService, "A6");
    };
    Fields basic = validRecord(FileKind::UpKihon);
    basic[2] = "3456789012";
    Fields life1 = validRecord(FileKind::UpKihonSub1);
    Fields life2 = life1;
    life2[4] = quoted("7:30"), life2[5] = quoted("朝食"), life2[6] = quoted("夫が準備");
    Fields history = validRecord(FileKind::UpKihonSub2);
    Fields plan = validRecord(FileKind::UpYobo);
    Fields support1 = validRecord(FileKind::UpYoboSub);
    Fields support2 = support1;
    support2[5] = quoted(""), support2[6] = quoted(""), support2[7] = quoted(""), support2[8] = quoted(""),
    support2[9] = "2";
    support2[10] = quoted("買い物の同行"), support2[11] = quoted("長女が週末に同行"),
    support2[12] = quoted(""), support2[13] = "1";
    support2[14] = quoted("家族"), support2[15] = quoted("長女"), support2[16] = quoted("6カ月間");
    for (Fields* f : {&life1, &life2, &history, &plan, &support1, &support2})
        (*f)[2] = "3456789012";
    return {makeFile(name(FileKind::UpKihon), {basic}), makeFile(name(FileKind::UpKihonSub1), {life1, life2}),
            makeFile(name(FileKind::UpKihonSub2), {history}), makeFile(name(FileKind::UpYobo), {plan}),
            makeFile(name(FileKind::UpYoboSub), {support1, support2})};
}

} // namespace

std::vector<SampleFile> sampleMonth() {
    std::vector<SampleFile> files;
    for (auto&& unit : {planUnit(), usageUnit(), actualsUnit(), usageDeleteUnit(), preventionUnit()})
        files.insert(files.end(), unit.begin(), unit.end());
    return files;
}

UsageSlipGenerator::UsageSlipGenerator(std::string_view month) : m_month(month) {
    m_names = {"山田　花子", "田中　一郎", "髙橋　キヨ", "佐々木　ミツ子", "渡邊　辰夫",
               "伊藤　ハル", "中村　雪江", "小林　正義", "加藤　トメ",     "吉田　重雄"};
    m_offices = {"ひまわり訪問介護ステーション", "あおば福祉用具レンタルセンター",
                 "デイサービスつばさ（第二）", "訪問看護ステーション「かがやき」",
                 "ショートステイ　さくら苑"};
}

void UsageSlipGenerator::append(std::string& out, std::size_t bytes) {
    const std::size_t target = out.size() + bytes;
    std::string record;
    while (out.size() < target) {
        const std::size_t u = m_user++;
        const std::string insured = std::to_string(1000000000 + u % 900000000);
        const std::string& name = m_names[u % m_names.size()];
        const std::string& office = m_offices[u % m_offices.size()];
        // About thirty services a month per user, as on a real 利用票.
        for (int d = 1; d <= 30 && out.size() < target; ++d) {
            const bool rental = d == 1 && u % 3 == 0;
            record = "202407,123456," + insured + ",20250325," + m_month + ",0300000100,\"" + name + "\"," +
                     (rental ? "300" : "250") + ",," + m_month + (d < 10 ? "0" : "") + std::to_string(d) +
                     ",," + (rental ? "9999,9999" : "1000,1100") + ",1," + (rental ? "171007" : "111111") +
                     "," + (rental ? "00170-000123" : "") + ",,\"" +
                     (rental ? "木製手すり　ＳＴ－２（据置型、\"\"玄関用\"\"）" : "") + "\"," +
                     (rental ? "1" : "") + ",0300000005,\"" + office + "\",,0,0300000100,\r\n";
            out += sjis(record);
        }
    }
}

} // namespace cplink::testdata
