// Home Assistant's side of the discovery service, through a real broker with the shipped ACL: the
// test's client logs in as the "homeassistant" user and does what Home Assistant does with the
// discovery message (reads it, sends its birth message, sends the commands it lists).
#include <algorithm>
#include <chrono>
#include <thread>
#include <fstream>
#include <memory>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bus_probe.hpp"
#include "intercom/contract/schema.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kDiscoveryTopic = "homeassistant/device/intercom-io_d1/config";

class DiscoveryTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe home_assistant{broker, "home-assistant", "homeassistant"};
  BusProbe operator_probe{broker, "operator"};
  GpioProcess gpio{broker, "d1"};
  ServiceProcess rules{broker, "rules", "d1", shipped_config("rules")};
  std::unique_ptr<ServiceProcess> discovery;

  void SetUp() override {
    home_assistant.subscribe("homeassistant/#");
    home_assistant.subscribe("intercom/d1/#");
    operator_probe.subscribe("intercom/d1/#");
    ASSERT_TRUE(home_assistant.wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio.process().log();
    // (Home Assistant may not read a configuration: the operator sees that rules is ready.)
    ASSERT_TRUE(operator_probe.wait_for(on_topic("intercom/d1/rules/config"), 10s)) << rules.process().log();
    discovery = std::make_unique<ServiceProcess>(broker, "discovery", "d1", shipped_config("discovery"));
    ASSERT_TRUE(home_assistant.wait_for(service_online("intercom/d1", "discovery"), 10s)) << discovery->process().log();
  }

  /// The next discovery message that satisfies the condition (a fresh one after clear()).
  json discovery_message(const std::function<bool(const json&)>& condition = [](const json&) { return true; }) {
    const auto message = home_assistant.wait_for(
        [&](const ProbeMessage& m) {
          if (m.topic != kDiscoveryTopic) return false;
          const auto payload = m.json();
          return payload.is_object() && condition(payload);
        },
        5s);
    EXPECT_TRUE(message) << discovery->process().log();
    return message ? message->json() : json();
  }

  static json command_of(const json& component, const char* key) { return json::parse(component.at(key).get<std::string>()); }

  /// Sends a command as Home Assistant does: the payload the discovery message lists, to its topic.
  void press(const json& component, const char* payload_key) {
    home_assistant.publish(component.at("command_topic").get<std::string>(), component.at(payload_key).get<std::string>());
  }

  bool output_is(const std::string& name, bool active, const std::string& mode = "") {
    return home_assistant
        .wait_for(on_topic_where("intercom/d1/output/" + name,
                                 [&](const json& state) {
                                   return state.value("active", !active) == active && (mode.empty() || state.value("mode", "") == mode) &&
                                          state.value("cause", "") == "home-assistant";
                                 }),
                  5s)
        .has_value();
  }
};

TEST_F(DiscoveryTest, TheDeviceAppearsWithEveryComponentInTheShapeHomeAssistantDocuments) {
  const auto message = discovery_message([](const json& m) { return m["components"].contains("rules_fired"); });
  const auto schemas = SchemaSet::load(INTERCOM_SOURCE_DIR "/schemas");
  const auto violation = schemas.validate("homeassistant/device-discovery", message);
  EXPECT_FALSE(violation) << violation->to_string() << "\n" << message.dump(2);
  const auto& components = message["components"];
  for (const auto* key : {"input_in1", "input_in2", "output_out1_lock", "output_out2_switch", "output_out2_pulse", "call", "registration",
                          "modem", "rules_code", "rules_fired", "alert", "access", "output_out1_opened", "doorbell", "call_answer", "call_hangup"})
    EXPECT_TRUE(components.contains(key)) << key << " missing in " << components.dump(2);
  EXPECT_EQ(components["input_in1"]["device_class"], "door");  // config/discovery.json
  EXPECT_EQ(components["input_in1"]["name"], "Door contact");   // gpio's label
  EXPECT_EQ(message["device"]["name"], "Front door intercom");
  // The rule ids of the rules service in force are the event types of the rule firings.
  EXPECT_NE(std::find(components["rules_fired"]["event_types"].begin(), components["rules_fired"]["event_types"].end(), "message-out1"),
            components["rules_fired"]["event_types"].end());
  // Retained: a Home Assistant that starts later finds it.
  BusProbe late{broker, "late-home-assistant", "homeassistant"};
  late.subscribe(kDiscoveryTopic);
  ASSERT_TRUE(late.wait_for([](const ProbeMessage& m) { return m.retained; }, 5s));
}

TEST_F(DiscoveryTest, TheCommandsHomeAssistantSendsMoveTheSimulatedOutputs) {
  const auto components = discovery_message()["components"];
  const auto& on_off = components["output_out2_switch"];
  press(on_off, "payload_on");
  EXPECT_TRUE(output_is("out2", true, "on"));
  EXPECT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/sim/output/out2/level", [](const json& l) { return l["level"] == "low"; }), 5s))
      << "out2 is NC: on is a low level";
  press(on_off, "payload_off");
  EXPECT_TRUE(output_is("out2", false));
  press(components["output_out2_pulse"], "payload_press");
  EXPECT_TRUE(output_is("out2", true, "pulse"));
  // The door lock: unlocking pulses it (400 ms in the test's gpio config), then it locks by itself.
  home_assistant.clear();
  operator_probe.clear();
  press(components["output_out1_lock"], "payload_unlock");
  EXPECT_TRUE(output_is("out1", true, "pulse"));
  EXPECT_TRUE(home_assistant.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s["active"] == false; }), 3s));
  EXPECT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/sim/output/out1/level", [](const json& l) { return l["level"] == "low"; }), 3s));
  // Home Assistant's lock.open (the unlatch) pulses it too.
  home_assistant.clear();
  press(components["output_out1_lock"], "payload_open");
  EXPECT_TRUE(output_is("out1", true, "pulse"));
  // The call's buttons reach the topic that answers and hangs up (the ACL lets Home Assistant's user
  // write it), and only that one: its user cannot dial.
  operator_probe.clear();
  press(components["call_answer"], "payload_press");
  press(components["call_hangup"], "payload_press");
  EXPECT_THROW(home_assistant.publish("intercom/d1/call/set", R"({"action":"dial","uri":"sip:premium@192.0.2.9"})"), std::exception)
      << "the broker refuses Home Assistant's user a dial";
  EXPECT_EQ(operator_probe.wait_for_count(on_topic("intercom/d1/call/control/set"), 2, 3s), 2u);
  const auto commands = operator_probe.received(on_topic("intercom/d1/call/control/set"));
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0].json()["action"], "answer");
  EXPECT_EQ(commands[1].json()["action"], "hangup");
  EXPECT_FALSE(operator_probe.wait_for(on_topic("intercom/d1/call/set"), 500ms)) << "Home Assistant's user dialled";
}

// Home Assistant's fan-out of a device message can leave components of a changed message unapplied
// (one still pending stops the rest): a change is sent again, the same message, a few seconds later.
TEST_F(DiscoveryTest, AChangedMessageIsSentOnceMoreAFewSecondsLater) {
  discovery_message([](const json& m) { return m["components"].contains("rules_fired"); });
  std::this_thread::sleep_for(3500ms);  // the start's own repeat
  home_assistant.clear();
  auto gpio_config = default_test_gpio_config();
  gpio_config["inputs"][1]["label"] = "Emergency button, hall";
  operator_probe.publish("intercom/d1/gpio/config/set", json{{"request_id", "r-label"}, {"config", gpio_config}}.dump());
  const auto changed = discovery_message([](const json& m) { return m["components"]["input_in2"]["name"] == "Emergency button, hall"; });
  ASSERT_TRUE(changed.is_object());
  EXPECT_EQ(home_assistant.wait_for_count(on_topic(kDiscoveryTopic), 2, 5s), 2u) << discovery->process().log();
  const auto sent = home_assistant.received(on_topic(kDiscoveryTopic));
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].json(), sent[0].json()) << "the same message again";
  std::this_thread::sleep_for(3500ms);
  EXPECT_EQ(home_assistant.received(on_topic(kDiscoveryTopic)).size(), 2u) << "once more only, not every few seconds";
}

// A renamed device would leave its earlier discovery message, a device of its own in Home
// Assistant with every entity unavailable: the service clears it at its first start under the new
// name. A name with a "." gets an object id Home Assistant accepts in a topic.
TEST_F(DiscoveryTest, ARenamedDeviceClearsItsEarlierDiscoveryMessageAndADottedNameIsAcceptedByHomeAssistant) {
  discovery_message();
  EXPECT_EQ(discovery->process().stop(), 0) << discovery->process().log();
  home_assistant.clear();
  ServiceProcess renamed(broker, "discovery", "door.1", shipped_config("discovery"));
  const auto cleared = home_assistant.wait_for([](const ProbeMessage& m) { return m.topic == kDiscoveryTopic && m.payload.empty(); }, 5s);
  EXPECT_TRUE(cleared) << renamed.process().log();
  const std::regex home_assistants_topic("^homeassistant/device/[a-zA-Z0-9_-]+/config$");
  const auto announced = home_assistant.wait_for(
      [&](const ProbeMessage& m) { return m.topic.rfind("homeassistant/device/intercom-io_door_1_", 0) == 0 && !m.payload.empty(); }, 5s);
  ASSERT_TRUE(announced) << renamed.process().log();
  EXPECT_TRUE(std::regex_match(announced->topic, home_assistants_topic)) << announced->topic;
  // Once: its next start finds nothing to clear.
  EXPECT_EQ(renamed.process().stop(), 0);
  home_assistant.clear();
  ServiceProcess again(broker, "discovery", "door.1", shipped_config("discovery"));
  EXPECT_TRUE(home_assistant.wait_for(on_topic(announced->topic), 5s));
  EXPECT_TRUE(home_assistant.received([](const ProbeMessage& m) { return m.payload.empty(); }).empty());
}

TEST_F(DiscoveryTest, HomeAssistantComingOnlineGetsTheDiscoveryAgain) {
  discovery_message();
  home_assistant.clear();
  home_assistant.publish("homeassistant/status", "online");
  // (Every copy carries the retain flag: the probe subscribes with retain-as-published.)
  const auto again = home_assistant.wait_for(on_topic(kDiscoveryTopic), 3s);
  ASSERT_TRUE(again) << discovery->process().log();
  EXPECT_TRUE(again->json()["components"].contains("input_in1"));
  home_assistant.clear();
  home_assistant.publish("homeassistant/status", "offline");
  std::this_thread::sleep_for(700ms);  // longer than the birth message's longest random delay
  EXPECT_TRUE(home_assistant.received(on_topic(kDiscoveryTopic)).empty());
}

// SIGTERM while a send waits for its random delay: a clean, prompt stop, nothing sent after it.
TEST_F(DiscoveryTest, AStopWhileASendWaitsEndsAtOnceAndCleanly) {
  discovery_message();
  home_assistant.publish("homeassistant/status", "online");
  const auto asked = std::chrono::steady_clock::now();
  EXPECT_EQ(discovery->process().stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s);
  const auto log = discovery->process().log();
  EXPECT_EQ(log.find("bug: work was left"), std::string::npos) << log;
  EXPECT_EQ(log.find("discovery error:"), std::string::npos) << log;
}

TEST_F(DiscoveryTest, AnOutputRemovedOnTheBusIsRemovedFromHomeAssistantAndFromTheRetainedMessage) {
  discovery_message([](const json& m) { return m["components"].contains("output_out2_switch"); });
  home_assistant.clear();
  operator_probe.publish("intercom/d1/gpio/config/set", R"({"request_id":"c1","patch":{"outputs":[
      {"name":"out1","label":"Electric lock","line":{"chip":"sim","offset":8},"level":"NO","pulse_ms":400}]}})");
  const auto removal = discovery_message([](const json& m) { return m["components"].value("output_out2_switch", json()).size() == 1; });
  EXPECT_EQ(removal["components"]["output_out2_switch"], json({{"platform", "switch"}}));
  EXPECT_EQ(removal["components"]["output_out2_pulse"], json({{"platform", "button"}}));
  const auto after = discovery_message([](const json& m) { return !m["components"].contains("output_out2_switch"); });
  EXPECT_FALSE(after["components"].contains("output_out2_pulse"));
  EXPECT_TRUE(after["components"].contains("output_out1_lock"));
  BusProbe late{broker, "late-home-assistant", "homeassistant"};
  late.subscribe(kDiscoveryTopic);
  const auto retained = late.wait_for([](const ProbeMessage& m) { return m.retained; }, 5s);
  ASSERT_TRUE(retained);
  EXPECT_FALSE(retained->json()["components"].contains("output_out2_switch"));
}

TEST_F(DiscoveryTest, AnInputRemovedWhileTheServiceWasDownIsRemovedAtItsNextStart) {
  discovery_message([](const json& m) { return m["components"].contains("input_in2"); });
  discovery->process().stop();
  operator_probe.publish("intercom/d1/gpio/config/set", R"({"request_id":"c2","patch":{"inputs":[
      {"name":"in1","label":"Door contact","line":{"chip":"sim","offset":0},"trigger":"low","debounce_ms":20}]}})");
  ASSERT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/gpio/config/result", [](const json& r) { return r["ok"] == true; }), 5s));
  home_assistant.clear();
  discovery->restart();
  const auto removal = discovery_message([](const json& m) { return m["components"].value("input_in2", json()).size() == 1; });
  EXPECT_EQ(removal["components"]["input_in2"], json({{"platform", "binary_sensor"}}));
  discovery_message([](const json& m) { return !m["components"].contains("input_in2") && m["components"].contains("input_in1"); });
}

TEST_F(DiscoveryTest, ABadBirthMessageIsReportedAndSendsNothing) {
  discovery_message();
  std::this_thread::sleep_for(3500ms);  // the start's message sent once more (AChangedMessageIsSentOnceMore...)
  home_assistant.clear();
  for (const auto* payload : {"onlin", R"({"state":"online"})", "\"online\""}) home_assistant.publish("homeassistant/status", payload);
  EXPECT_EQ(operator_probe.wait_for_count(on_topic_where("intercom/d1/discovery/error",
                                                         [](const json& e) { return e.value("topic", "") == "homeassistant/status"; }),
                                          3, 5s),
            3u);
  std::this_thread::sleep_for(600ms);
  EXPECT_TRUE(home_assistant.received(on_topic(kDiscoveryTopic)).empty());
}

TEST_F(DiscoveryTest, AForgedDiscoveryMessageIsCorrectedToTheDeviceAsItIs) {
  auto message = discovery_message();
  // Another client of the bus adds a switch of its own that pulses the lock.
  message["components"]["output_forged_switch"] = {{"platform", "switch"}, {"unique_id", "forged"},
                                                   {"command_topic", "intercom/d1/output/out1/set"},
                                                   {"payload_on", R"({"action":"pulse"})"}};
  home_assistant.clear();
  operator_probe.publish(kDiscoveryTopic, message.dump(), true);
  discovery_message([](const json& m) { return m["components"].value("output_forged_switch", json()).size() == 1; });
  discovery_message([](const json& m) { return !m["components"].contains("output_forged_switch"); });
}

// Home Assistant renders each component's template against the payloads of its topic: Jinja, here
// too (Debian's python3-jinja2), against real payloads of gpio and examples of the contract.
TEST_F(DiscoveryTest, EveryTemplateRendersWhatHomeAssistantExpects) {
  const auto message = discovery_message([](const json& m) { return m["components"].contains("rules_fired"); });
  const auto& lock = message["components"]["output_out1_lock"];
  press(message["components"]["output_out2_switch"], "payload_on");
  ASSERT_TRUE(output_is("out2", true));
  press(lock, "payload_unlock");
  ASSERT_TRUE(output_is("out1", true, "pulse"));
  json samples = json::object();
  for (const auto& m : home_assistant.received([](const ProbeMessage& m) {
         const bool status = m.topic.size() > 7 && m.topic.substr(m.topic.size() - 7) == "/status";
         return m.topic.rfind("intercom/d1/input/", 0) == 0 || status ||
                (m.topic.rfind("intercom/d1/output/", 0) == 0 && m.topic.find("/set") == std::string::npos);
       }))
    if (m.json().is_object()) samples[m.topic].push_back(m.json());
  const auto at = R"("at":"2026-11-24T14:25:03.120Z")";
  const auto add = [&](const char* topic, const std::string& payload) { samples[topic].push_back(json::parse(payload)); };
  for (const auto* state : {"idle", "ringing", "calling", "talking"})
    add("intercom/d1/call", std::string(R"({"state":")") + state + R"(","since":"2026-11-24T14:25:03.120Z"})");
  add("intercom/d1/call", R"({"state":"ringing","call_id":"c-2","direction":"incoming","peer":"sip:visitor@192.0.2.10","since":"2026-11-24T14:25:03.120Z"})");
  add("intercom/d1/call", R"({"state":"ringing","call_id":"c-3","direction":"outgoing","peer":"sip:guard@192.0.2.10","since":"2026-11-24T14:25:03.120Z"})");
  // The lock switched on (not pulsed): unlocked, not open.
  add("intercom/d1/output/out1", R"({"active":true,"mode":"on","remaining_ms":0,"since":"2026-11-24T14:25:03.120Z","cause":"operator"})");
  add("intercom/d1/telephony/registration", R"({"state":"ok","since":"2026-11-24T14:25:03.120Z"})");
  add("intercom/d1/sms/modem", R"({"state":"not-answering","since":"2026-11-24T14:25:03.120Z"})");
  add("intercom/d1/rules/code", std::string(R"({"result":"rejected","call_id":"c-1","failures":3,)") + at + "}");
  add("intercom/d1/rules/fired", std::string(R"({"rule":"message-out1","trigger":{"topic":"t","kind":"message"},"actions":[],)") + at + "}");
  add("intercom/d1/message/received", std::string(R"({"from":"+4915112345678","transport":"gsm","text":"ALERT=OUT1_SOS","alert":"OUT1_SOS","trusted":true,)") + at + "}");
  add("intercom/d1/message/received", std::string(R"({"from":"sip:\"quoted\"@x","transport":"sip","text":"ALERT=X","alert":"X","trusted":false,)") + at + "}");
  add("intercom/d1/message/received", std::string(R"({"from":"+44","transport":"gsm","text":"hello","trusted":true,)") + at + "}");
  add("intercom/d1/access/event", std::string(R"({"result":"granted","door":"out1","credential":"card","reader":"reader1","user_id":"anna","user":"Anna \"A\" Berg","failures":0,"request_id":"access-1-1",)") + at + "}");
  add("intercom/d1/access/event", std::string(R"({"result":"refused","reason":"locked_out","door":"out1","credential":"pin","reader":"keypad","failures":5,"locked_until":"2026-11-24T14:25:33.120Z",)") + at + "}");
  add("intercom/d1/access/status", R"({"state":"online"})");
  add("intercom/d1/telephony/status", R"({"state":"offline","reason":"connection-lost"})");
  add("intercom/d1/sms/status", R"({"state":"online"})");
  ASSERT_TRUE(samples.contains("intercom/d1/output/out1") && samples.contains("intercom/d1/input/in1")) << samples.dump();

  const auto directory = broker.directory();
  std::ofstream(directory / "discovery.json") << message.dump();
  std::ofstream(directory / "samples.json") << samples.dump();
  ChildProcess render({"/usr/bin/python3", INTERCOM_SOURCE_DIR "/tests/homeassistant/render_templates.py",
                       (directory / "discovery.json").string(), (directory / "samples.json").string()},
                      directory / "render.log");
  const auto exit_code = render.wait_exit(20s);
  ASSERT_TRUE(exit_code) << render.log();
  EXPECT_EQ(*exit_code, 0) << render.log();
  const auto log = render.log();
  EXPECT_NE(log.find(R"(output_out1_lock (lock))"), std::string::npos) << log;
  EXPECT_NE(log.find("-> UNLOCKED"), std::string::npos) << log;
  EXPECT_NE(log.find("-> OPEN"), std::string::npos) << "the pulse from Home Assistant\n" << log;
  EXPECT_NE(log.find(R"(-> {"event_type": "ring", "peer": "sip:visitor@192.0.2.10"})"), std::string::npos) << log;
  EXPECT_NE(log.find(R"(-> {"event_type": "opened", "cause": "home-assistant", "mode": "pulse"})"), std::string::npos) << log;
  EXPECT_NE(log.find(R"(-> {"event_type": "granted", "reason": "", "user": "Anna \"A\" Berg", "user_id": "anna", "door": "out1", "reader": "reader1", "credential": "card"})"),
            std::string::npos) << log;
  EXPECT_NE(log.find(R"(-> {"event_type": "refused", "reason": "locked_out", "user": "", "user_id": "", "door": "out1", "reader": "keypad", "credential": "pin"})"),
            std::string::npos) << log;
  EXPECT_NE(log.find(R"(-> {"event_type": "untrusted-alert")"), std::string::npos) << log;
  EXPECT_NE(log.find("failures: 0"), std::string::npos) << log;
}

}  // namespace
}  // namespace intercom::testing
