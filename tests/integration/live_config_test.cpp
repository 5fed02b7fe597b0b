// Live configuration through a real broker: each service's configuration read from its retained
// config topic, changed with config/set, in force at once, written to its file (the old one kept as
// .prev), refused with the JSON path when it is wrong, and never a secret on the bus or in a log.
#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include "bus_probe.hpp"
#include "intercom/util/clock.hpp"
#include "intercom/config/config.hpp"
#include "service_process.hpp"
#include "threaded_pty_modem.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kAt = "2026-11-24T10:00:00.000Z";

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::ostringstream text;
  text << stream.rdbuf();
  return nlohmann::json::parse(text.str());
}

class LiveConfigTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};

  void SetUp() override { probe.subscribe("intercom/#"); }

  bool online(const std::string& service) { return probe.wait_for(service_online("intercom/d1", service), 10s).has_value(); }
  /// The retained configuration of a service at a revision.
  std::optional<nlohmann::json> config_at(const std::string& service, int revision) {
    const auto state = probe.wait_for(
        on_topic_where("intercom/d1/" + service + "/config", [&](const auto& c) { return c["revision"] == revision; }), 5s);
    if (!state) return std::nullopt;
    EXPECT_TRUE(state->retained || revision > 1);
    return state->json();
  }
  /// Sends config/set and returns its result.
  nlohmann::json set(const std::string& service, const std::string& request_id, const nlohmann::json& body) {
    auto command = body;
    command["request_id"] = request_id;
    probe.publish("intercom/d1/" + service + "/config/set", command.dump());
    const auto result = probe.wait_for(
        on_topic_where("intercom/d1/" + service + "/config/result", [&](const auto& r) { return r.value("request_id", "") == request_id; }),
        5s);
    if (!result) return {{"missing", true}};
    return result->json();
  }
  /// Whether any message seen so far carries the text, but for the config/set commands the test
  /// sent itself.
  bool on_the_bus(const std::string& text) {
    return !probe
                .received([&](const ProbeMessage& m) {
                  return m.payload.find(text) != std::string::npos && m.topic.find("/config/set") == std::string::npos;
                })
                .empty();
  }
};

class RulesLiveConfigTest : public LiveConfigTest {
 protected:
  std::unique_ptr<ServiceProcess> rules;

  void SetUp() override {
    LiveConfigTest::SetUp();
    rules = std::make_unique<ServiceProcess>(broker, "rules", "d1", nlohmann::json::parse(R"({"rules":[
        {"id":"dtmf-open","trigger":{"type":"dtmf","code":"1234"},"conditions":[{"call":["talking"]}],
         "actions":[{"output":"out1","action":"pulse","duration_ms":3000}]},
        {"id":"sos","trigger":{"type":"message","alert":"OUT1_SOS"},"actions":[{"output":"out1","action":"pulse"}]}]})"));
    ASSERT_TRUE(online("rules")) << rules->process().log();
    probe.publish("intercom/d1/telephony/status", R"({"state":"online","version":"t","started_at":"2026-11-24T10:00:00.000Z"})", true);
    probe.publish("intercom/d1/gpio/status", R"({"state":"online","version":"t","started_at":"2026-11-24T10:00:00.000Z"})", true);
    // Which outputs gpio has: its configuration in force, as gpio publishes it.
    probe.publish("intercom/d1/gpio/config",
                  nlohmann::json{{"revision", 1}, {"at", kAt}, {"config", {{"outputs", {{{"name", "out1"}}, {{"name", "out2"}}}}}}}.dump(), true);
    probe.publish("intercom/d1/call", nlohmann::json{{"state", "talking"}, {"call_id", "c1"}, {"since", kAt}}.dump(), true);
  }
  void keys(const std::string& digits) {
    for (char key : digits)
      probe.publish("intercom/d1/call/dtmf",
                    nlohmann::json{{"call_id", "c1"}, {"digit", std::string(1, key)}, {"source", "rfc4733"}, {"at", kAt}}.dump());
  }
  bool lock_pulses(std::chrono::milliseconds timeout = 3s) {
    return probe.wait_for(on_topic_where("intercom/d1/output/out1/set", [](const auto& c) { return c["action"] == "pulse"; }), timeout)
        .has_value();
  }
};

TEST_F(RulesLiveConfigTest, TheConfigIsRetainedWithTheCodeRedacted) {
  const auto state = config_at("rules", 1);
  ASSERT_TRUE(state) << rules->process().log();
  EXPECT_EQ((*state)["config"]["rules"][0]["trigger"]["code"], "********");
  EXPECT_EQ((*state)["config"]["dtmf"]["max_failures"], 5) << "defaults filled in";
  EXPECT_FALSE(on_the_bus("1234"));
}

TEST_F(RulesLiveConfigTest, ANewDtmfCodeIsInForceAtOnceAndTheOldOneGone) {
  auto document = (*config_at("rules", 1))["config"];
  document["rules"][0]["trigger"]["code"] = "4321";
  const auto result = set("rules", "r-1", {{"config", document}, {"cause", "web"}});
  ASSERT_EQ(result["ok"], true) << result.dump() << rules->process().log();
  EXPECT_EQ(result["revision"], 2);
  EXPECT_EQ(result["source"], "bus");
  // Who asked, and where it changed: the code's place, never the code.
  EXPECT_EQ(result["cause"], "web");
  EXPECT_EQ(result["changed_paths"], nlohmann::json({"/rules/0/trigger/code"})) << result.dump();
  const auto state = config_at("rules", 2);
  ASSERT_TRUE(state);
  EXPECT_EQ((*state)["config"]["rules"][0]["trigger"]["code"], "********");

  keys("1234#");
  EXPECT_FALSE(lock_pulses(700ms)) << "the old code no longer opens";
  keys("4321#");
  EXPECT_TRUE(lock_pulses()) << rules->process().log();

  // On disk: the new document, with its code and the bus section in force; the old one beside it.
  const auto file = read_json(rules->config_file());
  EXPECT_EQ(file["rules"][0]["trigger"]["code"], "4321");
  EXPECT_TRUE(file.contains("bus"));
  const auto previous = read_json(rules->config_file().string() + ".prev");
  EXPECT_EQ(previous["rules"][0]["trigger"]["code"], "1234");

  EXPECT_FALSE(on_the_bus("4321")) << "a code is never published";
  EXPECT_FALSE(on_the_bus("1234"));
  EXPECT_EQ(rules->process().log().find("4321"), std::string::npos) << "nor logged";
}

TEST_F(RulesLiveConfigTest, APatchChangesOneSettingAndKeepsTheCodes) {
  const auto result = set("rules", "r-2", {{"patch", {{"dtmf", {{"max_failures", 2}}}}}});
  ASSERT_EQ(result["ok"], true) << result.dump();
  EXPECT_EQ(result["changed_paths"], nlohmann::json({"/dtmf/max_failures"})) << result.dump();
  EXPECT_FALSE(result.contains("cause")) << "it did not say who asked";
  const auto state = config_at("rules", 2);
  ASSERT_TRUE(state);
  EXPECT_EQ((*state)["config"]["dtmf"]["max_failures"], 2);
  keys("1234#");
  EXPECT_TRUE(lock_pulses()) << "the code in force was kept";
}

// A QoS 1 redelivery of a change, or an empty patch, must not push the real previous file out of .prev.
TEST_F(RulesLiveConfigTest, TheSameConfigurationAgainChangesNothing) {
  auto document = (*config_at("rules", 1))["config"];
  document["rules"][1]["trigger"]["alert"] = "OUT1_HELP";
  ASSERT_EQ(set("rules", "r-8", {{"config", document}})["changed"], true);
  probe.clear();  // the same request id again: its first result must not answer for the second
  const auto again = set("rules", "r-8", {{"config", document}});
  EXPECT_EQ(again["ok"], true);
  EXPECT_EQ(again["changed"], false);
  EXPECT_EQ(again["revision"], 2);
  const auto empty = set("rules", "r-9", {{"patch", nlohmann::json::object()}});
  EXPECT_EQ(empty["changed"], false);
  EXPECT_EQ(read_json(rules->config_file().string() + ".prev")["rules"][1]["trigger"]["alert"], "OUT1_SOS")
      << ".prev still holds the configuration before the change";
}

TEST_F(RulesLiveConfigTest, RefusedChangesSayWhereAndChangeNothing) {
  ASSERT_TRUE(config_at("rules", 1));
  const auto before = read_json(rules->config_file());

  auto bad_type = set("rules", "r-3", {{"patch", {{"dtmf", {{"max_failures", "five"}}}}}});
  EXPECT_EQ(bad_type["ok"], false);
  EXPECT_EQ(bad_type["error"]["path"], "/dtmf/max_failures") << bad_type.dump();

  auto bus = set("rules", "r-4", {{"patch", {{"bus", {{"broker", "tcp://192.0.2.1:1883"}}}}}});
  EXPECT_EQ(bus["ok"], false);
  EXPECT_EQ(bus["error"]["path"], "/bus");
  EXPECT_NE(bus["error"]["reason"].get<std::string>().find("cannot be changed"), std::string::npos);

  auto twice = set("rules", "r-5", {{"patch", {{"rules", {{{"id", "a"}, {"trigger", {{"type", "message"}, {"alert", "A"}}}, {"actions", {{{"output", "out1"}, {"action", "on"}}}}},
                                                         {{"id", "a"}, {"trigger", {{"type", "message"}, {"alert", "B"}}}, {"actions", {{{"output", "out1"}, {"action", "on"}}}}}}}}}});
  EXPECT_EQ(twice["ok"], false);
  EXPECT_EQ(twice["error"]["path"], "/rules/1/id") << "the service's own check, with its path";

  auto bad_code = set("rules", "r-6", {{"patch", {{"rules", {{{"id", "x"}, {"trigger", {{"type", "dtmf"}, {"code", "12#9"}}}, {"actions", {{{"output", "out1"}, {"action", "on"}}}}}}}}}});
  EXPECT_EQ(bad_code["ok"], false);
  EXPECT_EQ(bad_code["error"]["path"], "/rules/0/trigger/code") << bad_code.dump();
  EXPECT_FALSE(on_the_bus("12#9")) << "a refused code is not echoed either";

  auto unknown = set("rules", "r-7", {{"patch", {{"rules", {{{"id", "x"}, {"trigger", {{"type", "message"}, {"alert", "X"}}}, {"actions", {{{"output", "out9"}, {"action", "on"}}}}}}}}}});
  EXPECT_EQ(unknown["ok"], false);
  EXPECT_EQ(unknown["error"]["path"], "/rules/0/actions/0/output") << unknown.dump();
  EXPECT_NE(unknown["error"]["reason"].get<std::string>().find("out1, out2"), std::string::npos) << "names what gpio has";

  for (const auto& result : {bad_type, bus, twice, bad_code, unknown}) EXPECT_EQ(result["revision"], 1);
  EXPECT_EQ(read_json(rules->config_file()), before) << "the file is untouched";
  EXPECT_FALSE(std::filesystem::exists(rules->config_file().string() + ".prev"));
  keys("1234#");
  EXPECT_TRUE(lock_pulses()) << "the rules in force still work";
}

// A change its sender gave up on (the page said "not saved") is never carried out, however late it
// reaches the service.
TEST_F(RulesLiveConfigTest, AChangeThatArrivesAfterItsDeadlineIsRefusedAndChangesNothing) {
  ASSERT_TRUE(config_at("rules", 1));
  const auto late = set("rules", "r-late", {{"patch", {{"dtmf", {{"max_failures", 9}}}}}, {"expires_at", "2026-01-01T00:00:00.000Z"}});
  EXPECT_EQ(late["ok"], false) << late.dump();
  EXPECT_EQ(late["error"]["path"], "/expires_at");
  EXPECT_EQ(late["revision"], 1);
  const auto in_time = set("rules", "r-in-time", {{"patch", {{"dtmf", {{"max_failures", 9}}}}}, {"expires_at", to_iso8601(std::chrono::system_clock::now() + 30s)}});
  EXPECT_EQ(in_time["ok"], true) << in_time.dump();
  EXPECT_EQ(in_time["revision"], 2);
}

class GpioLiveConfigTest : public LiveConfigTest {
 protected:
  std::unique_ptr<GpioProcess> gpio;

  void SetUp() override {
    LiveConfigTest::SetUp();
    gpio = std::make_unique<GpioProcess>(broker, "d1");
    ASSERT_TRUE(online("gpio")) << gpio->process().log();
  }
  void contact(const std::string& name, const std::string& level) {
    probe.publish("intercom/d1/sim/input/" + name + "/level", nlohmann::json{{"level", level}}.dump());
  }
  std::optional<nlohmann::json> input_becomes(const std::string& name, bool active, std::chrono::milliseconds timeout = 3s) {
    const auto state = probe.wait_for(
        on_topic_where("intercom/d1/input/" + name, [&](const auto& s) { return s["active"] == active; }), timeout);
    if (!state) return std::nullopt;
    return state->json();
  }
};

TEST_F(GpioLiveConfigTest, AnInputsTriggerModeChangesFromLowToHighAtOnce) {
  auto inputs = (*config_at("gpio", 1))["config"]["inputs"];
  ASSERT_EQ(inputs[0]["trigger"], "low");
  ASSERT_TRUE(input_becomes("in1", false)) << "the door contact at rest (high) is inactive on a low-level trigger";
  inputs[0]["trigger"] = "high";
  const auto result = set("gpio", "g-1", {{"patch", {{"inputs", inputs}}}});
  ASSERT_EQ(result["ok"], true) << result.dump() << gpio->process().log();
  EXPECT_TRUE(input_becomes("in1", true)) << "the same contact, high, is now active";
  contact("in1", "low");
  EXPECT_TRUE(input_becomes("in1", false)) << "and low no longer triggers";
  EXPECT_EQ(read_json(gpio->config_file())["inputs"][0]["trigger"], "high");
  EXPECT_EQ(read_json(gpio->config_file().string() + ".prev")["inputs"][0]["trigger"], "low");
}

TEST_F(GpioLiveConfigTest, AnOutputThatIsOnAndUnchangedStaysOnAcrossAChange) {
  probe.publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":4000,"request_id":"p-1"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["active"] == true; })));
  auto inputs = (*config_at("gpio", 1))["config"]["inputs"];
  inputs[1]["debounce_ms"] = 80;
  probe.clear();
  const auto result = set("gpio", "g-2", {{"patch", {{"inputs", inputs}}}});
  ASSERT_EQ(result["ok"], true) << result.dump();
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/output/out1")).empty()) << "out1 did not move";
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/input/in1")).empty()) << "in1 was not touched";
  // and its pulse still ends on time
  const auto ended = probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["active"] == false; }), 5s);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->json()["cause"], "timer");
}

TEST_F(GpioLiveConfigTest, ARemovedOutputGoesSafeAndItsStateIsClearedANewOnePublished) {
  probe.publish("intercom/d1/output/out2/set", R"({"action":"on"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["active"] == true; })));
  auto outputs = (*config_at("gpio", 1))["config"]["outputs"];
  outputs[1] = {{"name", "out3"}, {"label", "Siren"}, {"line", {{"chip", "sim"}, {"offset", 10}}}};
  probe.clear();
  const auto result = set("gpio", "g-3", {{"patch", {{"outputs", outputs}}}});
  ASSERT_EQ(result["ok"], true) << result.dump() << gpio->process().log();
  const auto safe = probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["active"] == false; }));
  ASSERT_TRUE(safe);
  EXPECT_EQ(safe->json()["cause"], "config");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out3", [](const auto& s) { return s["active"] == false; })));
  BusProbe late(broker, "late");
  late.subscribe("intercom/d1/output/+");
  late.subscribe("intercom/d1/sim/output/+/level");
  ASSERT_TRUE(late.wait_for(on_topic("intercom/d1/output/out3"), 3s));
  ASSERT_TRUE(late.wait_for(on_topic("intercom/d1/sim/output/out3/level"), 3s)) << "the new line's level is published";
  EXPECT_TRUE(late.received(on_topic("intercom/d1/output/out2")).empty()) << "no retained state left for out2";
  EXPECT_TRUE(late.received(on_topic("intercom/d1/sim/output/out2/level")).empty()) << "nor its simulated line's level";
  probe.publish("intercom/d1/output/out3/set", R"({"action":"pulse","duration_ms":300})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out3", [](const auto& s) { return s["active"] == true; })));
}

TEST_F(GpioLiveConfigTest, RefusedChangesSayWhereAndChangeNothing) {
  auto document = (*config_at("gpio", 1))["config"];
  const auto before = read_json(gpio->config_file());
  auto outputs = document["outputs"];
  outputs[1]["line"] = outputs[0]["line"];
  const auto same_line = set("gpio", "g-4", {{"patch", {{"outputs", outputs}}}});
  EXPECT_EQ(same_line["ok"], false);
  EXPECT_EQ(same_line["error"]["path"].get<std::string>().rfind("/outputs/1", 0), 0u) << same_line.dump();
  const auto backend = set("gpio", "g-5", {{"patch", {{"backend", "libgpiod"}}}});
  EXPECT_EQ(backend["ok"], false);
  EXPECT_EQ(backend["error"]["path"], "/backend");
  auto inputs = document["inputs"];
  inputs[0]["trigger"] = "middle";
  const auto bad = set("gpio", "g-6", {{"patch", {{"inputs", inputs}}}});
  EXPECT_EQ(bad["ok"], false);
  EXPECT_EQ(bad["error"]["path"], "/inputs/0/trigger");
  EXPECT_NE(bad["error"]["reason"].get<std::string>().find("\"high\""), std::string::npos) << "names what is allowed";
  EXPECT_EQ(read_json(gpio->config_file()), before);
  probe.publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":200})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["active"] == true; })));
}

TEST_F(GpioLiveConfigTest, AHandEditTakesTheSamePathOnSighup) {
  ASSERT_TRUE(config_at("gpio", 1));
  auto edited = default_test_gpio_config();
  edited["inputs"][0]["trigger"] = "sideways";
  gpio->rewrite_config(edited);
  gpio->process().signal(SIGHUP);
  const auto refused = probe.wait_for(on_topic_where("intercom/d1/gpio/config/result", [](const auto& r) { return r["ok"] == false; }), 5s);
  ASSERT_TRUE(refused) << gpio->process().log();
  EXPECT_EQ(refused->json()["source"], "file");
  EXPECT_EQ(refused->json()["error"]["path"], "/inputs/0/trigger");
  EXPECT_NE(refused->json()["error"]["reason"].get<std::string>().find(gpio->config_file().filename().string()), std::string::npos)
      << "names the file";

  edited["inputs"][0]["trigger"] = "high";
  gpio->rewrite_config(edited);
  probe.clear();
  gpio->process().signal(SIGHUP);
  const auto accepted = probe.wait_for(on_topic_where("intercom/d1/gpio/config/result", [](const auto& r) { return r["ok"] == true; }), 5s);
  ASSERT_TRUE(accepted) << gpio->process().log();
  EXPECT_EQ(accepted->json()["revision"], 2);
  EXPECT_TRUE(input_becomes("in1", true)) << "in force at once, as from the bus";

  // An input removed by hand: its simulated contact is refused as any unknown one, not a bug.
  edited["inputs"].erase(1);
  gpio->rewrite_config(edited);
  gpio->process().signal(SIGHUP);
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/config/result", [](const auto& r) { return r["revision"] == 3; }), 5s));
  contact("in2", "high");
  const auto report = probe.wait_for(on_topic("intercom/d1/gpio/error"), 3s);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->json()["reason"], "no simulated input in2");
  EXPECT_EQ(gpio->process().log().find("error: bus: bug"), std::string::npos) << gpio->process().log();
  EXPECT_TRUE(gpio->process().running());
}

class SmsLiveConfigTest : public LiveConfigTest {
 protected:
  ThreadedPtyModem modem{broker.directory() / "modem.tty"};
  std::unique_ptr<ServiceProcess> sms;

  void SetUp() override {
    LiveConfigTest::SetUp();
    sms = std::make_unique<ServiceProcess>(broker, "sms", "d1", nlohmann::json::parse(R"({
      "trust": {"gsm": ["+4915112345678"]},
      "aliases": {"alarm-server": ["+4915199999999"]},
      "outbox": {"state_dir": "sms-state", "retry_min_s": 1, "retry_max_s": 2},
      "modem": {"device": "modem.tty", "keepalive_s": 1, "reopen_min_ms": 100, "reopen_max_ms": 500}})"));
    ASSERT_TRUE(online("sms")) << sms->process().log();
    ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/modem", [](const auto& m) { return m["state"] == "ready"; }), 10s));
  }
  std::optional<bool> trusted(const std::string& from) {
    const auto message = probe.wait_for(on_topic_where("intercom/d1/message/received", [&](const auto& m) { return m["from"] == from; }));
    if (!message) return std::nullopt;
    return message->json()["trusted"].get<bool>();
  }
  bool modem_sent(ThreadedPtyModem& to, const std::string& number) {
    return eventually([&] {
      for (const auto& sent : to.sent())
        if (sent.to == number) return true;
      return false;
    }, 5s);
  }
};

TEST_F(SmsLiveConfigTest, ATrustedNumberAndAnAliasChangeAtOnce) {
  modem.deliver("+4917600000001", "ALERT=OUT1_SOS");
  ASSERT_EQ(trusted("+4917600000001"), false);
  const auto result = set("sms", "s-1", {{"patch", {{"trust", {{"gsm", {"+4917600000001"}}}},
                                                    {"aliases", {{"alarm-server", {"+4915100000002"}}}}}}});
  ASSERT_EQ(result["ok"], true) << result.dump() << sms->process().log();
  const auto state = config_at("sms", 2);
  ASSERT_TRUE(state);
  EXPECT_EQ((*state)["config"]["trust"]["gsm"], nlohmann::json::array({"+4917600000001"}));
  probe.clear();
  // Another text: the same one again within a second would be a copy (same service-centre time).
  modem.deliver("+4917600000001", "ALERT=OUT2_ON");
  EXPECT_EQ(trusted("+4917600000001"), true) << "the new number is trusted";
  modem.deliver("+4915112345678", "ALERT=OUT1_SOS");
  EXPECT_EQ(trusted("+4915112345678"), false) << "the old one no longer\n" << sms->process().log();
  probe.publish("intercom/d1/message/send", R"({"to":"alarm-server","text":"ALERT=IN1_ACTIVE","request_id":"m-1"})");
  EXPECT_TRUE(modem_sent(modem, "+4915100000002")) << sms->process().log();
}

TEST_F(SmsLiveConfigTest, AnotherModemTakesOverAndTheOutboxIsKept) {
  modem.unplug();
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/modem", [](const auto& m) { return m["state"] == "absent"; }), 10s));
  probe.publish("intercom/d1/message/send", R"({"to":"alarm-server","text":"ALERT=WAITING","request_id":"m-2"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/outbox", [](const auto& o) { return o["gsm"] == 1; })));
  ThreadedPtyModem second{broker.directory() / "modem2.tty"};
  const auto result = set("sms", "s-2", {{"patch", {{"modem", {{"device", "modem2.tty"}}}}}});
  ASSERT_EQ(result["ok"], true) << result.dump();
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/modem", [](const auto& m) {
    return m["state"] == "ready" && m["device"].template get<std::string>().find("modem2.tty") != std::string::npos;
  }), 10s)) << sms->process().log();
  EXPECT_TRUE(modem_sent(second, "+4915199999999")) << "the message that waited goes out on the new modem";
  const auto refused = set("sms", "s-3", {{"patch", {{"outbox", {{"state_dir", "elsewhere"}}}}}});
  EXPECT_EQ(refused["ok"], false);
  EXPECT_EQ(refused["error"]["path"], "/outbox/state_dir");
}

class TelephonyLiveConfigTest : public LiveConfigTest {
 protected:
  std::unique_ptr<ServiceProcess> telephony;

  void SetUp() override {
    LiveConfigTest::SetUp();
    auto config = shipped_config("telephony");  // the simulated line
    config["auto_answer"]["allow"] = {"sip:100@*"};
    telephony = std::make_unique<ServiceProcess>(broker, "telephony", "d1", config);
    ASSERT_TRUE(online("telephony")) << telephony->process().log();
  }
  void far_end(const nlohmann::json& command) { probe.publish("intercom/d1/sim/call/set", command.dump()); }
  bool call_becomes(const std::string& state, std::chrono::milliseconds timeout = 3s) {
    return probe.wait_for(on_topic_where("intercom/d1/call", [&](const auto& c) { return c["state"] == state; }), timeout).has_value();
  }
};

TEST_F(TelephonyLiveConfigTest, TheAutoAnswerListChangesAtOnceAndACallGoesOn) {
  far_end({{"action", "ring"}, {"from", "sip:200@pbx.local"}});
  ASSERT_TRUE(call_becomes("ringing"));
  EXPECT_FALSE(call_becomes("talking", 500ms)) << "200 is not on the list";
  far_end({{"action", "hangup"}});
  ASSERT_TRUE(call_becomes("idle"));

  far_end({{"action", "ring"}, {"from", "sip:100@pbx.local"}});
  ASSERT_TRUE(call_becomes("talking")) << telephony->process().log();
  probe.clear();
  const auto result = set("telephony", "t-1", {{"patch", {{"auto_answer", {{"allow", {"sip:200@*"}}}}}}});
  ASSERT_EQ(result["ok"], true) << result.dump() << telephony->process().log();
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/call")).empty()) << "the call in progress is not touched";
  far_end({{"action", "hangup"}});
  ASSERT_TRUE(call_becomes("idle"));

  probe.clear();
  far_end({{"action", "ring"}, {"from", "sip:200@pbx.local"}});
  EXPECT_TRUE(call_becomes("talking")) << "200 is answered now";
  far_end({{"action", "hangup"}});
  ASSERT_TRUE(call_becomes("idle"));
  probe.clear();
  far_end({{"action", "ring"}, {"from", "sip:100@pbx.local"}});
  ASSERT_TRUE(call_becomes("ringing"));
  EXPECT_FALSE(call_becomes("talking", 500ms)) << "and 100 no longer";

  const auto backend = set("telephony", "t-2", {{"patch", {{"backend", "linphone"}}}});
  EXPECT_EQ(backend["ok"], false);
  EXPECT_EQ(backend["error"]["path"], "/backend");
}

// Who may change a configuration: web and operator send config/set; a service writes only its own
// config state; no other service can change another's configuration or fake its state.
TEST_F(LiveConfigTest, TheAclLetsTheWebPageChangeAConfigurationAndNoServiceAnothers) {
  const auto connect_as = [&](const std::string& user, const std::string& client_id) {
    auto client = std::make_unique<mqtt::async_client>(broker.uri(), client_id, mqtt::create_options(MQTTVERSION_5), nullptr);
    mqtt::connect_options options;
    options.set_mqtt_version(MQTTVERSION_5);
    options.set_user_name(user);
    options.set_password(broker.password(user));
    EXPECT_TRUE(client->connect(options)->wait_for(5s));
    return client;
  };
  const auto delivered = [](mqtt::async_client& client, const std::string& topic) {
    try {
      return client.publish(topic, R"({"request_id":"x","patch":{}})", 1, false)->wait_for(5s);
    } catch (const mqtt::exception&) {
      return false;  // MQTT v5: "not authorized"
    }
  };
  auto web = connect_as("web", "d1-web");
  auto rules = connect_as("rules", "d1-rules");
  EXPECT_TRUE(delivered(*web, "intercom/d1/gpio/config/set"));
  EXPECT_FALSE(delivered(*web, "intercom/d1/gpio/config")) << "the state is gpio's to write";
  EXPECT_FALSE(delivered(*rules, "intercom/d1/gpio/config/set"));
  EXPECT_FALSE(delivered(*rules, "intercom/d1/gpio/config"));
  EXPECT_TRUE(delivered(*rules, "intercom/d1/rules/config"));
  web->disconnect()->wait_for(5s);
  rules->disconnect()->wait_for(5s);
}

}  // namespace
}  // namespace intercom::testing
