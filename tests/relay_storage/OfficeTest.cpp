// The office directory: offices become known by connecting or by an administrator, are disabled only
// by an administrator, and remember the certificates they connected with.
#include "StorageTestSupport.h"

namespace cplink::test {
namespace {

relay::Office connecting(const std::string& number, const std::string& name, relay::UnixTime now) {
    relay::Office office;
    office.number = number;
    office.name = name;
    office.firstSeen = now;
    office.lastSeen = now;
    return office;
}

relay::OfficeCertificate certificate(const std::string& fingerprint, relay::UnixTime notAfter,
                                     relay::UnixTime seenAt) {
    return relay::OfficeCertificate{fingerprint, "-----BEGIN CERTIFICATE-----\n" + fingerprint + "\n",
                                    notAfter, seenAt};
}

std::vector<std::string> fingerprints(const std::vector<relay::OfficeCertificate>& certificates) {
    std::vector<std::string> out;
    for (const auto& c : certificates)
        out.push_back(c.fingerprint);
    return out;
}

TEST_P(StorageTest, ConnectingOfficeBecomesKnownAndEnabled) {
    storage->officeSeen(connecting(kStranger, "新しい事業所", 500), certificate("aa", 9000, 500));
    const std::optional<relay::Office> office = storage->office(kStranger);
    ASSERT_TRUE(office.has_value());
    EXPECT_EQ(office->number, kStranger);
    EXPECT_EQ(office->name, "新しい事業所");
    EXPECT_TRUE(office->enabled);
    EXPECT_EQ(office->firstSeen, 500);
    EXPECT_EQ(office->lastSeen, 500);
    // Known means addressable.
    EXPECT_EQ(storage->upload(envelope(kSakura, kStranger, "m-1", "hello")).outcome,
              relay::UploadOutcome::Stored);
}

TEST_P(StorageTest, ConnectingAgainUpdatesLastSeenAndFillsOnlyAnEmptyName) {
    ASSERT_TRUE(storage->addOffice(kStranger, "", 100));
    storage->officeSeen(connecting(kStranger, "From certificate", 500), certificate("aa", 9000, 500));
    EXPECT_EQ(storage->office(kStranger)->name, "From certificate");

    storage->officeSeen(connecting(kStranger, "Another name", 700), certificate("aa", 9000, 700));
    const relay::Office office = *storage->office(kStranger);
    EXPECT_EQ(office.name, "From certificate");
    EXPECT_EQ(office.firstSeen, 100);
    EXPECT_EQ(office.lastSeen, 700);

    // The administrator's name is kept too.
    storage->officeSeen(connecting(kSakura, "Certificate name", 800), certificate("bb", 9000, 800));
    EXPECT_EQ(storage->office(kSakura)->name, "さくら居宅");
}

TEST_P(StorageTest, ConnectingNeverEnablesADisabledOffice) {
    ASSERT_TRUE(storage->setOfficeEnabled(kHimawari, false));
    storage->officeSeen(connecting(kHimawari, "ひまわり", 900), certificate("aa", 9000, 900));
    const relay::Office office = *storage->office(kHimawari);
    EXPECT_FALSE(office.enabled);
    EXPECT_EQ(office.lastSeen, 900);
}

TEST_P(StorageTest, CertificatesAreRememberedOnceAndListedNewestFirstWhileValid) {
    storage->officeSeen(connecting(kSakura, "", 100), certificate("old", 1000, 100));
    storage->officeSeen(connecting(kSakura, "", 200), certificate("current", 5000, 200));
    storage->officeSeen(connecting(kSakura, "", 300), certificate("renewed", 9000, 300));
    storage->officeSeen(connecting(kSakura, "", 400), certificate("same-expiry-later", 5000, 400));
    storage->officeSeen(connecting(kSakura, "", 500), certificate("current", 5000, 500)); // seen again
    storage->officeSeen(connecting(kHimawari, "", 500), certificate("himawari", 9000, 500));
    storage->officeSeen(connecting(kSakura, "", 600), relay::OfficeCertificate{}); // no certificate at hand

    // At 900 "old" (notAfter 1000) is valid; at 1000 it is not (notAfter must be after now).
    EXPECT_EQ(fingerprints(storage->officeCertificates(kSakura, 900)),
              (std::vector<std::string>{"renewed", "current", "same-expiry-later", "old"}));
    const auto valid = storage->officeCertificates(kSakura, 1000);
    EXPECT_EQ(fingerprints(valid), (std::vector<std::string>{"renewed", "current", "same-expiry-later"}));
    EXPECT_EQ(valid[1].pem, "-----BEGIN CERTIFICATE-----\ncurrent\n");
    EXPECT_EQ(valid[1].notAfter, 5000);
    EXPECT_EQ(valid[1].seenAt, 500); // the last time it was seen
    EXPECT_EQ(fingerprints(storage->officeCertificates(kSakura, 9000)), std::vector<std::string>{});
    EXPECT_EQ(fingerprints(storage->officeCertificates(kHimawari, 900)),
              (std::vector<std::string>{"himawari"}));
    EXPECT_TRUE(storage->officeCertificates(kStranger, 900).empty());
}

TEST_P(StorageTest, AdministratorAddsAndRenamesOffices) {
    EXPECT_TRUE(storage->addOffice(kStranger, "Added", 300));
    relay::Office office = *storage->office(kStranger);
    EXPECT_EQ(office.name, "Added");
    EXPECT_TRUE(office.enabled);
    EXPECT_EQ(office.firstSeen, 300);
    EXPECT_EQ(office.lastSeen, 0); // never connected

    EXPECT_FALSE(storage->addOffice(kStranger, "Renamed", 400));
    office = *storage->office(kStranger);
    EXPECT_EQ(office.name, "Renamed");
    EXPECT_EQ(office.firstSeen, 300);

    // Renaming a disabled office does not enable it.
    ASSERT_TRUE(storage->setOfficeEnabled(kStranger, false));
    EXPECT_FALSE(storage->addOffice(kStranger, "Renamed again", 500));
    EXPECT_FALSE(storage->office(kStranger)->enabled);
}

TEST_P(StorageTest, EnablingNeedsAKnownOffice) {
    EXPECT_FALSE(storage->setOfficeEnabled(kStranger, false));
    EXPECT_FALSE(storage->office(kStranger).has_value());
    EXPECT_TRUE(storage->setOfficeEnabled(kSakura, false));
    EXPECT_FALSE(storage->office(kSakura)->enabled);
    EXPECT_TRUE(storage->setOfficeEnabled(kSakura, true));
    EXPECT_TRUE(storage->office(kSakura)->enabled);
}

TEST_P(StorageTest, OfficesAreListedByNumber) {
    storage->officeSeen(connecting("0100000001", "first", 50), relay::OfficeCertificate{});
    const std::vector<relay::Office> all = storage->offices();
    std::vector<std::string> numbers;
    for (const auto& office : all)
        numbers.push_back(office.number);
    EXPECT_EQ(numbers, (std::vector<std::string>{"0100000001", kHimawari, kSakura, kTsubaki}));
    EXPECT_EQ(all[2].name, "さくら居宅");
}

} // namespace
} // namespace cplink::test
