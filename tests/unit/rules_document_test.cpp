// The rules file as typed values (common/intercom/contract/rules_document.hpp) against the rules
// schema: every valid rules file reads and writes back to the same JSON, so that the web page,
// which edits its own rules through the types, keeps every other rule and member as it was.
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "intercom/contract/rules_document.hpp"
#include "shipped_schemas.hpp"

namespace intercom::contract {
namespace {

using json = nlohmann::json;

json file(const std::string& path) {
  std::ifstream in(std::string(INTERCOM_SOURCE_DIR "/") + path);
  return json::parse(in);
}

/// A rules file with every form of trigger, condition and action, and every optional member.
json every_form() {
  return json::parse(R"({
    "bus": {"broker": "tcp://127.0.0.1:1883", "device": "door1"},
    "dtmf": {"inter_digit_timeout_ms": 2000, "max_failures": 3, "lockout_s": 60, "max_digits": 8, "access_reader": "call"},
    "rules": [
      {"id": "a", "description": "input edge", "enabled": false,
       "trigger": {"type": "input", "input": "in1", "becomes": "changed"},
       "conditions": [{"input": "in2", "active": false}, {"output": "out1", "active": true}, {"output": "out2"},
                      {"call": ["talking", "ringing"]}, {"time": {"days": ["mon", "sun"], "from": "22:00", "to": "06:00"}},
                      {"time": {}}],
       "actions": [{"output": "out1", "action": "pulse", "duration_ms": 1500},
                   {"output": "out2", "action": "blink", "on_ms": 100, "off_ms": 200, "count": 3},
                   {"delay_ms": 250},
                   {"send_message": {"to": "alarm-server", "text": "ALERT=A", "transport": "sip"}},
                   {"call": {"action": "dial", "uri": "sip:guard@example.org"}},
                   {"call": {"action": "hangup"}},
                   {"publish": {"name": "door", "payload": {"open": true, "nested": {"n": [1, 2]}}}},
                   {"publish": {"topic": "scada/site/door", "payload": {}, "retain": true}}]},
      {"id": "b", "trigger": {"type": "while_input", "input": "in1", "min_hold_ms": 60000},
       "actions": [{"output": "out2", "action": "on"}]},
      {"id": "c", "trigger": {"type": "message", "alert": "OUT1_SOS"}, "actions": [{"output": "out1", "action": "toggle"}]},
      {"id": "d", "trigger": {"type": "dtmf", "code": "1234", "callers": ["sip:*@example.org"]},
       "actions": [{"output": "out1", "action": "off"}]},
      {"id": "e", "trigger": {"type": "call", "leaves": ["talking"], "enters": ["idle"]}, "actions": [{"delay_ms": 5}]},
      {"id": "f", "trigger": {"type": "call", "enters": ["ringing"]}, "actions": [{"delay_ms": 5}]},
      {"id": "g", "trigger": {"type": "while_call", "states": ["ringing"], "min_hold_ms": 0},
       "actions": [{"output": "out2", "action": "blink", "on_ms": 500, "off_ms": 500}]},
      {"id": "h", "trigger": {"type": "input", "input": "in2"}, "conditions": [], "actions": [{"output": "out1", "action": "pulse"}]},
      {"id": "i", "trigger": {"type": "access", "result": "refused", "reasons": ["locked_out", "unknown"], "doors": ["out1"], "users": ["anna"]},
       "actions": [{"output": "out2", "action": "pulse"}]},
      {"id": "j", "trigger": {"type": "access"}, "conditions": [{"profile": "office-hours", "active": false}, {"profile": "night"}],
       "actions": [{"delay_ms": 5}]}
    ]})");
}

/// Every property name the schema defines, in any branch.
void names_defined(const json& schema, std::set<std::string>& out) {
  if (schema.is_array())
    for (const auto& item : schema) names_defined(item, out);
  if (!schema.is_object()) return;
  for (const auto& [key, value] : schema.items()) {
    if (key == "properties")
      for (const auto& [name, member] : value.items()) out.insert(name);
    names_defined(value, out);
  }
}

/// Every key a document uses, but inside a publish action's own payload.
void names_used(const json& document, std::set<std::string>& out) {
  if (document.is_array())
    for (const auto& item : document) names_used(item, out);
  if (!document.is_object()) return;
  for (const auto& [key, value] : document.items()) {
    out.insert(key);
    if (key != "payload" && key != "bus") names_used(value, out);
  }
}

TEST(RulesDocumentTest, EveryFormIsValidAndUsesEveryMemberTheSchemaDefines) {
  const auto document = every_form();
  const auto violation = testing::shipped_schemas().validate("config/rules", document);
  ASSERT_FALSE(violation) << violation->to_string();
  std::set<std::string> defined;
  names_defined(file("schemas/config/rules.schema.json"), defined);
  std::set<std::string> used;
  names_used(document, used);
  for (const auto& name : defined) EXPECT_TRUE(used.count(name)) << "the test's document does not use " << name;
}

TEST(RulesDocumentTest, EveryValidRulesFileRoundTripsExactly) {
  for (const auto& document : {every_form(), file("config/rules.json"), json::object(), json{{"rules", json::array()}}}) {
    ASSERT_FALSE(testing::shipped_schemas().validate("config/rules", document)) << document.dump();
    EXPECT_EQ(json(document.get<RulesDocument>()), document);
  }
}

TEST(RulesDocumentTest, ReadsIntoTheTypeOfEachForm) {
  const auto document = every_form().get<RulesDocument>();
  const auto& rules = document.rule_list();
  ASSERT_EQ(rules.size(), 10u);
  EXPECT_FALSE(rules[0].is_enabled());
  EXPECT_TRUE(rules[1].is_enabled());
  EXPECT_EQ(type_of(rules[0].trigger), "input");
  EXPECT_EQ(std::get<InputTrigger>(rules[0].trigger).becomes, "changed");
  EXPECT_EQ(std::get<WhileInputTrigger>(rules[1].trigger).min_hold_ms, 60000);
  EXPECT_EQ(std::get<MessageTrigger>(rules[2].trigger).alert, "OUT1_SOS");
  EXPECT_EQ(std::get<DtmfTrigger>(rules[3].trigger).code, "1234");
  EXPECT_EQ(std::get<CallTrigger>(rules[4].trigger).leaves, Names{"talking"});
  EXPECT_FALSE(std::get<CallTrigger>(rules[5].trigger).leaves);
  EXPECT_EQ(type_of(rules[6].trigger), "while_call");
  EXPECT_EQ(std::get<AccessTrigger>(rules[8].trigger).reasons, (Names{"locked_out", "unknown"}));
  EXPECT_FALSE(std::get<AccessTrigger>(rules[9].trigger).result) << "any check";
  const auto& conditions = *rules[0].conditions;
  EXPECT_EQ(std::get<InputCondition>(conditions[0]).active, false);
  EXPECT_EQ(std::get<OutputCondition>(conditions[1]).output, "out1");
  EXPECT_EQ(std::get<CallCondition>(conditions[3]).call, (Names{"talking", "ringing"}));
  EXPECT_EQ(std::get<TimeCondition>(conditions[4]).from, "22:00");
  const auto& actions = rules[0].actions;
  EXPECT_EQ(std::get<OutputAction>(actions[0]).command.duration_ms, 1500);
  EXPECT_EQ(std::get<OutputAction>(actions[1]).command.count, 3);
  EXPECT_EQ(std::get<DelayAction>(actions[2]).delay_ms, 250);
  EXPECT_EQ(std::get<SendMessageAction>(actions[3]).send_message.transport, "sip");
  EXPECT_EQ(std::get<CallAction>(actions[4]).call.uri, "sip:guard@example.org");
  EXPECT_EQ(std::get<PublishAction>(actions[6]).payload["nested"]["n"][1], 2);
  EXPECT_EQ(std::get<PublishAction>(actions[7]).retain, true);
}

TEST(RulesDocumentTest, WhatDoesNotReadAsARuleIsRefusedAndLeftOutOfABusRead) {
  const auto forged = json::parse(R"({"rules": [
      {"id": "ok", "trigger": {"type": "message", "alert": "X"}, "actions": [{"send_message": {"to": "guard", "text": "ALERT=X"}}]},
      {"id": "unknown-trigger", "trigger": {"type": "telepathy"}, "actions": []},
      {"id": "unknown-action", "trigger": {"type": "message", "alert": "Y"}, "actions": [{"open_door": true}]},
      {"trigger": {"type": "message", "alert": "Z"}, "actions": []},
      "not a rule", 42]})");
  EXPECT_THROW((void)forged.get<RulesDocument>(), std::exception);
  EXPECT_THROW((void)json::array().get<RulesDocument>(), std::exception);
  ASSERT_EQ(readable_rules(forged).size(), 1u);
  EXPECT_EQ(readable_rules(forged)[0].id, "ok");
  EXPECT_EQ(rule_ids_of(forged), (std::vector<std::string>{"ok", "unknown-trigger", "unknown-action"})) << "an id is read alone";
  EXPECT_EQ(rules_sending_to(forged, "guard"), std::vector<std::string>{"ok"});
  EXPECT_TRUE(rule_ids_of(json("rules")).empty());
  const auto others = rules_other_than(forged, {"ok", "unknown-trigger"});
  ASSERT_EQ(others.size(), 4u) << "the rules as they are, the one without an id and the two that are not objects included";
  EXPECT_EQ(others[0]["id"], "unknown-action");
  EXPECT_EQ(others[3], 42);
  EXPECT_TRUE(rule_ids_of(json{{"rules", "none"}}).empty());
}

TEST(RulesDocumentTest, RulesSendingToSkipsDisabledRulesAndOtherRecipients) {
  const auto document = file("config/rules.json");
  EXPECT_EQ(rules_sending_to(document, "alarm-server"), (std::vector<std::string>{"alarm-report-in1", "alarm-report-in2"}))
      << "door-held-open-in1 also reports there, but is off";
  EXPECT_TRUE(rules_sending_to(document, "someone-else").empty());
  EXPECT_EQ(rule_ids_of(document).size(), 10u);
}

}  // namespace
}  // namespace intercom::contract
