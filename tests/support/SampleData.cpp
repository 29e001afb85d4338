#include "SampleData.h"

#include "spec/Ms932.h"
#include "spec/Schema.h"

#include <stdexcept>

namespace cplink::testdata {

using spec::FileKind;

namespace {

Fields checked(FileKind kind, Fields fields) {
    const auto* layout = spec::Schema::instance().kind(kind).layout(spec::LayoutId::V4);
    if (!layout || layout->size() != fields.size())
        throw std::logic_error("sample record of " + std::string(spec::fileKindId(kind)) + " has " +
                               std::to_string(fields.size()) + " fields");
    return fields;
}

Fields blank(std::size_t n) {
    return Fields(n, "");
}

// Empty free text written as "" (both forms are valid; exporters usually quote every text field).
void quoteEmptyText(FileKind kind, Fields& f) {
    const auto& layout = *spec::Schema::instance().kind(kind).layout(spec::LayoutId::V4);
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i].empty() && layout[i].quoted)
            f[i] = quoted("");
    }
}

} // namespace

std::string quoted(std::string_view text) {
    // Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict) on "\"" + std::string + "\"".
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    out += text;
    out += '"';
    return out;
}

std::string sjis(std::string_view utf8) {
    auto bytes = spec::utf8ToMs932(utf8);
    if (!bytes)
        throw std::invalid_argument("no MS932 form for: " + std::string(utf8));
    return *bytes;
}

std::string joinRecord(const Fields& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i)
            line += ',';
        line += fields[i];
    }
    return line;
}

std::string toCsv(const std::vector<Fields>& records, std::string_view eol) {
    std::string text;
    for (const auto& r : records) {
        text += joinRecord(r);
        text += eol;
    }
    return text;
}

Fields validRecord(FileKind kind) {
    switch (kind) {
    case FileKind::UpHosoku: {
        Fields f = blank(63);
        f[0] = "202407", f[1] = "123456", f[2] = "1234567890", f[3] = "20250320";
        f[4] = quoted("ヤマダ　ハナコ"), f[5] = quoted("山田　花子"), f[6] = "2", f[7] = "19400115";
        f[8] = "100-0013", f[9] = quoted("東京都千代田区霞が関１－２－２"), f[10] = quoted(""),
        f[11] = "03-1234-5678";
        f[12] = "20240325", f[13] = "20240401", f[14] = "20270331", f[15] = "2", f[17] = "22",
        f[18] = "19705";
        f[62] = "000000";
        return checked(kind, f);
    }
    case FileKind::Up1Kyo:
        return checked(kind, {"202407",
                              "123456",
                              "1234567890",
                              "20250320",
                              "100-0013",
                              quoted("東京都千代田区霞が関１－２－２"),
                              quoted(""),
                              quoted("佐藤　一郎"),
                              quoted("さくら居宅介護支援事業所"),
                              "100-0001",
                              quoted("東京都千代田区千代田１－１"),
                              quoted(""),
                              "0300000100",
                              "20250320",
                              "20230401",
                              "21",
                              "2",
                              "20240325",
                              "20240401",
                              "20270331",
                              "22",
                              quoted("自宅で夫と暮らし続けたい。入浴は手伝ってほしい。"),
                              quoted("特になし"),
                              quoted("住み慣れた自宅で安全に入浴できるよう支援します。"),
                              "",
                              quoted(""),
                              "",
                              ""});
    case FileKind::Dlt1Kyo:
    case FileKind::DltPlan:
    case FileKind::DltKihon:
    case FileKind::DltYobo: {
        const char* last = kind == FileKind::Dlt1Kyo   ? "20250320"
                           : kind == FileKind::DltPlan ? "202504"
                                                       : "20250301";
        return checked(kind, {"202407", "123456", "1234567890", last});
    }
    case FileKind::DltJsk:
        return checked(kind, {"202407", "123456", "1234567890", "202504", "0300000005", "11"});
    case FileKind::Up2Kyo:
        return checked(kind, {"202407",
                              "123456",
                              "1234567890",
                              "20250320",
                              "20250320",
                              "1",
                              quoted("一人で入浴するのが不安"),
                              "1",
                              quoted("安心して入浴できる"),
                              quoted("週2回入浴できる"),
                              quoted("2025/04/01～2025/09/30"),
                              quoted("2025/04/01～2025/06/30"),
                              "1",
                              quoted("入浴介助（身体介護）"),
                              "Y",
                              quoted("訪問介護"),
                              "0300000005",
                              quoted("ひまわり訪問介護"),
                              quoted("週2回"),
                              quoted("2025/04/01～2025/06/30"),
                              "",
                              ""});
    case FileKind::Up3Kyo:
        return checked(kind, {"202407", "123456", "1234567890", "20250320", "20250320", quoted("訪問介護"),
                              "1", "1000", "1100", quoted(""), "", "", quoted("")});
    case FileKind::UpPlan:
    case FileKind::UpJsk:
        return checked(kind, {"202407",
                              "123456",
                              "1234567890",
                              "20250320",
                              "202504",
                              "0300000100",
                              quoted("佐藤　一郎"),
                              "250",
                              "",
                              "20250401",
                              "",
                              "1000",
                              "1100",
                              "1",
                              "111111",
                              "",
                              "",
                              quoted(""),
                              "",
                              "0300000005",
                              quoted("ひまわり訪問介護"),
                              "",
                              "0",
                              kind == FileKind::UpPlan ? "0300000100" : "0300000005",
                              ""});
    case FileKind::UpSikyu:
        return checked(kind, {"202407",
                              "123456",
                              "1234567890",
                              "20250320",
                              "202504",
                              quoted("ひまわり訪問介護"),
                              "0300000005",
                              "",
                              "111111",
                              "",
                              "",
                              quoted(""),
                              "250",
                              "",
                              "",
                              "8",
                              "2000",
                              "2000",
                              "",
                              "",
                              "0",
                              "2000",
                              "11.40",
                              "22800",
                              "90",
                              "20520",
                              "",
                              "2280",
                              "0",
                              "",
                              "",
                              "",
                              "0",
                              "",
                              "",
                              "",
                              ""});
    case FileKind::UpKihon: {
        Fields f = blank(71);
        f[0] = "202407", f[1] = "123456", f[2] = "1234567890", f[3] = "20250301", f[4] = "1", f[5] = "1";
        f[6] = quoted("鈴木　愛"), f[7] = "01", f[9] = "01", f[11] = "01", f[13] = quoted("ヤマダ　ハナコ"),
        f[14] = quoted("山田　花子"), f[15] = "2", f[16] = "19400115",
        f[17] = quoted("東京都千代田区霞が関１－２－２");
        f[18] = "03-1234-5678", f[20] = "11", f[21] = "02", f[22] = "12", f[33] = "05", f[34] = "2",
        f[35] = "2";
        f[45] = quoted("山田　太郎"), f[46] = quoted("夫"), f[48] = "03-1234-5678";
        f[62] = quoted("夫と二人暮らし。長女が近所に住む。"), f[69] = "20250305",
        f[70] = quoted("山田　花子");
        quoteEmptyText(kind, f);
        return checked(kind, f);
    }
    case FileKind::UpKihonSub1:
        return checked(
            kind, {"202407", "123456", "1234567890", "20250301", quoted("6:00"), quoted("起床"), quoted("")});
    case FileKind::UpKihonSub2:
        return checked(kind, {"202407", "123456", "1234567890", "20250301", quoted("H12年10月"),
                              quoted("高血圧症"), quoted("霞が関クリニック　田中医師"), "1", "03-0000-0000",
                              "01", quoted("降圧剤を服用")});
    case FileKind::UpYobo: {
        Fields f = blank(57);
        f[0] = "202407", f[1] = "123456", f[2] = "1234567890", f[3] = "20250301", f[4] = "1", f[5] = "1";
        f[7] = quoted("山田　花子"), f[8] = "20250225", f[9] = "20250301", f[10] = "20260228", f[11] = "11",
        f[12] = "2", f[13] = "1", f[14] = quoted("鈴木　愛"), f[19] = "20250301",
        f[20] = quoted("千代田地域包括支援センター");
        f[21] = quoted("毎日散歩に出かける"), f[22] = quoted("友人と旅行に行く"), f[25] = "1", f[29] = "2",
        f[33] = "2", f[37] = "2", f[42] = "3", f[48] = "1", f[55] = "20250305", f[56] = quoted("山田　花子");
        quoteEmptyText(kind, f);
        return checked(kind, f);
    }
    case FileKind::UpYoboSub:
        return checked(kind,
                       {"202407", "123456", "1234567890", "20250301", "1", quoted("外出の機会が減っている"),
                        quoted("週1回の通所で体力をつける"), quoted("通いたい"), quoted("近所を散歩できる"),
                        "1", quoted("無理のない運動"), quoted("毎日の散歩"), quoted("通所型サービス"), "1",
                        quoted("通所型サービス"), quoted("〇〇センター"), quoted("6カ月間")});
    case FileKind::UpKihonImage:
        break;
    }
    throw std::logic_error("no record for this kind");
}

Fields usageSupplement(std::string_view month) {
    Fields f = validRecord(FileKind::UpHosoku);
    f[3] = "00000000";
    f[62] = std::string(month);
    return f;
}

Fields annexGrandTotal() {
    Fields f = validRecord(FileKind::UpSikyu);
    f[5] = quoted(""), f[6] = "9999999999", f[8] = "999999", f[12] = "0", f[16] = "2000";
    return f;
}

std::string fileName(FileKind kind, std::string_view month, std::string_view sequence,
                     std::string_view sender, std::string_view senderService, std::string_view recipient,
                     std::string_view recipientService) {
    std::string name(spec::fileKindId(kind));
    if (!month.empty())
        name.append("_").append(month);
    name.append("_").append(sender).append("_").append(senderService);
    name.append("_").append(recipient).append("_").append(recipientService);
    name.append("_").append(sequence).append(".CSV");
    return name;
}

bool travelsBack(FileKind kind) {
    return kind == FileKind::UpJsk || kind == FileKind::DltJsk;
}

std::string defaultMonth(FileKind kind) {
    if (kind == FileKind::UpHosoku)
        return "000000";
    return spec::Schema::instance().kind(kind).hasMonth ? "202504" : "";
}

std::string directedFileName(FileKind kind, std::string_view month, std::string_view sequence) {
    return travelsBack(kind) ? fileName(kind, month, sequence, "0300000005", "11", "0300000100", "43")
                             : fileName(kind, month, sequence);
}

std::string directedV3FileName(FileKind kind, std::string_view month, std::string_view sequence) {
    std::string name(spec::fileKindId(kind));
    if (!month.empty())
        name.append("_").append(month);
    name += travelsBack(kind) ? "_0300000005_0300000100_" : "_0300000100_0300000005_";
    return name.append(sequence).append(".CSV");
}

} // namespace cplink::testdata
