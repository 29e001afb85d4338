// Partners, own identities, the audit log and settings.
#include "StoreTestSupport.h"

#include <gtest/gtest.h>

namespace cplink::store::test {
namespace {

using cplink::test::TempDir;

class StoreProfile : public ::testing::Test {
protected:
    TempDir dir;
    Store store{dir.path() + "/profile.sqlite"};
};

Partner partner(const std::string& office, const std::string& name, int certificates = 1) {
    Partner p;
    p.office = office;
    p.name = name;
    p.certificatesAt = 500;
    for (int i = 0; i < certificates; ++i)
        p.certificates.push_back({office + "-fp" + std::to_string(i),
                                  "-----BEGIN CERTIFICATE-----\n" + office, 100 + i, 1000 + i});
    return p;
}

std::vector<std::string> offices(const std::vector<Partner>& partners) {
    std::vector<std::string> out;
    for (const auto& p : partners)
        out.push_back(p.office);
    return out;
}

TEST_F(StoreProfile, PartnersAreSavedWithTheirCertificates) {
    store.savePartner(partner("0300000100", "さくら居宅介護支援", 2));
    const auto p = store.partner("0300000100");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->name, "さくら居宅介護支援");
    EXPECT_FALSE(p->favourite);
    EXPECT_EQ(p->lastSeen, 0);
    EXPECT_EQ(p->certificatesAt, 500);
    ASSERT_EQ(p->certificates.size(), 2u);
    EXPECT_EQ(p->certificates[1].fingerprint, "0300000100-fp1");
    EXPECT_EQ(p->certificates[1].pem, "-----BEGIN CERTIFICATE-----\n0300000100");
    EXPECT_EQ(p->certificates[1].notBefore, 101);
    EXPECT_EQ(p->certificates[1].notAfter, 1001);
    EXPECT_FALSE(store.partner("0300000999"));
}

TEST_F(StoreProfile, SavingAgainReplacesCertificatesButKeepsFavouriteAndLastSeen) {
    store.savePartner(partner("0300000100", "old name", 2));
    store.setFavourite("0300000100", true);
    store.touchPartner("0300000100", 777);
    Partner renewed = partner("0300000100", "new name", 0);
    renewed.certificates.push_back({"rotated", "pem", 2000, 3000});
    renewed.certificatesAt = 900;
    renewed.favourite = false; // directory data does not know about favourites
    store.savePartner(renewed);
    const auto p = store.partner("0300000100");
    EXPECT_EQ(p->name, "new name");
    EXPECT_TRUE(p->favourite);
    EXPECT_EQ(p->lastSeen, 777);
    EXPECT_EQ(p->certificatesAt, 900);
    ASSERT_EQ(p->certificates.size(), 1u);
    EXPECT_EQ(p->certificates[0].fingerprint, "rotated");
}

TEST_F(StoreProfile, TouchCreatesABareEntry) {
    store.touchPartner("2720000400", 1234);
    const auto p = store.partner("2720000400");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->name, "");
    EXPECT_EQ(p->lastSeen, 1234);
    EXPECT_TRUE(p->certificates.empty());
    store.touchPartner("2720000400", 2000);
    EXPECT_EQ(store.partner("2720000400")->lastSeen, 2000);
}

TEST_F(StoreProfile, PartnerSearchByOfficePrefixOrNameFavouritesFirstThenLastSeen) {
    store.savePartner(partner("0300000100", "さくら居宅介護支援"));
    store.savePartner(partner("0300000200", "ひまわりデイサービス"));
    store.savePartner(partner("1310000300", "Sakura Home Care"));
    store.savePartner(partner("0310000400", "100% care_center"));
    store.touchPartner("0300000100", 10);
    store.touchPartner("0300000200", 30);
    store.touchPartner("1310000300", 20);
    store.setFavourite("1310000300", true);

    EXPECT_EQ(offices(store.partners()),
              (std::vector<std::string>{"1310000300", "0300000200", "0300000100", "0310000400"}));
    EXPECT_EQ(offices(store.partners("03")),
              (std::vector<std::string>{"0300000200", "0300000100", "0310000400"}));
    EXPECT_EQ(offices(store.partners("0300")), (std::vector<std::string>{"0300000200", "0300000100"}));
    EXPECT_EQ(offices(store.partners("00003")), (std::vector<std::string>{})); // not a prefix
    EXPECT_EQ(offices(store.partners("さくら")), (std::vector<std::string>{"0300000100"}));
    EXPECT_EQ(offices(store.partners("sakura")), (std::vector<std::string>{"1310000300"}));
    EXPECT_EQ(offices(store.partners("デイ")), (std::vector<std::string>{"0300000200"}));
    EXPECT_EQ(offices(store.partners("%")), (std::vector<std::string>{"0310000400"}));
    // "_" is literal: "e_c" would otherwise also match "Home Care" (case-insensitive "e C").
    EXPECT_EQ(offices(store.partners("e_c")), (std::vector<std::string>{"0310000400"}));
    EXPECT_EQ(offices(store.partners("e c")), (std::vector<std::string>{"1310000300"}));

    store.setFavourite("1310000300", false);
    EXPECT_EQ(offices(store.partners()).front(), "0300000200");
    ASSERT_EQ(store.partners("1310").size(), 1u);
    EXPECT_EQ(store.partners("1310")[0].certificates.size(), 1u);
}

TEST_F(StoreProfile, IdentitiesReplaceTheEntryOfTheSameOffice) {
    store.addIdentity({"0300000005", "本店", "/p/id-1.pem", "PEM1", 10});
    store.addIdentity({"0300000006", "支店", "/p/id-2.pem", "PEM2", 20});
    store.addIdentity({"0300000005", "本店 (renewed)", "/p/id-3.pem", "PEM3", 30});
    const auto all = store.identities();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].office, "0300000005");
    EXPECT_EQ(all[0].name, "本店 (renewed)");
    EXPECT_EQ(all[0].identityPath, "/p/id-3.pem");
    EXPECT_EQ(all[0].certificatePem, "PEM3");
    EXPECT_EQ(all[0].addedAt, 30);
    EXPECT_EQ(store.identity("0300000006")->name, "支店");
    EXPECT_FALSE(store.identity("0300000007"));
}

TEST_F(StoreProfile, AuditLogAppendsAndPages) {
    for (int i = 0; i < 5; ++i)
        store.audit("care1", "send", "MSG" + std::to_string(i), "to 0300000100", 100 + i);
    const auto all = store.auditLog();
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all[0].actor, "care1");
    EXPECT_EQ(all[0].action, "send");
    EXPECT_EQ(all[0].subject, "MSG0");
    EXPECT_EQ(all[0].detail, "to 0300000100");
    EXPECT_EQ(all[0].at, 100);
    const auto next = store.auditLog(2, all[1].id);
    ASSERT_EQ(next.size(), 2u);
    EXPECT_EQ(next[0].subject, "MSG2");
    EXPECT_EQ(next[1].subject, "MSG3");
    EXPECT_TRUE(store.auditLog(0).empty());
    EXPECT_TRUE(store.auditLog(-1).empty());
}

TEST_F(StoreProfile, TheSchemaRefusesToChangeOrDeleteAuditEntries) {
    store.audit("engine", "receive", "MSG", "", 1);
    RawDb raw(store.path());
    EXPECT_NE(raw.exec("UPDATE audit_log SET actor = 'someone else'"), SQLITE_OK);
    EXPECT_NE(raw.lastError().find("append-only"), std::string::npos) << raw.lastError();
    EXPECT_NE(raw.exec("DELETE FROM audit_log"), SQLITE_OK);
    EXPECT_NE(raw.lastError().find("append-only"), std::string::npos) << raw.lastError();
    EXPECT_EQ(
        raw.exec("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (2, 'a', 'b', 'c', 'd')"),
        SQLITE_OK);
    const auto entries = store.auditLog();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].actor, "engine");
}

TEST_F(StoreProfile, Settings) {
    EXPECT_FALSE(store.setting("relay.url"));
    store.setSetting("relay.url", "https://relay.example:8443");
    store.setSetting("empty", "");
    EXPECT_EQ(store.setting("relay.url"), "https://relay.example:8443");
    store.setSetting("relay.url", "https://other.example");
    EXPECT_EQ(store.setting("relay.url"), "https://other.example");
    EXPECT_EQ(store.setting("empty"), "");
}

} // namespace
} // namespace cplink::store::test
