#include "intercom/config/config_secrets.hpp"

#include <gtest/gtest.h>

namespace intercom {
namespace {

const std::vector<SecretField> kRulesSecrets{{"/rules", "id", "/trigger/code"}};
const std::vector<SecretField> kPlainSecret{{"", "", "/account/password"}};

nlohmann::json rules_with(const std::string& open_code, const std::string& close_code) {
  return {{"rules",
           {{{"id", "open"}, {"trigger", {{"type", "dtmf"}, {"code", open_code}}}},
            {{"id", "close"}, {"trigger", {{"type", "dtmf"}, {"code", close_code}}}},
            {{"id", "sos"}, {"trigger", {{"type", "message"}, {"alert", "OUT1_SOS"}}}}}}};
}

TEST(ConfigSecrets, RedactionHidesEveryCodeAndNothingElse) {
  const auto shown = redact_secrets(rules_with("1234", "4321"), kRulesSecrets);
  EXPECT_EQ(shown["rules"][0]["trigger"]["code"], kRedacted);
  EXPECT_EQ(shown["rules"][1]["trigger"]["code"], kRedacted);
  EXPECT_EQ(shown["rules"][2]["trigger"], (nlohmann::json{{"type", "message"}, {"alert", "OUT1_SOS"}}));
  EXPECT_EQ(shown.dump().find("1234"), std::string::npos);
  EXPECT_EQ(redact_secrets({{"account", {{"password", "pw"}}}}, kPlainSecret)["account"]["password"], kRedacted);
}

TEST(ConfigSecrets, TheRedactedDocumentSentBackKeepsEveryCodeByRuleIdNotPosition) {
  const auto in_force = rules_with("1234", "4321");
  auto sent = redact_secrets(in_force, kRulesSecrets);
  std::swap(sent["rules"][0], sent["rules"][1]);  // reordered: codes follow their rule, not their index
  const auto kept = keep_secrets(sent, in_force, kRulesSecrets);
  EXPECT_EQ(kept["rules"][0]["id"], "close");
  EXPECT_EQ(kept["rules"][0]["trigger"]["code"], "4321");
  EXPECT_EQ(kept["rules"][1]["trigger"]["code"], "1234");
}

TEST(ConfigSecrets, ALeftOutCodeIsKeptAndANewOneTaken) {
  const auto in_force = rules_with("1234", "4321");
  auto sent = in_force;
  sent["rules"][0]["trigger"].erase("code");
  sent["rules"][1]["trigger"]["code"] = "9999";
  const auto kept = keep_secrets(sent, in_force, kRulesSecrets);
  EXPECT_EQ(kept["rules"][0]["trigger"]["code"], "1234");
  EXPECT_EQ(kept["rules"][1]["trigger"]["code"], "9999");
}

TEST(ConfigSecrets, ATriggerThatChangesKindInheritsNoCode) {
  const auto in_force = rules_with("1234", "4321");
  auto sent = in_force;
  sent["rules"][0]["trigger"] = {{"type", "message"}, {"alert", "OPEN"}};
  const auto kept = keep_secrets(sent, in_force, kRulesSecrets);
  EXPECT_FALSE(kept["rules"][0]["trigger"].contains("code"));
}

TEST(ConfigSecrets, TheMarkerWithNothingToKeepIsRefusedAtItsPathWithoutAValue) {
  const auto in_force = rules_with("1234", "4321");
  auto sent = in_force;
  sent["rules"].push_back({{"id", "new"}, {"trigger", {{"type", "dtmf"}, {"code", kRedacted}}}});
  try {
    keep_secrets(sent, in_force, kRulesSecrets);
    FAIL() << "a new rule's code cannot be kept";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/rules/3/trigger/code");
    EXPECT_NE(error.reason().find("\"new\""), std::string::npos) << error.reason();
    EXPECT_FALSE(mentions_a_secret(error.what(), in_force, kRulesSecrets)) << error.what();
  }
}

TEST(ConfigSecrets, SecretPointersAndMentions) {
  EXPECT_TRUE(is_secret_pointer("/rules/2/trigger/code", kRulesSecrets));
  EXPECT_FALSE(is_secret_pointer("/rules/2/trigger/type", kRulesSecrets));
  EXPECT_FALSE(is_secret_pointer("/rules/2/trigger/codes", kRulesSecrets));
  EXPECT_FALSE(is_secret_pointer("/dtmf/max_failures", kRulesSecrets));
  EXPECT_TRUE(is_secret_pointer("/account/password", kPlainSecret));
  EXPECT_TRUE(mentions_a_secret("/rules/0: \"4321\" is wrong", rules_with("1234", "4321"), kRulesSecrets));
  EXPECT_FALSE(mentions_a_secret("/rules/0: wrong", rules_with("1234", "4321"), kRulesSecrets));
}

}  // namespace
}  // namespace intercom
