// The sample data the other tests build on must itself be valid, or every test built on it lies.
#include "SampleData.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace cplink;
using spec::FileKind;

TEST(SampleData, EveryValidRecordPassesAlone) {
    for (int k = 0; k < spec::kFileKindCount; ++k) {
        const auto kind = static_cast<FileKind>(k);
        if (kind == FileKind::UpKihonImage)
            continue;
        std::vector<testdata::Fields> records{testdata::validRecord(kind)};
        if (kind == FileKind::UpSikyu)
            records.push_back(testdata::annexGrandTotal());
        const auto name = testdata::directedFileName(kind, testdata::defaultMonth(kind));
        const auto report = test::validate(name, testdata::toCsv(records));
        EXPECT_EQ(test::fileRules(report), std::vector<std::string>{}) << spec::fileKindId(kind);
    }
}

TEST(SampleData, SampleMonthIsCleanAsABatch) {
    const auto batch = test::validateFiles(testdata::sampleMonth());
    for (const auto& file : batch.files)
        EXPECT_EQ(test::rules(file), std::vector<std::string>{}) << file.fileName;
    ASSERT_EQ(batch.units.size(), 5u);
    EXPECT_EQ(batch.units[0].combination, "preventionPlanWithBasicInfo");
    EXPECT_EQ(batch.units[1].combination, "plan");
    EXPECT_EQ(batch.units[2].combination, "usage");
    EXPECT_EQ(batch.units[3].combination, "usageDelete");
    EXPECT_EQ(batch.units[4].combination, "actuals");
}
