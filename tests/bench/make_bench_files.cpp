// Generates benchmark inputs in the standard's format:
//   make_bench_files usage-slip FILE MIB   a large 第6表 予定 with realistic Japanese free text
//   make_bench_files month DIR             a care manager's month: 300 send units (900 files) to 60 partners
#include "SampleData.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

using namespace cplink::testdata;
using cplink::spec::FileKind;

namespace {

bool writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return static_cast<bool>(out);
}

int usageSlip(const std::string& path, std::size_t mib) {
    std::ofstream out(path, std::ios::binary);
    UsageSlipGenerator generator;
    std::string chunk;
    for (std::size_t written = 0; written < mib << 20;) {
        chunk.clear();
        generator.append(chunk, std::min<std::size_t>(4u << 20, (mib << 20) - written));
        out << chunk;
        written += chunk.size();
    }
    return out ? 0 : 1;
}

std::string twoDigits(std::size_t n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

int month(const std::string& dir) {
    for (std::size_t unit = 0; unit < 300; ++unit) {
        const std::string partner = std::to_string(300001000 + unit % 60);
        const std::string recipient = std::string(10 - partner.size(), '0') + partner;
        const std::string sequence = "20250325" + twoDigits(10 + unit / 60) + twoDigits(unit % 60) + "00";
        const std::string insured = std::to_string(1100000000 + unit);
        std::vector<Fields> slips;
        for (int d = 1; d <= 30; ++d) {
            Fields f = validRecord(FileKind::UpPlan);
            f[2] = insured, f[9] = "202504" + twoDigits(static_cast<std::size_t>(d)), f[19] = recipient;
            slips.push_back(f);
        }
        Fields detail = validRecord(FileKind::UpSikyu);
        detail[2] = insured, detail[6] = recipient, detail[15] = "30", detail[16] = "7500",
        detail[17] = "7500";
        detail[21] = "7500";
        Fields total = annexGrandTotal();
        total[2] = insured, total[16] = "7500", total[17] = "7500", total[21] = "7500";
        Fields supplement = usageSupplement();
        supplement[2] = insured;
        auto name = [&](FileKind kind) {
            return dir + "/" + fileName(kind, "202504", sequence, "0300000100", "43", recipient, "11");
        };
        if (!writeFile(name(FileKind::UpPlan), sjis(toCsv(slips))) ||
            !writeFile(name(FileKind::UpSikyu), sjis(toCsv({detail, total}))) ||
            !writeFile(name(FileKind::UpHosoku), sjis(toCsv({supplement}))))
            return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "usage-slip" && argc == 4)
        return usageSlip(argv[2], std::strtoul(argv[3], nullptr, 10));
    if (mode == "month" && argc == 3)
        return month(argv[2]);
    std::cerr << "usage: make_bench_files usage-slip FILE MIB | month DIR\n";
    return 2;
}
