// The Home Assistant discovery message: every component in the shape Home Assistant documents.
#include "device_discovery.hpp"

#include <fstream>
#include <functional>
#include <regex>

#include <gtest/gtest.h>

#include "discovery_config.hpp"
#include "intercom/contract/homeassistant_payloads.hpp"
#include "../shipped_schemas.hpp"

namespace intercom::discovery {
namespace {

using nlohmann::json;

DiscoveryConfig settings_of(const char* config) { return parse_discovery_config(json::parse(config), "door1"); }

Sources gpio_and_rules() {
  Sources sources;
  read_gpio_config(json::parse(R"({"backend":"simulated",
      "inputs":[{"name":"in1","label":"J11 input: door contact","line":{"chip":"c","offset":0},"trigger":"low"},
                {"name":"in2","line":{"chip":"c","offset":1},"trigger":"low"}],
      "outputs":[{"name":"out1","label":"Electric lock","line":{"chip":"c","offset":8}},
                 {"name":"out2","label":"Alarm light","line":{"chip":"c","offset":9}}]})"),
                   sources);
  read_rules_config(json::parse(R"({"rules":[{"id":"dtmf-open"},{"id":"alarm-report-in1"}]})"), sources);
  return sources;
}

const char* kShipped = R"({"device":{"name":"Front door","configuration_url":"http://192.0.2.5:8080/"},
    "inputs":{"in1":{"device_class":"door"}},"outputs":{"out1":{"as":"lock"}}})";

json discovery(const DiscoveryConfig& settings, const Sources& sources, const json& previous = json::object()) {
  return device_discovery(settings, Topics("door1"), sources, previous, "0.1.0");
}

std::string violation_of(const json& message) {
  const auto violation = testing::shipped_schemas().validate("homeassistant/device-discovery", message);
  return violation ? violation->to_string() : "";
}

TEST(DeviceDiscovery, EveryComponentHasOnlyKeysHomeAssistantDocumentsForIt) {
  const auto message = discovery(settings_of(kShipped), gpio_and_rules());
  EXPECT_EQ(violation_of(message), "") << message.dump(2);
  // 2 inputs, a lock with its "opened" event, a switch and its button, call, registration, modem,
  // 4 events (code, rule, alert, access), the doorbell, and the answer and hang-up buttons
  EXPECT_EQ(message["components"].size(), 16u);
}

TEST(DeviceDiscovery, TheSchemaRefusesAMisspeltKeyAndAComponentWithoutItsRequiredTopic) {
  auto message = discovery(settings_of(kShipped), gpio_and_rules());
  auto misspelt = message;
  misspelt["components"]["output_out2_switch"]["payload_onn"] = "x";
  EXPECT_NE(violation_of(misspelt), "");
  auto without_topic = message;
  without_topic["components"]["output_out2_switch"].erase("command_topic");
  EXPECT_NE(violation_of(without_topic), "");
  auto without_origin = message;
  without_origin.erase("origin");
  EXPECT_NE(violation_of(without_origin), "");
}

// A device-level qos is ignored by Home Assistant 2024.11 to 2026.5 (not one of its shared options
// until core PR #170195): commands from Home Assistant would go at QoS 0.
TEST(DeviceDiscovery, EveryComponentSaysQos1ItselfAsHomeAssistantReleasesBefore2026_6IgnoreTheDevicesQos) {
  const auto message = discovery(settings_of(kShipped), gpio_and_rules());
  for (const auto& [key, component] : message["components"].items()) EXPECT_EQ(component.value("qos", -1), 1) << key;
}

TEST(DeviceDiscovery, TheSchemaRefusesWhatHomeAssistantRefusesOrIgnores) {
  const auto message = discovery(settings_of(kShipped), gpio_and_rules());
  const auto refused = [&](const std::function<void(json&)>& change, const char* what) {
    auto changed = message;
    change(changed);
    EXPECT_NE(violation_of(changed), "") << what;
  };
  // Home Assistant refuses the whole device message for an unknown key here:
  refused([](json& m) { m["name"] = "x"; }, "a key at the top level");
  refused([](json& m) { m["device"]["room"] = "hall"; }, "a key in device");
  refused([](json& m) { m["origin"]["version"] = "1"; }, "a key in origin");
  refused([](json& m) { m["components"]["call"]["availability"][0]["payload"] = "online"; }, "a key in an availability entry");
  // and these it ignores or refuses in a component:
  refused([](json& m) { m["components"]["call"]["object_id"] = "call"; }, "object_id (ignored since 2026.4)");
  refused([](json& m) { m["components"]["output_out1_lock"]["default_entity_id"] = "switch.front_door"; }, "another platform's entity id");
  refused([](json& m) { m["components"]["call"]["availability_topic"] = "intercom/door1/telephony/status"; }, "availability and availability_topic");
  auto entity_id = message;
  entity_id["components"]["output_out1_lock"]["default_entity_id"] = "lock.front_door";
  EXPECT_EQ(violation_of(entity_id), "");
}

TEST(DeviceDiscovery, ADeviceNameHomeAssistantWouldDropFromTheTopicIsMappedAndStaysUnique) {
  EXPECT_EQ(contract::ha_object_id("door1"), "intercom-io_door1");
  EXPECT_EQ(contract::ha_object_id("door-1_a"), "intercom-io_door-1_a") << "names without such a character are kept";
  const auto dotted = contract::ha_object_id("door.1");
  EXPECT_TRUE(std::regex_match(dotted, std::regex("^intercom-io_door_1_[0-9a-f]{8}$"))) << dotted;
  EXPECT_NE(dotted, contract::ha_object_id("door_1"));
  EXPECT_EQ(dotted, contract::ha_object_id("door.1")) << "the same name, the same id";
  // Home Assistant's TOPIC_MATCHER: [a-zA-Z0-9_-]+ for the object id.
  const auto message = device_discovery(settings_of("{}"), Topics("door.1"), gpio_and_rules(), json::object(), "0.1.0");
  EXPECT_EQ(message["device"]["identifiers"], json::array({dotted}));
  EXPECT_EQ(message["components"]["input_in1"]["state_topic"], "intercom/door.1/input/in1") << "the bus topics keep the name";
  EXPECT_EQ(violation_of(message), "");
}

TEST(DeviceDiscovery, TheLockOpensWithAPulseAndEachOpeningIsAnEventWithItsCause) {
  const auto components = discovery(settings_of(kShipped), gpio_and_rules())["components"];
  const auto& lock = components["output_out1_lock"];
  EXPECT_EQ(json::parse(lock["payload_open"].get<std::string>()), json::parse(R"({"action":"pulse","cause":"home-assistant"})"));
  EXPECT_EQ(lock["state_open"], "OPEN");
  const auto& opened = components["output_out1_opened"];
  EXPECT_EQ(opened["platform"], "event");
  EXPECT_EQ(opened["state_topic"], "intercom/door1/output/out1");
  EXPECT_EQ(opened["event_types"], json::array({"opened"}));
  EXPECT_FALSE(components.contains("output_out2_opened")) << "only the lock is a door";
}

TEST(DeviceDiscovery, ARingIsADoorbellEventAndTheCallIsAnsweredAndHungUpWithButtons) {
  const auto components = discovery(settings_of(kShipped), gpio_and_rules())["components"];
  EXPECT_EQ(components["doorbell"]["device_class"], "doorbell");
  EXPECT_EQ(components["doorbell"]["state_topic"], "intercom/door1/call");
  EXPECT_EQ(components["doorbell"]["availability"][0]["topic"], "intercom/door1/telephony/status");
  for (const auto& [key, action] : {std::pair{"call_answer", "answer"}, {"call_hangup", "hangup"}}) {
    EXPECT_EQ(components[key]["platform"], "button");
    EXPECT_EQ(components[key]["command_topic"], "intercom/door1/call/control/set");
    const auto payload = json::parse(components[key]["payload_press"].get<std::string>());
    EXPECT_EQ(payload["action"], action);
    const auto violation = testing::shipped_schemas().validate("bus/call-control", payload);
    EXPECT_FALSE(violation) << key << ": " << violation->to_string();
  }
}

TEST(DeviceDiscovery, TheDeviceIsNamedAndPointsToItsPage) {
  const auto message = discovery(settings_of(kShipped), gpio_and_rules());
  EXPECT_EQ(message["device"]["identifiers"], json::array({"intercom-io_door1"}));
  EXPECT_EQ(message["device"]["name"], "Front door");
  EXPECT_EQ(message["device"]["manufacturer"], "intercom-io");
  EXPECT_EQ(message["device"]["sw_version"], "0.1.0");
  EXPECT_EQ(message["device"]["configuration_url"], "http://192.0.2.5:8080/");
  EXPECT_EQ(message["origin"]["name"], "intercom-io");
  EXPECT_EQ(discovery(settings_of("{}"), gpio_and_rules())["device"]["name"], "Intercom door1");
}

TEST(DeviceDiscovery, InputsAreBinarySensorsWithTheirDeviceClassAndGpiosAvailability) {
  const auto components = discovery(settings_of(kShipped), gpio_and_rules())["components"];
  const auto& in1 = components["input_in1"];
  EXPECT_EQ(in1["platform"], "binary_sensor");
  EXPECT_EQ(in1["name"], "J11 input: door contact");
  EXPECT_EQ(in1["device_class"], "door");
  EXPECT_EQ(in1["state_topic"], "intercom/door1/input/in1");
  EXPECT_EQ(in1["unique_id"], "intercom-io_door1_input_in1");
  EXPECT_EQ(in1["availability"], json::parse(R"([{"topic":"intercom/door1/gpio/status","value_template":"{{ value_json.state }}"}])"));
  EXPECT_FALSE(components["input_in2"].contains("device_class"));
  EXPECT_EQ(components["input_in2"]["name"], "in2");  // no label: its name
}

TEST(DeviceDiscovery, OutputsAreSwitchesWithAPulseButtonOrTheLockAndTheirCommandsAreBusCommands) {
  const auto components = discovery(settings_of(kShipped), gpio_and_rules())["components"];
  const auto& lock = components["output_out1_lock"];
  EXPECT_EQ(lock["platform"], "lock");
  EXPECT_EQ(json::parse(lock["payload_unlock"].get<std::string>())["action"], "pulse");
  EXPECT_EQ(json::parse(lock["payload_lock"].get<std::string>())["action"], "off");
  EXPECT_FALSE(components.contains("output_out1_switch"));
  const auto& on_off = components["output_out2_switch"];
  EXPECT_EQ(on_off["command_topic"], "intercom/door1/output/out2/set");
  EXPECT_EQ(on_off["state_on"], "ON");  // what the value template gives, not the command
  EXPECT_EQ(components["output_out2_pulse"]["platform"], "button");
  for (const auto& [component, key] : {std::pair{"output_out1_lock", "payload_unlock"}, {"output_out1_lock", "payload_lock"},
                                       {"output_out2_switch", "payload_on"}, {"output_out2_switch", "payload_off"},
                                       {"output_out2_pulse", "payload_press"}}) {
    const auto payload = json::parse(components[component][key].get<std::string>());
    const auto violation = testing::shipped_schemas().validate("bus/output-command", payload);
    EXPECT_FALSE(violation) << component << " " << key << ": " << violation->to_string();
    EXPECT_EQ(payload["cause"], "home-assistant");
  }
}

TEST(DeviceDiscovery, EachComponentIsAvailableOnlyWhileTheServicesItsDataComesFromAreOnline) {
  const auto components = discovery(settings_of(kShipped), gpio_and_rules())["components"];
  const auto service_of = [&](const char* key) { return components[key]["availability"][0]["topic"].get<std::string>(); };
  EXPECT_EQ(service_of("call"), "intercom/door1/telephony/status");
  EXPECT_EQ(service_of("registration"), "intercom/door1/telephony/status");
  EXPECT_EQ(service_of("modem"), "intercom/door1/sms/status");
  EXPECT_EQ(service_of("alert"), "intercom/door1/sms/status");
  EXPECT_EQ(service_of("access"), "intercom/door1/access/status");
  EXPECT_EQ(service_of("rules_code"), "intercom/door1/rules/status");
  EXPECT_EQ(service_of("rules_fired"), "intercom/door1/rules/status");
  EXPECT_EQ(components["registration"]["entity_category"], "diagnostic");
  EXPECT_EQ(components["call"]["options"], json::parse(R"(["idle","ringing","calling","talking"])"));
}

// An enum sensor's options are what Home Assistant accepts as its states: they must be exactly the
// values the state's schema allows, or a new state would show as an error in Home Assistant.
TEST(DeviceDiscovery, EachEnumSensorHasExactlyTheStatesItsSchemaAllows) {
  const auto components = discovery(settings_of(kShipped), gpio_and_rules())["components"];
  for (const auto& [key, schema] : {std::pair{"call", "bus/call-state"}, {"registration", "bus/telephony-registration"},
                                    {"modem", "bus/sms-modem"}}) {
    std::ifstream file(std::string(INTERCOM_SOURCE_DIR "/schemas/") + schema + ".schema.json");
    const auto allowed = json::parse(file)["properties"]["state"]["enum"];
    EXPECT_EQ(components[key]["options"], allowed) << key;
  }
}

TEST(DeviceDiscovery, EachDoorAccessWatchesIsAForcedOpenAndAHeldOpenBinarySensorOnAccesssState) {
  auto sources = gpio_and_rules();
  read_access_config(json::parse(R"({"state_dir":"x","doors":{"out1":{"label":"Front door","contact":"in1","exit":"in3"},"out2":{}}})"), sources);
  const auto message = discovery(settings_of(kShipped), sources);
  EXPECT_EQ(violation_of(message), "") << message.dump(2);
  const auto& components = message["components"];
  const auto& forced = components["door_out1_forced"];
  EXPECT_EQ(forced["platform"], "binary_sensor");
  EXPECT_EQ(forced["name"], "Front door forced open");
  EXPECT_EQ(forced["device_class"], "safety");
  EXPECT_EQ(forced["state_topic"], "intercom/door1/access/door/out1");
  EXPECT_EQ(forced["value_template"], "{{ 'ON' if value_json.forced else 'OFF' }}");
  EXPECT_EQ(forced["availability"], json::parse(R"([{"topic":"intercom/door1/access/status","value_template":"{{ value_json.state }}"}])"));
  EXPECT_EQ(components["door_out1_held_open"]["device_class"], "problem");
  EXPECT_EQ(components["door_out2_forced"]["name"], "Door out2 forced open") << "no label: the lock's name";
  EXPECT_EQ(components["access"]["event_types"], json::parse(R"(["granted","refused","alarm"])"));
  // Access not heard from: the doors Home Assistant was told of stay; access without doors: gone.
  const auto kept = discovery(settings_of(kShipped), gpio_and_rules(), components)["components"];
  EXPECT_EQ(kept["door_out1_forced"], forced);
  read_access_config(json::parse(R"({"state_dir":"x"})"), sources);
  EXPECT_TRUE(removed_components(discovery(settings_of(kShipped), sources)["components"], components).contains("door_out1_forced"));
}

TEST(DeviceDiscovery, RuleFiringsHaveTheRuleIdsAsEventTypesAndNoEntityWithoutRules) {
  auto sources = gpio_and_rules();
  EXPECT_EQ(discovery(settings_of(kShipped), sources)["components"]["rules_fired"]["event_types"],
            json::parse(R"(["dtmf-open","alarm-report-in1"])"));
  read_rules_config(json::parse(R"({"rules":[]})"), sources);
  EXPECT_FALSE(discovery(settings_of(kShipped), sources)["components"].contains("rules_fired"));
}

TEST(DeviceDiscovery, ASourceNotHeardFromYetKeepsWhatHomeAssistantWasToldAndOnlyWhatIsThisDevices) {
  const auto before = discovery(settings_of(kShipped), gpio_and_rules())["components"];
  auto previous = before;
  previous["input_forged"] = {{"platform", "binary_sensor"}, {"unique_id", "x"}, {"state_topic", "elsewhere/in"}};
  const auto now = discovery(settings_of(kShipped), Sources{}, previous)["components"];
  EXPECT_EQ(now["input_in1"], before["input_in1"]);
  EXPECT_EQ(now["output_out1_lock"], before["output_out1_lock"]);
  EXPECT_EQ(now["rules_fired"], before["rules_fired"]);
  EXPECT_FALSE(now.contains("input_forged"));
  EXPECT_TRUE(removed_components(now, previous).contains("input_forged"));
}

TEST(DeviceDiscovery, WhatLeftTheConfigurationIsRemovedAsItsPlatformAloneOnce) {
  const auto previous = discovery(settings_of("{}"), gpio_and_rules())["components"];
  auto sources = gpio_and_rules();
  sources.outputs->pop_back();  // out2 removed on the page
  auto settings = settings_of(R"({"outputs":{"out1":{"as":"lock"}}})");
  const auto now = discovery(settings, sources, previous)["components"];
  const auto removed = removed_components(now, previous);
  EXPECT_EQ(removed, json::parse(R"({"output_out1_switch":{"platform":"switch"},"output_out1_pulse":{"platform":"button"},
                                     "output_out2_switch":{"platform":"switch"},"output_out2_pulse":{"platform":"button"}})"));
  auto sent = now;
  sent.update(removed);
  EXPECT_EQ(violation_of({{"device", {{"identifiers", {"d"}}, {"name", "n"}}}, {"origin", {{"name", "o"}}}, {"components", sent}}), "");
  EXPECT_TRUE(removed_components(now, sent).empty());  // a removal is not removed again
}

// The config state's schema says only that "config" is an object; another client of the bus could
// write one. What is not a port as gpio has it is left out, and the message stays valid.
TEST(DeviceDiscovery, AConfigStateOfTheWrongShapeIsReadAsFarAsItIsPorts) {
  Sources sources;
  read_gpio_config(json::parse(R"({"inputs":"in1","outputs":{"name":"out1"}})"), sources);
  EXPECT_TRUE(sources.inputs->empty());
  EXPECT_TRUE(sources.outputs->empty());
  read_gpio_config(json::parse(R"({"inputs":[1,null,{"name":7},{"name":"a/b"},{"name":"#"},{"name":"Big"},{"name":"in1","label":3},
                                             {"name":"in2","label":"ok"}]})"),
                   sources);
  ASSERT_EQ(sources.inputs->size(), 2u);
  EXPECT_EQ((*sources.inputs)[0].label, "");
  read_rules_config(json::parse(R"({"rules":[{"id":"a"},{"id":"a"},{"id":""},{"id":5},"x",{"trigger":{}}]})"), sources);
  EXPECT_EQ(*sources.rule_ids, std::vector<std::string>{"a"});
  read_rules_config(json::parse(R"({"rules":{"id":"a"}})"), sources);
  EXPECT_TRUE(sources.rule_ids->empty());
  EXPECT_EQ(violation_of(discovery(settings_of(kShipped), sources)), "");
}

TEST(DiscoveryConfig, OutputsAreSwitchesUnlessMarkedAsTheLock) {
  const auto settings = settings_of(R"({"outputs":{"out1":{"as":"lock"},"out2":{}}})");
  EXPECT_EQ(settings.output_kind.at("out1"), OutputKind::lock);
  EXPECT_EQ(settings.output_kind.at("out2"), OutputKind::switch_with_pulse);
  EXPECT_EQ(settings.prefix, "homeassistant");
}

}  // namespace
}  // namespace intercom::discovery
