// Every topic a service subscribes to gets a thousand generated bad payloads (random bytes,
// truncated JSON, wrong types, 1e400 and 2^64, 10,000-deep nesting, 1 MB strings, invalid UTF-8,
// empty, duplicate keys): the service does not crash, reports each one on its error topic with the
// topic it came on, and serves the valid commands sent in between.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <regex>
#include <thread>

#include "bus_probe.hpp"
#include "http_client.hpp"
#include "hostile_payloads.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::size_t kPerTopic = 1000;
constexpr int kValidEvery = 100;

struct TopicCase {
  std::string topic;
  json example;  ///< a plausible payload, from which the bad ones are made
  bool state = false;
};

class EveryTopicAbuseTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  void SetUp() override { probe.subscribe("intercom/#"); }

  /// Sends every topic's bad payloads, calling `valid(n)` after every kValidEvery of them, then
  /// checks that each bad one was reported by `service` with its topic, and none more.
  void abuse(const std::string& service, const std::vector<TopicCase>& topics, ServiceProcess& process,
             const std::function<void(int)>& valid) {
    std::map<std::string, std::size_t> sent;
    int valid_sent = 0;
    std::uint32_t seed = 1;
    std::size_t total = 0;
    for (const auto& topic : topics) {
      const auto payloads = hostile_payloads(topic.example, {.count = kPerTopic, .seed = seed++, .include_empty = !topic.state});
      for (const auto& payload : payloads) {
        probe.publish(topic.topic, payload.payload);
        ++sent[topic.topic];
        if (++total % kValidEvery == 0) valid(valid_sent++);
      }
    }
    const auto error_topic = "intercom/d1/" + service + "/error";
    const auto reports = probe.wait_for_count(on_topic(error_topic), total, 60s);
    std::this_thread::sleep_for(300ms);  // one too many would be here by now
    std::map<std::string, std::size_t> reported;
    for (const auto& report : probe.received(on_topic(error_topic))) ++reported[report.json().value("topic", "")];
    for (const auto& [topic, count] : sent) EXPECT_EQ(reported[topic], count) << service << " on " << topic;
    EXPECT_EQ(reports, total) << process.process().log().substr(0, 3000);
    EXPECT_TRUE(process.process().running()) << process.process().log().substr(0, 3000);
    EXPECT_EQ(process.process().log().find(" error: "), std::string::npos) << "nothing bad enough to be an error";
  }
};

const json kStatus = {{"state", "online"}, {"version", "0.1.0"}, {"started_at", "2026-12-01T10:00:00.000Z"}, {"at", "2026-12-01T10:00:00.000Z"}};
const json kConfigSet = {{"request_id", "c-1"}, {"patch", json::object()}};

TEST_F(EveryTopicAbuseTest, Gpio) {
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s));
  abuse("gpio",
        {{"intercom/d1/output/out1/set", {{"action", "toggle"}, {"request_id", "x"}, {"cause", "test"}}},
         {"intercom/d1/sim/input/in1/level", {{"level", "low"}}},
         {"intercom/d1/sim/wiegand/reader1", {{"bits", "10110"}, {"pulse_us", 80}, {"interval_us", 2000}}},
         {"intercom/d1/rules/status", kStatus, true},
         {"intercom/d1/gpio/config/set", kConfigSet}},
        gpio, [&](int n) { probe.publish("intercom/d1/output/out1/set", json{{"action", "toggle"}, {"request_id", "valid-" + std::to_string(n)}}.dump()); });
  for (int n = 0; n < static_cast<int>(5 * kPerTopic / kValidEvery); ++n) {
    const auto id = "valid-" + std::to_string(n);
    EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [&](const auto& s) { return s.value("request_id", "") == id; }), 5s)) << id;
  }
}

TEST_F(EveryTopicAbuseTest, Rules) {
  // The second rule's condition makes rules read the outputs' states (it does only then).
  ServiceProcess rules(broker, "rules", "d1", json::parse(R"({"rules":[
      {"id":"follow-in1","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out1","action":"on"}]},
      {"id":"sos-if-lit","trigger":{"type":"message","alert":"SOS"},"conditions":[{"output":"out2","active":true}],
       "actions":[{"output":"out1","action":"pulse"}]}]})"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "rules"), 10s));
  const json input = {{"active", true}, {"level", "low"}, {"since", "2026-12-01T10:00:00.000Z"}, {"seq", 1}, {"label", "door"}};
  abuse("rules",
        {{"intercom/d1/input/in1", input, true},
         {"intercom/d1/output/out1", {{"active", true}, {"mode", "on"}, {"remaining_ms", 0}, {"since", "2026-12-01T10:00:00.000Z"}}, true},
         {"intercom/d1/call", {{"state", "ringing"}, {"call_id", "c1"}, {"since", "2026-12-01T10:00:00.000Z"}}, true},
         {"intercom/d1/call/dtmf", {{"call_id", "c1"}, {"digit", "1"}, {"source", "rfc2833"}, {"at", "2026-12-01T10:00:00.000Z"}}},
         {"intercom/d1/message/received", {{"from", "sip:a@b"}, {"transport", "sip"}, {"text", "ALERT=X"}, {"trusted", true}, {"at", "2026-12-01T10:00:00.000Z"}}},
         {"intercom/d1/rules/set", {{"action", "reload"}, {"request_id", "r"}}},
         {"intercom/d1/telephony/status", kStatus, true},
         {"intercom/d1/gpio/config", {{"revision", 1}, {"at", "2026-12-01T10:00:00.000Z"}, {"config", {{"outputs", json::array()}}}}, true},
         {"intercom/d1/rules/config/set", kConfigSet}},
        rules, [&](int n) {
          // A valid live input change: the rule holds out1 while in1 is active.
          auto state = input;
          state["active"] = n % 2 == 0;
          state["level"] = n % 2 == 0 ? "low" : "high";
          state["seq"] = 100 + n;
          probe.publish("intercom/d1/input/in1", state.dump());
        });
  const auto commands = probe.received(on_topic("intercom/d1/output/out1/set"));
  EXPECT_GE(commands.size(), static_cast<std::size_t>(8 * kPerTopic / kValidEvery) - 1) << "each valid change of in1 moved out1";
}

TEST_F(EveryTopicAbuseTest, Sms) {
  ServiceProcess sms(broker, "sms", "d1", json::parse(R"({"outbox": {"state_dir": "sms-state", "retry_min_s": 1, "retry_max_s": 2}})"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "sms"), 10s));
  const json result = {{"request_id", "s"}, {"to", "sip:a@b"}, {"state", "delivered"}, {"at", "2026-12-01T10:00:00.000Z"}};
  abuse("sms",
        {{"intercom/d1/message/send", {{"to", "sip:alarm@127.0.0.1"}, {"text", "ALERT=X"}, {"request_id", "m"}}},
         {"intercom/d1/telephony/message/result", result},
         {"intercom/d1/telephony/message/received", {{"from", "sip:a@b"}, {"text", "ALERT=X"}, {"at", "2026-12-01T10:00:00.000Z"}}},
         {"intercom/d1/telephony/status", kStatus, true},
         {"intercom/d1/sms/config/set", kConfigSet}},
        sms, [&](int n) {
          probe.publish("intercom/d1/message/send", json{{"to", "sip:alarm@127.0.0.1"}, {"text", "ALERT=VALID"}, {"request_id", "valid-" + std::to_string(n)}}.dump());
        });
  // Telephony is away: each valid message waits in the outbox for it, none of the bad ones does.
  const int valid = static_cast<int>(5 * kPerTopic / kValidEvery);
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/outbox", [&](const auto& o) { return o["pending"] == valid; }), 5s))
      << sms.process().log().substr(0, 3000);
}

TEST_F(EveryTopicAbuseTest, TelephonyOnTheSimulatedLine) {
  auto config = shipped_config("telephony");
  config["auto_answer"]["enabled"] = false;
  ServiceProcess telephony(broker, "telephony", "d1", config);
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "telephony"), 10s));
  abuse("telephony",
        {{"intercom/d1/call/set", {{"action", "dial"}, {"uri", "sip:100@pbx"}, {"request_id", "t"}}},
         {"intercom/d1/sim/call/set", {{"action", "ring"}, {"from", "sip:100@pbx"}}},
         {"intercom/d1/telephony/message/send", {{"to", "sip:a@b"}, {"text", "hi"}, {"request_id", "t"}}},
         {"intercom/d1/telephony/config/set", kConfigSet}},
        telephony, [&](int n) {
          probe.publish("intercom/d1/sim/call/set", n % 2 == 0 ? R"({"action":"ring","from":"sip:valid@pbx"})" : R"({"action":"hangup"})");
        });
  const auto rings = probe.received(on_topic_where("intercom/d1/call", [](const auto& c) { return c["state"] == "ringing"; }));
  EXPECT_EQ(rings.size(), static_cast<std::size_t>((4 * kPerTopic / kValidEvery + 1) / 2)) << "each valid ring rang";
}

// The web service reads every state and event for its live page: bad ones never reach a browser.
TEST_F(EveryTopicAbuseTest, Web) {
  ServiceProcess web(broker, "web", "d1",
                     {{"listen", {{"address", "127.0.0.1"}, {"port", 0}}}, {"credentials_file", "web-password.hash"}, {"hash_cost", "minimum"}});
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "web"), 10s));
  const json output = {{"active", true}, {"mode", "on"}, {"remaining_ms", 0}, {"since", "2026-12-01T10:00:00.000Z"}};
  abuse("web",
        {{"intercom/d1/input/in1", {{"active", true}, {"level", "low"}, {"since", "2026-12-01T10:00:00.000Z"}, {"seq", 1}}, true},
         {"intercom/d1/output/out1", output, true},
         {"intercom/d1/gpio/status", kStatus, true},
         {"intercom/d1/call", {{"state", "ringing"}, {"since", "2026-12-01T10:00:00.000Z"}}, true},
         {"intercom/d1/rules/fired", {{"rule", "r"}, {"at", "2026-12-01T10:00:00.000Z"}}},
         {"intercom/d1/message/received", {{"from", "sip:a@b"}, {"transport", "sip"}, {"text", "ALERT=X"}, {"trusted", true}, {"at", "2026-12-01T10:00:00.000Z"}}},
         {"intercom/d1/gpio/config/result", {{"request_id", "c"}, {"ok", true}, {"revision", 2}, {"at", "2026-12-01T10:00:00.000Z"}}},
         {"intercom/d1/message/result", {{"to", "sip:a@b"}, {"state", "delivered"}, {"delivered", true}, {"attempts", 1}, {"at", "2026-12-01T10:00:00.000Z"}}},
         {"intercom/d1/gpio/error", {{"topic", "intercom/d1/output/out1/set"}, {"kind", "schema"}, {"reason", "r"}, {"at", "2026-12-01T10:00:00.000Z"}, {"rejected_total", 1}}}},
        web, [&](int) {
          // Serving its page in between: an HTTP request answered.
          std::smatch port;
          const auto log = web.process().log();
          ASSERT_TRUE(std::regex_search(log, port, std::regex("the page is at http://127\\.0\\.0\\.1:([0-9]+)/")));
          EXPECT_EQ(http_request(std::stoi(port[1]), "GET", "/api/session").status, 200);
        });
}

TEST_F(EveryTopicAbuseTest, Discovery) {
  probe.subscribe("homeassistant/#");
  ServiceProcess discovery(broker, "discovery", "d1", shipped_config("discovery"));
  const auto first = probe.wait_for(on_topic("homeassistant/device/intercom-io_d1/config"), 10s);
  ASSERT_TRUE(first) << discovery.process().log();
  const json config_state = {{"revision", 1}, {"at", "2026-12-01T10:00:00.000Z"}, {"config", json::object()}};
  abuse("discovery",
        {{"homeassistant/device/intercom-io_d1/config", first->json(), true},
         {"intercom/d1/gpio/config", config_state, true},
         {"intercom/d1/rules/config", config_state, true},
         // Plain text on Home Assistant's side: every generated payload (random bytes, JSON of every
         // shape, invalid UTF-8, empty) is something other than the two words.
         {"homeassistant/status", {{"state", "online"}}},
         {"intercom/d1/discovery/config/set", kConfigSet}},
        discovery, [&](int) { probe.publish("homeassistant/status", "online"); });
  // Home Assistant's birth message in between was answered (the first message is the one at
  // start, before the abuse), and still is.
  EXPECT_GE(probe.received(on_topic("homeassistant/device/intercom-io_d1/config")).size(), 2u);
  probe.clear();
  probe.publish("homeassistant/status", "online");
  EXPECT_TRUE(probe.wait_for(on_topic("homeassistant/device/intercom-io_d1/config"), 3s));
}

TEST_F(EveryTopicAbuseTest, Sparkplug) {
  BusProbe scada(broker, "scada-host", "scada");
  scada.subscribe("spBv1.0/#");
  auto config = shipped_config("sparkplug");
  config["state_dir"] = (broker.directory() / "sparkplug-state").string();
  ServiceProcess sparkplug(broker, "sparkplug", "d1", config);
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "sparkplug"), 10s)) << sparkplug.process().log();
  ASSERT_TRUE(scada.wait_for(on_topic("spBv1.0/intercom-io/NBIRTH/d1"), 10s));
  const json at = "2026-12-01T10:00:00.000Z";
  const json fired = {{"rule", "r1"}, {"trigger", {{"topic", "intercom/d1/input/in1"}, {"kind", "input"}}}, {"actions", json::array()}, {"at", at}};
  const std::vector<TopicCase> topics = {
      {"intercom/d1/gpio/config", {{"revision", 1}, {"at", at}, {"config", json::object()}}, true},
      {"intercom/d1/input/in1", {{"active", true}, {"level", "low"}, {"since", at}, {"seq", 1}}, true},
      {"intercom/d1/output/out1", {{"active", true}, {"mode", "on"}, {"remaining_ms", 0}, {"since", at}}, true},
      {"intercom/d1/call", {{"state", "ringing"}, {"since", at}}, true},
      {"intercom/d1/telephony/registration", {{"state", "ok"}, {"since", at}}, true},
      {"intercom/d1/message/received", {{"from", "sip:a@b"}, {"transport", "sip"}, {"text", "ALERT=X"}, {"trusted", true}, {"at", at}}},
      {"intercom/d1/rules/fired", fired},
      {"intercom/d1/gpio/status", kStatus, true},
      {"intercom/d1/sparkplug/config/set", kConfigSet}};
  abuse("sparkplug", topics, sparkplug, [&](int) { probe.publish("intercom/d1/rules/fired", fired.dump()); });
  // Every valid rule firing in between reached the SCADA host as node data.
  const auto valid = topics.size() * kPerTopic / kValidEvery;
  EXPECT_EQ(scada.wait_for_count(on_topic("spBv1.0/intercom-io/NDATA/d1"), valid, 10s), valid);
}

TEST_F(EveryTopicAbuseTest, History) {
  ServiceProcess history(broker, "history", "d1", shipped_config("history"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "history"), 10s)) << history.process().log();
  const json at = "2026-12-01T10:00:00.000Z";
  const std::vector<TopicCase> topics = {
      {"intercom/d1/history/query", {{"request_id", "q"}, {"kinds", {"output"}}, {"output", "out1"}, {"from", at}, {"limit", 10}}},
      {"intercom/d1/input/in1", {{"active", true}, {"level", "low"}, {"since", at}, {"seq", 1}}, true},
      {"intercom/d1/output/out1", {{"active", true}, {"mode", "pulse"}, {"remaining_ms", 100}, {"since", at}, {"cause", "web"}}, true},
      {"intercom/d1/call", {{"state", "ringing"}, {"call_id", "c1"}, {"since", at}}, true},
      {"intercom/d1/rules/code", {{"result", "rejected"}, {"call_id", "c1"}, {"failures", 1}, {"at", at}}},
      {"intercom/d1/rules/fired", {{"rule", "r1"}, {"trigger", {{"topic", "intercom/d1/input/in1"}, {"kind", "input"}}}, {"actions", json::array()}, {"at", at}}},
      {"intercom/d1/message/received", {{"from", "sip:a@b"}, {"transport", "sip"}, {"text", "ALERT=X"}, {"trusted", true}, {"at", at}}},
      {"intercom/d1/message/result", {{"to", "sip:a@b"}, {"state", "delivered"}, {"delivered", true}, {"attempts", 1}, {"at", at}}},
      {"intercom/d1/web/login", {{"result", "failed"}, {"client", "192.0.2.1"}, {"failures", 1}, {"at", at}}},
      {"intercom/d1/gpio/config/result", {{"ok", true}, {"source", "bus"}, {"revision", 2}, {"at", at}}},
      {"intercom/d1/gpio/status", kStatus, true},
      {"intercom/d1/history/config/set", kConfigSet}};
  abuse("history", topics, history,
        [&](int n) { probe.publish("intercom/d1/history/query", json{{"request_id", "valid-" + std::to_string(n)}, {"limit", 5}}.dump()); });
  // Every valid query in between was answered.
  for (int n = 0; n < static_cast<int>(topics.size() * kPerTopic / kValidEvery); ++n) {
    const auto id = "valid-" + std::to_string(n);
    EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/history/result", [&](const json& r) { return r.value("request_id", "") == id && r.value("ok", false); }), 5s)) << id;
  }
}

TEST_F(EveryTopicAbuseTest, Access) {
  ServiceProcess access(broker, "access", "d1", shipped_config("access"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "access"), 10s)) << access.process().log();
  const json at = "2026-12-01T10:00:00.000Z";
  const std::vector<TopicCase> topics = {
      {"intercom/d1/access/credential", {{"reader", "reader1"}, {"kind", "card"}, {"value", "12-34567"}, {"bits", 26}, {"at", at}}},
      {"intercom/d1/access/users/set",
       {{"request_id", "u"}, {"action", "put_user"}, {"user", {{"id", "anna"}, {"name", "Anna"}, {"doors", {"out1"}}, {"valid_until", at}}}}},
      {"intercom/d1/gpio/config", {{"revision", 1}, {"at", at}, {"config", {{"outputs", json::array()}}}}, true},
      {"intercom/d1/access/config/set", kConfigSet}};
  abuse("access", topics, access, [&](int n) {
    probe.publish("intercom/d1/access/users/set", json{{"request_id", "valid-" + std::to_string(n)}, {"action", "list"}}.dump());
  });
  // Every valid command in between was answered.
  for (int n = 0; n < static_cast<int>(topics.size() * kPerTopic / kValidEvery); ++n) {
    const auto id = "valid-" + std::to_string(n);
    EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/access/users/result", [&](const json& r) { return r.value("request_id", "") == id && r.value("ok", false); }), 5s)) << id;
  }
}

}  // namespace
}  // namespace intercom::testing
