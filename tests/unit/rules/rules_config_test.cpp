#include "rules_config.hpp"

#include <gtest/gtest.h>

#include "../shipped_schemas.hpp"
#include "intercom/config/config.hpp"

namespace intercom::rules {
namespace {

std::string error_of(const std::string& rules) {
  auto json = nlohmann::json::parse(R"({"rules": )" + rules + "}");
  const auto& schemas = testing::shipped_schemas();
  if (auto violation = schemas.validate("config/rules", json)) return "schema " + violation->to_string();
  schemas.apply_defaults("config/rules", json);
  try {
    parse_rules_config(json);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(RulesConfig, ARuleIdUsedTwiceIsNamed) {
  const auto error = error_of(R"([{"id":"a","trigger":{"type":"message","alert":"X"},"actions":[{"delay_ms":1}]},
                                  {"id":"a","trigger":{"type":"message","alert":"Y"},"actions":[{"delay_ms":1}]}])");
  EXPECT_NE(error.find("/rules/1/id"), std::string::npos) << error;
}

TEST(RulesConfig, AStateBoundRuleMayOnlySwitchOnOrBlink) {
  const auto error = error_of(R"([{"id":"a","trigger":{"type":"while_call","states":["ringing"]},
                                   "actions":[{"output":"out1","action":"pulse"}]}])");
  EXPECT_NE(error.find("/rules/0/actions/0/action"), std::string::npos) << error;
}

TEST(RulesConfig, ACallTriggerNeedsEntersOrLeaves) {
  EXPECT_NE(error_of(R"([{"id":"a","trigger":{"type":"call"},"actions":[{"delay_ms":1}]}])").find("/rules/0/trigger"),
            std::string::npos);
}

TEST(RulesConfig, TheSchemaRefusesUnknownTriggersAndBadCodes) {
  EXPECT_EQ(error_of(R"([{"id":"a","trigger":{"type":"telepathy"},"actions":[{"delay_ms":1}]}])").rfind("schema", 0), 0u);
  EXPECT_EQ(error_of(R"([{"id":"a","trigger":{"type":"dtmf","code":"12#"},"actions":[{"delay_ms":1}]}])").rfind("schema", 0), 0u);
  EXPECT_EQ(error_of(R"([{"id":"a","trigger":{"type":"message","alert":"X"},"actions":[]}])").rfind("schema", 0), 0u);
  EXPECT_EQ(error_of(R"([{"id":"a","trigger":{"type":"message","alert":"X"},"actions":[{"call":{"action":"dial"}}]}])").rfind("schema", 0), 0u);
  // A publish needs a name or a topic, not both, and a topic is no wildcard.
  EXPECT_EQ(error_of(R"([{"id":"a","trigger":{"type":"message","alert":"X"},"actions":[{"publish":{"payload":{}}}]}])").rfind("schema", 0), 0u);
  EXPECT_EQ(error_of(R"([{"id":"a","trigger":{"type":"message","alert":"X"},"actions":[{"publish":{"name":"n","topic":"t","payload":{}}}]}])").rfind("schema", 0), 0u);
  EXPECT_EQ(error_of(R"([{"id":"a","trigger":{"type":"message","alert":"X"},"actions":[{"publish":{"topic":"a/#","payload":{}}}]}])").rfind("schema", 0), 0u);
}

TEST(RulesConfig, AnAlertTriggerWithALowerCaseLetterCouldNeverFireAndIsRefusedSayingSo) {
  const auto error = error_of(R"([{"id":"a","trigger":{"type":"message","alert":"sos_door"},"actions":[{"delay_ms":1}]}])");
  EXPECT_EQ(error.rfind("schema /rules/0/trigger/alert", 0), 0u) << error;
  EXPECT_NE(error.find("capitals"), std::string::npos) << "names the form asked for: " << error;
  EXPECT_EQ(error_of(R"([{"id":"a","trigger":{"type":"message","alert":"SOS_DOOR-2 ÄÖ"},"actions":[{"delay_ms":1}]}])"), "no error");
}

TEST(RulesConfig, ACodeThatDrivesAnOutputTwoWaysIsRefusedWithoutNamingTheCode) {
  // The guide's trigger code and reset code set alike: pulse and off in the same moment.
  const auto same = error_of(R"([
      {"id":"dtmf-out1","trigger":{"type":"dtmf","code":"4321"},"actions":[{"output":"out1","action":"pulse"}]},
      {"id":"dtmf-out1-reset","trigger":{"type":"dtmf","code":"4321"},"actions":[{"output":"out1","action":"off"}]}])");
  EXPECT_NE(same.find("/rules/1/trigger:"), std::string::npos) << same;
  EXPECT_NE(same.find("dtmf-out1"), std::string::npos) << same;
  EXPECT_EQ(same.find("4321"), std::string::npos) << "a code is a secret: " << same;
  // What stays allowed: one code for two outputs, the same action twice, a rule switched off,
  // different callers.
  EXPECT_EQ(error_of(R"([
      {"id":"a","trigger":{"type":"dtmf","code":"4321"},"actions":[{"output":"out1","action":"off"}]},
      {"id":"b","trigger":{"type":"dtmf","code":"4321"},"actions":[{"output":"out2","action":"pulse"}]},
      {"id":"c","trigger":{"type":"dtmf","code":"4321"},"actions":[{"output":"out2","action":"pulse"}]},
      {"id":"d","enabled":false,"trigger":{"type":"dtmf","code":"4321"},"actions":[{"output":"out1","action":"pulse"}]},
      {"id":"e","trigger":{"type":"dtmf","code":"4321","callers":["sip:guard@*"]},"actions":[{"output":"out3","action":"pulse"}]},
      {"id":"f","trigger":{"type":"dtmf","code":"4321","callers":["sip:visitor@*"]},"actions":[{"output":"out3","action":"off"}]}])"),
            "no error");
  // A rule for everyone and one for a caller both answer that caller.
  EXPECT_NE(error_of(R"([
      {"id":"a","trigger":{"type":"dtmf","code":"4321"},"actions":[{"output":"out1","action":"off"}]},
      {"id":"b","trigger":{"type":"dtmf","code":"4321","callers":["sip:guard@*"]},"actions":[{"output":"out1","action":"pulse"}]}])")
                .find("/rules/1/trigger:"),
            std::string::npos);
}

TEST(RulesConfig, ParsesDefaultsAndTimeWindows) {
  auto json = nlohmann::json::parse(R"({"rules":[{"id":"a","trigger":{"type":"input","input":"in1"},
      "conditions":[{"time":{"days":["sun","sat"],"from":"07:30","to":"24:00"}}],"actions":[{"output":"o","action":"on"}]}]})");
  testing::shipped_schemas().apply_defaults("config/rules", json);
  const auto config = parse_rules_config(json);
  EXPECT_EQ(config.dtmf.max_failures, 5);
  EXPECT_EQ(config.dtmf.lockout, std::chrono::seconds(30));
  ASSERT_EQ(config.rules.size(), 1u);
  EXPECT_EQ(config.rules[0].trigger.becomes, Edge::active);
  const auto& window = config.rules[0].conditions[0].window;
  EXPECT_EQ(window.days, (std::vector<int>{0, 6}));
  EXPECT_EQ(window.from_minute, 450);
  EXPECT_EQ(window.to_minute, 1440);
}

}  // namespace
}  // namespace intercom::rules
