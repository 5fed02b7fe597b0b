// The contract in code (common/intercom/contract/) against the contract in schemas/: every topic
// has a payload type; every example of its schema is valid, reads as the type and is written back
// byte for byte; the examples, taken together, use every member the schema defines, so a member the
// type does not know would be lost in the round trip and fail here.
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/call_payloads.hpp"
#include "intercom/contract/history_payloads.hpp"
#include "intercom/contract/homeassistant_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "intercom/contract/rules_payloads.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "intercom/contract/web_payloads.hpp"
#include "shipped_schemas.hpp"

namespace intercom::contract {
namespace {

using json = nlohmann::json;
using RoundTrip = std::function<json(const json&)>;

template <class Payload>
std::pair<std::string, RoundTrip> type_of() {
  return {std::string(Payload::spec.schema), [](const json& example) { return json(example.get<Payload>()); }};
}

/// Schema id -> the round trip through its type.
const std::map<std::string, RoundTrip>& payload_types() {
  static const std::map<std::string, RoundTrip> types{
      type_of<ServiceStatus>(),       type_of<ServiceError>(),       type_of<ConfigState>(),         type_of<ConfigSet>(),
      type_of<ConfigResult>(),        type_of<BrokerSecurity>(),     type_of<BrokerDroppedCount>(),  type_of<InputState>(),
      type_of<OutputState>(),         type_of<OutputCommand>(),      type_of<SimInputLevel>(),       type_of<SimOutputLevel>(),  type_of<SimWiegandFrame>(), type_of<GpioFallback>(),
      type_of<CallState>(),           type_of<CallDtmf>(),           type_of<CallCommand>(),         type_of<CallControl>(),        type_of<SimCallCommand>(),
      type_of<TelephonyRegistration>(), type_of<TelephonyAudio>(),   type_of<MessageReceived>(),     type_of<MessageSend>(),
      type_of<MessageResult>(),       type_of<SipMessageReceived>(), type_of<SipMessageSend>(),      type_of<SipMessageResult>(),
      type_of<SmsModem>(),            type_of<SmsOutbox>(),          type_of<RulesFired>(),          type_of<RulesCode>(),
      type_of<RulesCommand>(),        type_of<RulesReloaded>(),      type_of<RulesOut>(),            type_of<WebLogin>(),
      type_of<HaStatus>(),            type_of<DeviceDiscovery>(),    type_of<HistoryQuery>(),        type_of<HistoryResult>(),
      type_of<AccessCredential>(),    type_of<AccessEvent>(),        type_of<AccessUsersCommand>(),  type_of<AccessUsersResult>(),
      type_of<AccessProfile>(),      type_of<AccessDoor>(),
  };
  return types;
}

json schema_file(const std::string& id) {
  std::ifstream file(std::string(INTERCOM_SOURCE_DIR "/schemas/") + id + ".schema.json");
  return json::parse(file);
}

/// Every member name the schema defines at the top level and in its nested objects, as a path
/// ("trigger/kind", "actions[]/topic", "side/reason" for a definition).
void members_of(const json& schema, const std::string& prefix, std::set<std::string>& out) {
  if (!schema.is_object()) return;
  if (schema.contains("properties"))
    for (const auto& [key, member] : schema["properties"].items()) {
      out.insert(prefix + key);
      members_of(member, prefix + key + "/", out);
      if (member.contains("items")) members_of(member["items"], prefix + key + "[]/", out);
    }
  if (schema.contains("definitions"))
    for (const auto& [key, definition] : schema["definitions"].items()) members_of(definition, "#" + key + "/", out);
}

/// The member paths an example uses, in the same form; a $ref'd member counts for its definition.
void members_used(const json& example, const json& schema, const json& root, const std::string& prefix, std::set<std::string>& out) {
  if (!example.is_object() || !schema.is_object() || !schema.contains("properties")) return;
  for (const auto& [key, value] : example.items()) {
    if (!schema["properties"].contains(key)) continue;  // a free-form object's own keys
    out.insert(prefix + key);
    auto member = schema["properties"][key];
    std::string inner = prefix + key + "/";
    if (member.contains("$ref")) {
      const auto name = member["$ref"].get<std::string>().substr(std::string("#/definitions/").size());
      member = root["definitions"][name];
      inner = "#" + name + "/";
    }
    members_used(value, member, root, inner, out);
    if (value.is_array() && member.contains("items"))
      for (const auto& item : value) members_used(item, member["items"], root, prefix + key + "[]/", out);
  }
}

TEST(ContractTest, EveryTopicHasAPayloadTypeAndEverySchemaExamples) {
  std::set<std::string> specs;
  for (const auto& spec : all_topic_specs()) specs.insert(std::string(spec.schema));
  std::set<std::string> typed;
  for (const auto& [id, round_trip] : payload_types()) typed.insert(id);
  EXPECT_EQ(specs, typed);
  for (const auto& id : specs) {
    const auto schema = schema_file(id);
    ASSERT_TRUE(schema.contains("examples") && !schema["examples"].empty()) << id << " has no examples";
  }
}

TEST(ContractTest, EveryExampleIsValidAndRoundTripsThroughItsType) {
  for (const auto& [id, round_trip] : payload_types()) {
    const auto schema = schema_file(id);
    for (const auto& example : schema.value("examples", json::array())) {
      const auto violation = testing::shipped_schemas().validate(id, example);
      EXPECT_FALSE(violation) << id << ": example " << example.dump() << " is not valid: " << violation->to_string();
      EXPECT_EQ(round_trip(example), example) << id;
    }
  }
}

TEST(ContractTest, TheExamplesUseEveryMemberTheSchemaDefines) {
  for (const auto& [id, round_trip] : payload_types()) {
    if (id == "homeassistant/device-discovery") continue;  // Home Assistant's entity keys: JSON, not members of the type
    const auto schema = schema_file(id);
    std::set<std::string> defined;
    members_of(schema, "", defined);
    std::set<std::string> used;
    for (const auto& example : schema.value("examples", json::array())) members_used(example, schema, schema, "", used);
    for (const auto& member : defined) EXPECT_TRUE(used.count(member)) << id << ": no example uses " << member;
  }
}

TEST(ContractTest, AnOptionalMemberLeftOutIsNotWritten) {
  const OutputCommand pulse{.action = "pulse"};
  EXPECT_EQ(json(pulse), (json{{"action", "pulse"}}));
  const auto read = json{{"action", "pulse"}, {"duration_ms", 3000}}.get<OutputCommand>();
  EXPECT_EQ(read.duration_ms, 3000);
  EXPECT_FALSE(read.cause);
}

TEST(ContractTest, ARequiredMemberMissingDoesNotRead) {
  bool refused = false;
  try {
    (void)json{{"active", true}}.get<InputState>();
  } catch (const json::exception&) {
    refused = true;
  }
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace intercom::contract
