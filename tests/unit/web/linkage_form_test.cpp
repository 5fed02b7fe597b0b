// The page's per-port settings read from, and written back to, the gpio and rules configurations
// as the services publish them (defaults filled in, DTMF codes redacted).
#include "linkage_form.hpp"

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"
#include "intercom/config/config_secrets.hpp"
#include "../shipped_schemas.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;

const std::vector<SecretField> kRuleSecrets{{"/rules", "id", "/trigger/code"}};

json shipped(const char* service) {
  return validate_config(read_config_file(std::string(INTERCOM_SOURCE_DIR "/config/") + service + ".json"),
                         testing::shipped_schemas(), service);
}

class Linkage : public ::testing::Test {
 protected:
  json gpio = shipped("gpio");
  json rules = redact_secrets(shipped("rules"), kRuleSecrets);
  /// The shipped sms configuration's aliases.
  std::optional<std::vector<std::string>> aliases = std::vector<std::string>{"alarm-server"};

  const json* rule(const json& document, const std::string& id) {
    for (const auto& each : document["rules"])
      if (each["id"] == id) return &each;
    return nullptr;
  }
  LinkageChange change_of(LinkageResult result) {
    if (auto* problem = std::get_if<FormError>(&result)) ADD_FAILURE() << problem->field << ": " << problem->reason;
    return std::get<LinkageChange>(result);
  }
};

TEST_F(Linkage, TheShippedConfigurationReadsAsTheGuidesSettings) {
  const auto view = linkage_view(gpio, rules);
  ASSERT_EQ(view["outputs"].size(), 2u);
  const auto& out1 = view["outputs"][0];
  EXPECT_EQ(out1["name"], "out1");
  EXPECT_EQ(out1["level"], "NO");
  EXPECT_EQ(out1["pulse_ms"], 5000);
  EXPECT_EQ(out1["message"], json({{"enabled", true}, {"trigger", "OUT1_SOS"}, {"reset", "OUT1_RESET"}}));
  EXPECT_EQ(out1["dtmf"], json({{"enabled", true}, {"code_set", true}, {"reset_enabled", true}, {"reset_code_set", true}}));
  EXPECT_EQ(out1["after_hangup"], json({{"enabled", false}, {"delay_ms", 5000}}));
  EXPECT_FALSE(out1["input"]["enabled"]);
  const auto& out2 = view["outputs"][1];
  EXPECT_EQ(out2["input"], json({{"enabled", true}, {"input", "in2"}}));
  EXPECT_EQ(out2["call_state"], json({{"enabled", true}, {"states", {"ringing"}}, {"action", "blink"}}));
  EXPECT_FALSE(out2["dtmf"]["enabled"]);
  EXPECT_FALSE(out2["dtmf"]["code_set"]);

  ASSERT_EQ(view["inputs"].size(), 3u);  // the door contact, the emergency button, the exit button
  EXPECT_EQ(view["inputs"][0]["trigger"], "low");
  EXPECT_FALSE(view["inputs"][2]["report"]["enabled"]) << "the exit button reports nothing of its own: access says who left";
  EXPECT_EQ(view["inputs"][0]["report"], json({{"enabled", true}, {"message", "IN1_ACTIVE"}, {"to", "alarm-server"}}));

  // The one rule the page does not write (door held open) is listed as it is.
  ASSERT_EQ(view["other_rules"].size(), 1u);
  EXPECT_EQ(view["other_rules"][0]["id"], "door-held-open-in1");
}

TEST_F(Linkage, NoCodeIsEverInTheView) {
  auto clear = shipped("rules");  // even given the codes in clear, the view says only "set"
  const auto text = linkage_view(gpio, clear).dump();
  EXPECT_EQ(text.find("1234"), std::string::npos);
  EXPECT_EQ(text.find("4321"), std::string::npos);
}

TEST_F(Linkage, EnablingTheDtmfTriggerOfOutput2WritesTheGuidesRuleWithItsCode) {
  const auto change = change_of(output_change(gpio, rules, "out2", {{"dtmf", {{"enabled", true}, {"code", "4321"}}}}));
  EXPECT_FALSE(change.gpio) << "nothing of gpio changed";
  ASSERT_TRUE(change.rules);
  const auto* dtmf = rule(*change.rules, "dtmf-out2");
  ASSERT_NE(dtmf, nullptr);
  EXPECT_EQ((*dtmf)["trigger"], json({{"type", "dtmf"}, {"code", "4321"}}));
  EXPECT_EQ((*dtmf)["conditions"], json::parse(R"([{"call":["talking"]}])"));
  EXPECT_EQ((*dtmf)["actions"], json::parse(R"([{"output":"out2","action":"pulse"}])"));
  EXPECT_TRUE((*dtmf)["enabled"]);
  EXPECT_EQ(rule(*change.rules, "dtmf-out2-reset"), nullptr) << "no reset code was asked for";
  // The other rules are as they were, codes still redacted for the rules service to keep.
  EXPECT_EQ((*rule(*change.rules, "dtmf-out1"))["trigger"]["code"], "********");
  EXPECT_EQ(change.rules->at("rules").size(), rules["rules"].size() + 1);
}

TEST_F(Linkage, ACodeLeftEmptyKeepsTheOneInForceAndANewTriggerNeedsOne) {
  auto change = change_of(output_change(gpio, rules, "out1", {{"dtmf", {{"enabled", true}, {"code", ""}}}}));
  EXPECT_FALSE(change.rules) << "the same settings again change nothing";

  const auto refused = output_change(gpio, rules, "out2", {{"dtmf", {{"enabled", true}}}});
  ASSERT_TRUE(std::holds_alternative<FormError>(refused));
  EXPECT_EQ(std::get<FormError>(refused).field, "dtmf.code");

  const auto bad = output_change(gpio, rules, "out2", {{"dtmf", {{"enabled", true}, {"code", "12#4"}}}});
  ASSERT_TRUE(std::holds_alternative<FormError>(bad));
  EXPECT_EQ(std::get<FormError>(bad).field, "dtmf.code");
  EXPECT_NE(std::get<FormError>(bad).reason.find("0-9"), std::string::npos) << "says what is allowed";
}

TEST_F(Linkage, SwitchingATriggerOffKeepsItsRuleDisabledSoItsCodeIsNotLost) {
  const auto change = change_of(output_change(gpio, rules, "out1", {{"dtmf", {{"enabled", false}}}}));
  ASSERT_TRUE(change.rules);
  EXPECT_FALSE((*rule(*change.rules, "dtmf-out1"))["enabled"]);
  EXPECT_FALSE((*rule(*change.rules, "dtmf-out1-reset"))["enabled"]);
  EXPECT_EQ((*rule(*change.rules, "dtmf-out1"))["trigger"]["code"], "********");
  const auto view = linkage_view(gpio, *change.rules);
  EXPECT_FALSE(view["outputs"][0]["dtmf"]["enabled"]);
  EXPECT_TRUE(view["outputs"][0]["dtmf"]["code_set"]);
}

TEST_F(Linkage, EachOfTheFourTriggersAndTheOutputsOwnSettings) {
  const json form = {{"label", "J11 output: gate"},
                     {"level", "NC"},
                     {"pulse_ms", 3000},
                     {"message", {{"enabled", true}, {"trigger", "ALERT=GATE_OPEN"}, {"reset", ""}}},
                     {"input", {{"enabled", true}, {"input", "in1"}}},
                     {"call_state", {{"enabled", true}, {"states", {"ringing", "talking"}}, {"action", "on"}}},
                     {"after_hangup", {{"enabled", true}, {"delay_ms", 2000}}}};
  const auto change = change_of(output_change(gpio, rules, "out1", form));
  ASSERT_TRUE(change.gpio);
  const auto& port = change.gpio->at("outputs")[0];
  EXPECT_EQ(port["label"], "J11 output: gate");
  EXPECT_EQ(port["level"], "NC");
  EXPECT_EQ(port["pulse_ms"], 3000);
  EXPECT_EQ(port["line"], gpio["outputs"][0]["line"]) << "what the form does not show stays";
  ASSERT_TRUE(change.rules);
  EXPECT_EQ((*rule(*change.rules, "message-out1"))["trigger"]["alert"], "GATE_OPEN") << "ALERT= is not part of the message";
  EXPECT_FALSE((*rule(*change.rules, "message-out1-reset"))["enabled"]) << "no reset message: the reset rule is off";
  EXPECT_EQ((*rule(*change.rules, "input-link-out1"))["trigger"], json({{"type", "input"}, {"input", "in1"}, {"becomes", "active"}}));
  EXPECT_EQ((*rule(*change.rules, "call-state-out1"))["trigger"]["states"], json({"ringing", "talking"}));
  EXPECT_EQ((*rule(*change.rules, "call-state-out1"))["actions"], json::parse(R"([{"output":"out1","action":"on"}])"));
  const auto& after = *rule(*change.rules, "after-hangup-out1");
  EXPECT_TRUE(after["enabled"]);
  EXPECT_EQ(after["actions"], json::parse(R"([{"delay_ms":2000},{"output":"out1","action":"pulse"}])"));
  EXPECT_EQ(after["trigger"]["leaves"], json({"talking"})) << "only an answered call: a stranger's cancelled call opens nothing";

  // And it reads back as it was written.
  const auto view = linkage_view(*change.gpio, *change.rules)["outputs"][0];
  EXPECT_EQ(view["message"], json({{"enabled", true}, {"trigger", "GATE_OPEN"}, {"reset", ""}}));
  EXPECT_EQ(view["after_hangup"], json({{"enabled", true}, {"delay_ms", 2000}}));
  EXPECT_EQ(view["call_state"]["action"], "on");
}

TEST_F(Linkage, AKeptRuleKeepsWhatThePageDoesNotShow) {
  // input-link-out2 pulses for 10 s (its own duration_ms) and has a description: both stay.
  const auto change = change_of(output_change(gpio, rules, "out2", {{"input", {{"enabled", true}, {"input", "in1"}}}}));
  ASSERT_TRUE(change.rules);
  const auto& link = *rule(*change.rules, "input-link-out2");
  EXPECT_EQ(link["actions"][0]["duration_ms"], 10000);
  EXPECT_EQ(link["description"], (*rule(rules, "input-link-out2"))["description"]);
  EXPECT_EQ(link["trigger"]["input"], "in1");
}

TEST_F(Linkage, ARefusalsPathLeadsBackToTheFormField) {
  const auto change = change_of(output_change(gpio, rules, "out2", {{"pulse_ms", 3000}, {"dtmf", {{"enabled", true}, {"code", "4321"}}}}));
  std::size_t index = 0;
  while (change.rules->at("rules")[index]["id"] != "dtmf-out2") ++index;
  EXPECT_EQ(change.field_of("rules", "/rules/" + std::to_string(index) + "/trigger/code"), "dtmf.code");
  EXPECT_EQ(change.field_of("rules", "/rules/" + std::to_string(index) + "/conditions/0"), "dtmf");
  EXPECT_EQ(change.field_of("gpio", "/outputs/1/pulse_ms"), "pulse_ms");
  EXPECT_EQ(change.field_of("gpio", "/outputs/10/pulse_ms"), "") << "a prefix is a whole path segment";
  EXPECT_EQ(change.field_of("rules", "/dtmf/max_failures"), "");
}

TEST_F(Linkage, AnInputsTriggerModeDebounceAndAlarmReport) {
  const json form = {{"trigger", "high"}, {"debounce_ms", 20}, {"report", {{"enabled", true}, {"message", "DOOR_FORCED"}, {"to", "sip:alarm@pbx"}}}};
  const auto change = change_of(input_change(gpio, rules, "in1", form, aliases));
  ASSERT_TRUE(change.gpio);
  EXPECT_EQ(change.gpio->at("inputs")[0]["trigger"], "high");
  EXPECT_EQ(change.gpio->at("inputs")[0]["debounce_ms"], 20);
  ASSERT_TRUE(change.rules);
  EXPECT_EQ((*rule(*change.rules, "alarm-report-in1"))["actions"],
            json::parse(R"([{"send_message":{"to":"sip:alarm@pbx","text":"ALERT=DOOR_FORCED"}}])"));

  const auto off = change_of(input_change(gpio, rules, "in2", {{"report", {{"enabled", false}}}}, aliases));
  EXPECT_FALSE((*rule(*off.rules, "alarm-report-in2"))["enabled"]);
  const auto empty = input_change(gpio, rules, "in1", {{"report", {{"enabled", true}, {"message", ""}}}}, aliases);
  ASSERT_TRUE(std::holds_alternative<FormError>(empty));
  EXPECT_EQ(std::get<FormError>(empty).field, "report.message");
}

TEST_F(Linkage, AlertNamesAreStoredInCapitalsAsReceivedAlertsAreCompared) {
  // sms upper-cases what it receives: a trigger in lower case could never fire.
  const auto change = change_of(output_change(gpio, rules, "out2", {{"message", {{"enabled", true}, {"trigger", "alert=sos_door"}, {"reset", "Door-ok ä"}}}}));
  EXPECT_EQ((*rule(*change.rules, "message-out2"))["trigger"]["alert"], "SOS_DOOR");
  EXPECT_EQ((*rule(*change.rules, "message-out2-reset"))["trigger"]["alert"], "DOOR-OK ä") << "only a-z: sms upper-cases those alone";
  const auto report = change_of(input_change(gpio, rules, "in1", {{"report", {{"enabled", true}, {"message", "door_open"}}}}, aliases));
  EXPECT_EQ((*rule(*report.rules, "alarm-report-in1"))["actions"][0]["send_message"]["text"], "ALERT=DOOR_OPEN");
  const auto same = output_change(gpio, rules, "out2", {{"message", {{"enabled", true}, {"trigger", "GATE"}, {"reset", "gate"}}}});
  ASSERT_TRUE(std::holds_alternative<FormError>(same));
  EXPECT_EQ(std::get<FormError>(same).field, "message.reset");
}

TEST_F(Linkage, ACodeHasFourKeysAtLeastAndTheResetCodeIsAnother) {
  const auto short_code = output_change(gpio, rules, "out2", {{"dtmf", {{"enabled", true}, {"code", "123"}}}});
  ASSERT_TRUE(std::holds_alternative<FormError>(short_code));
  EXPECT_EQ(std::get<FormError>(short_code).field, "dtmf.code");
  EXPECT_NE(std::get<FormError>(short_code).reason.find("4 to 32"), std::string::npos);
  const auto same = output_change(gpio, rules, "out2", {{"dtmf", {{"enabled", true}, {"code", "4321"}, {"reset_enabled", true}, {"reset_code", "4321"}}}});
  ASSERT_TRUE(std::holds_alternative<FormError>(same));
  EXPECT_EQ(std::get<FormError>(same).field, "dtmf.reset_code");
  EXPECT_EQ(std::get<FormError>(same).reason.find("4321"), std::string::npos) << "the code is not repeated";
  change_of(output_change(gpio, rules, "out2", {{"dtmf", {{"enabled", true}, {"code", "4321"}, {"reset_enabled", true}, {"reset_code", "9876"}}}}));
}

TEST_F(Linkage, ALinkagesOwnPulseIsShownAndSet) {
  // The shipped in2 -> out2 link pulses 10 s while out2's duration is 5 s: the page shows it.
  const auto view = linkage_view(gpio, rules)["outputs"][1];
  EXPECT_EQ(view["pulse_ms"], 5000);
  EXPECT_EQ(view["pulses"], json({{"message", 0}, {"input", 10000}, {"dtmf", 0}, {"after_hangup", 0}}));
  // Set, then given back to the output's duration.
  auto change = change_of(output_change(gpio, rules, "out2", {{"input", {{"enabled", true}}}, {"pulses", {{"input", 2500}}}}));
  EXPECT_EQ((*rule(*change.rules, "input-link-out2"))["actions"][0]["duration_ms"], 2500);
  change = change_of(output_change(gpio, *change.rules, "out2", {{"input", {{"enabled", true}}}, {"pulses", {{"input", 0}}}}));
  EXPECT_FALSE((*rule(*change.rules, "input-link-out2"))["actions"][0].contains("duration_ms"));
  EXPECT_EQ(linkage_view(gpio, *change.rules)["outputs"][1]["pulses"]["input"], 0);
  const auto wrong = output_change(gpio, rules, "out2", {{"input", {{"enabled", true}}}, {"pulses", {{"input", -5}}}});
  ASSERT_TRUE(std::holds_alternative<FormError>(wrong));
  EXPECT_EQ(std::get<FormError>(wrong).field, "pulses.input");
}

TEST_F(Linkage, NoDelayAfterHangUpIsNoDelayStep) {
  const auto change = change_of(output_change(gpio, rules, "out1", {{"after_hangup", {{"enabled", true}, {"delay_ms", 0}}}}));
  EXPECT_EQ((*rule(*change.rules, "after-hangup-out1"))["actions"], json::parse(R"([{"output":"out1","action":"pulse"}])"))
      << "the rules schema wants a delay of 1 ms at least";
}

TEST_F(Linkage, AnAlarmReportGoesOnlyWhereTheSmsServiceCanDeliverIt) {
  const auto to = [&](const std::string& where, const std::optional<std::vector<std::string>>& known) {
    return input_change(gpio, rules, "in1", {{"report", {{"enabled", true}, {"to", where}}}}, known);
  };
  const auto nobody = to("nobody", aliases);
  ASSERT_TRUE(std::holds_alternative<FormError>(nobody));
  EXPECT_EQ(std::get<FormError>(nobody).field, "report.to");
  EXPECT_NE(std::get<FormError>(nobody).reason.find("alarm-server"), std::string::npos) << "names the aliases there are";
  EXPECT_TRUE(std::holds_alternative<LinkageChange>(to("alarm-server", aliases)));
  EXPECT_TRUE(std::holds_alternative<LinkageChange>(to("sip:alarm@192.0.2.10:5070", aliases)));
  EXPECT_TRUE(std::holds_alternative<LinkageChange>(to("+44 7700 900123", aliases)));
  // With the sms service away its aliases are not known: only an address can be checked.
  EXPECT_TRUE(std::holds_alternative<FormError>(to("alarm-server", std::nullopt)));
  EXPECT_TRUE(std::holds_alternative<LinkageChange>(to("sip:alarm@pbx", std::nullopt)));
}

TEST_F(Linkage, APortThatIsNotThereIsRefused) {
  EXPECT_TRUE(std::holds_alternative<FormError>(output_change(gpio, rules, "out9", json::object())));
  EXPECT_TRUE(std::holds_alternative<FormError>(input_change(gpio, rules, "in9", json::object(), aliases)));
}

TEST_F(Linkage, AnEditChangesItsOwnRuleAndKeepsEveryOtherRuleAndMemberAsItWas) {
  auto edited = rules;
  edited["dtmf"]["max_digits"] = 8;
  edited["rules"].push_back(json::parse(R"({"id":"night-siren","description":"not the page's","enabled":true,
      "trigger":{"type":"while_input","input":"in2","min_hold_ms":1500},
      "conditions":[{"time":{"days":["sat","sun"],"from":"22:00","to":"06:00"}},{"output":"out1","active":false},{"call":["idle"]}],
      "actions":[{"output":"out2","action":"blink","on_ms":100,"off_ms":900,"count":5},{"delay_ms":20},
                 {"publish":{"topic":"scada/door","payload":{"siren":{"on":true}},"retain":true}},
                 {"call":{"action":"dial","uri":"sip:guard@example.org"}},{"send_message":{"to":"alarm-server","text":"ALERT=NIGHT","transport":"gsm"}}]})"));
  edited["rules"].push_back(json::parse(R"({"id":"vip","trigger":{"type":"dtmf","code":"********","callers":["sip:*@vip.example"]},
      "actions":[{"output":"out1","action":"pulse","duration_ms":2000}]})"));
  const auto change = change_of(output_change(gpio, edited, "out1", {{"message", {{"enabled", true}, {"trigger", "GATE"}}}}));
  ASSERT_TRUE(change.rules);
  EXPECT_EQ((*change.rules)["dtmf"], edited["dtmf"]);
  ASSERT_EQ((*change.rules)["rules"].size(), edited["rules"].size());
  for (std::size_t index = 0; index < edited["rules"].size(); ++index) {
    const auto& before = edited["rules"][index];
    if (before["id"] == "message-out1") continue;
    EXPECT_EQ((*change.rules)["rules"][index], before) << before["id"];
  }
  EXPECT_EQ((*rule(*change.rules, "message-out1"))["trigger"]["alert"], "GATE");
}

TEST_F(Linkage, ARulesDocumentThatDoesNotReadIsNotEditedAtAll) {
  auto broken = rules;
  broken["rules"].push_back(json::parse(R"({"id":"forged","trigger":{"type":"telepathy"},"actions":[]})"));
  const auto result = output_change(gpio, broken, "out1", {{"message", {{"enabled", false}}}});
  ASSERT_TRUE(std::holds_alternative<FormError>(result));
  EXPECT_NE(std::get<FormError>(result).reason.find("telepathy"), std::string::npos) << std::get<FormError>(result).reason;
  // The page still shows what reads, and lists the rest as it is.
  const auto view = linkage_view(gpio, broken);
  EXPECT_TRUE(view["outputs"][0]["message"]["enabled"]);
  EXPECT_EQ(view["other_rules"].back()["id"], "forged");
}

TEST_F(Linkage, ARuleWithThePagesIdButAnotherTriggerIsNotThePages) {
  auto edited = rules;
  edited["rules"].push_back(json::parse(R"({"id":"dtmf-out2","trigger":{"type":"message","alert":"X"},"actions":[{"output":"out2","action":"on"}]})"));
  const auto view = linkage_view(gpio, edited);
  EXPECT_FALSE(view["outputs"][1]["dtmf"]["code_set"]);
  EXPECT_EQ(view["other_rules"].back()["id"], "dtmf-out2");
}

}  // namespace
}  // namespace intercom::web

namespace intercom::web {
namespace {

// Found by the web_form fuzzer: a value of another type than the page sends threw out of the mapping.
TEST(LinkageTypes, AFieldOfTheWrongTypeIsAFormErrorNamingIt) {
  const auto gpio = nlohmann::json::parse(R"({"inputs":[{"name":"in1","line":{"chip":"c","offset":0},"trigger":"low"}],
      "outputs":[{"name":"out1","line":{"chip":"c","offset":8}}]})");
  const auto rules = nlohmann::json::parse(R"({"rules":[]})");
  const auto expect_error = [](const LinkageResult& result, const std::string& field) {
    ASSERT_TRUE(std::holds_alternative<FormError>(result)) << field;
    EXPECT_EQ(std::get<FormError>(result).field, field);
  };
  expect_error(output_change(gpio, rules, "out1", {{"dtmf", {{"enabled", "yes"}}}}), "dtmf.enabled");
  expect_error(output_change(gpio, rules, "out1", {{"dtmf", {{"enabled", true}, {"code", 4321}}}}), "dtmf.code");
  expect_error(output_change(gpio, rules, "out1", {{"label", 5}}), "label");
  expect_error(output_change(gpio, rules, "out1", {{"pulse_ms", "5000"}}), "pulse_ms");
  expect_error(input_change(gpio, rules, "in1", {{"report", {{"enabled", true}, {"to", nlohmann::json::array()}}}}, std::nullopt), "report.to");
}

}  // namespace
}  // namespace intercom::web
