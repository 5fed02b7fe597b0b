// A CSV of users merged into those kept: added, changed in the columns given, credentials added
// once; every refusal names its line and column and changes nothing; an export reads back as it was.
#include "users_import.hpp"

#include <gtest/gtest.h>

#include "intercom/contract/users_csv.hpp"
#include "../shipped_schemas.hpp"

namespace intercom::access {
namespace {

class UsersImport : public ::testing::Test {
 protected:
  CredentialHasher hasher{CredentialHasher::new_key()};
  AccessConfig config;
  KnownOutputs outputs = std::set<std::string>{"out1", "out2"};
  UserRecords kept;

  void SetUp() override {
    config.profiles.profiles["office"] = {};
    kept.users.push_back({.id = "anna", .name = "Anna Berg", .callers = {"sip:anna@pbx.local"}, .doors = {"out1"}, .valid_from_ms = std::nullopt,
                          .valid_until_ms = std::nullopt, .profile = "", .enabled = true});
    kept.credentials.push_back({.id = 1, .user_id = "anna", .kind = CredentialKind::pin, .hash = hasher.hash(CredentialKind::pin, "2580"), .label = ""});
  }
  std::variant<ImportPlan, CommandRefusal> import(std::string_view csv) {
    return plan_users_import(csv, kept, config, outputs, hasher, testing::shipped_schemas());
  }
  ImportPlan done(std::string_view csv) {
    auto planned = import(csv);
    if (const auto* refusal = std::get_if<CommandRefusal>(&planned)) ADD_FAILURE() << refusal->path << ": " << refusal->reason;
    return std::get_if<ImportPlan>(&planned) ? std::get<ImportPlan>(planned) : ImportPlan{};
  }
  CommandRefusal refused(std::string_view csv) {
    auto planned = import(csv);
    EXPECT_TRUE(std::holds_alternative<CommandRefusal>(planned)) << csv;
    return std::get_if<CommandRefusal>(&planned) ? std::get<CommandRefusal>(planned) : CommandRefusal{};
  }
};

TEST_F(UsersImport, ARowAddsAUserOrChangesOnlyTheColumnsItGives) {
  const auto plan = done("id,name,doors,profile,pins,cards\r\n"
                         "ben,Ben Cole,out1 out2,office,4711,12-34567 013:000042\r\n"
                         "anna,,out2,,,\r\n");
  EXPECT_EQ(plan.counts.users_added, 1);
  EXPECT_EQ(plan.counts.users_changed, 1);
  EXPECT_EQ(plan.counts.credentials_added, 3);
  ASSERT_EQ(plan.users.size(), 2u);
  EXPECT_EQ(plan.users[0].doors, (std::vector<std::string>{"out1", "out2"}));
  EXPECT_EQ(plan.users[0].profile, "office");
  EXPECT_EQ(plan.users[1].name, "Anna Berg") << "an empty name keeps hers";
  EXPECT_EQ(plan.users[1].doors, std::vector<std::string>{"out2"});
  EXPECT_EQ(plan.users[1].callers, std::vector<std::string>{"sip:anna@pbx.local"}) << "no callers column: kept";
  EXPECT_EQ(plan.credentials[2].hash, hasher.hash(CredentialKind::card, "13-42")) << "as printed, in the one form it is hashed in";
}

TEST_F(UsersImport, AnExportImportedAgainChangesNothingAndKeepsEveryCredential) {
  contract::AccessUserShown anna{.id = "anna", .name = "Anna Berg", .callers = {"sip:anna@pbx.local"}, .doors = {"out1"}, .enabled = true};
  const auto plan = done(contract::users_csv_header() + contract::users_csv_line(anna));
  EXPECT_EQ(plan.counts.users_added + plan.counts.users_changed + plan.counts.credentials_added, 0);
  const auto again = done("id,pins\r\nanna,2580\r\n");
  EXPECT_EQ(again.counts.credentials_added, 0) << "her PIN already: kept once";
}

TEST_F(UsersImport, EachRefusalNamesItsLineAndColumn) {
  EXPECT_EQ(refused("id,name,doors\r\nben,Ben,out1\r\ncarl,Carl,out9\r\n").path, "/csv/3/doors");
  EXPECT_NE(refused("id,name,doors\r\ncarl,Carl,out9\r\n").reason.find("no output named out9"), std::string::npos);
  EXPECT_EQ(refused("id,name\r\ncarl,\r\n").path, "/csv/2/name") << "a new user needs a name";
  EXPECT_EQ(refused("id,name,pins\r\nben,Ben,2580\r\n").path, "/csv/2/pins");
  EXPECT_NE(refused("id,name,pins\r\nben,Ben,2580\r\n").reason.find("anna's already"), std::string::npos);
  EXPECT_EQ(refused("id,name,pins\r\nben,Ben,12\r\n").path, "/csv/2/pins");
  EXPECT_EQ(refused("id,name,cards\r\nben,Ben,12-34567 12-34567x\r\n").path, "/csv/2/cards");
  EXPECT_EQ(refused("id,name,profile\r\nben,Ben,night\r\n").path, "/csv/2/profile");
  EXPECT_EQ(refused("id,name,valid_from\r\nben,Ben,tomorrow\r\n").path, "/csv/2/valid_from");
  EXPECT_EQ(refused("id,name,enabled\r\nben,Ben,maybe\r\n").path, "/csv/2/enabled");
  EXPECT_EQ(refused("id,name\r\nBen!,Ben\r\n").path, "/csv/2/id");
  EXPECT_EQ(refused("id,name\r\nben,Ben\r\nben,Benjamin\r\n").path, "/csv/3/id");
  EXPECT_EQ(refused("id,name,colour\r\nben,Ben,red\r\n").path, "/csv/1/colour");
  EXPECT_EQ(refused("name\r\nBen\r\n").path, "/csv/1/id");
  EXPECT_EQ(refused("id,name\r\nben,\"Ben\r\n").path, "/csv/2");
}

}  // namespace
}  // namespace intercom::access
