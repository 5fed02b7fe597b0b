// The rules service through a real broker, with the other services played by the test.
#include <signal.h>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "intercom/contract/topics.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
constexpr const char* kAt = "2026-11-24T10:00:00.000Z";

nlohmann::json shipped_rules() { return shipped_config("rules"); }

class RulesServiceTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  std::unique_ptr<ServiceProcess> rules;

  void SetUp() override { probe.subscribe("intercom/#"); }

  void start_rules(const nlohmann::json& config) {
    rules = std::make_unique<ServiceProcess>(broker, "rules", "d1", config);
    ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/rules/status", [](const auto& s) { return s["state"] == "online"; }), 10s))
        << rules->process().log();
  }

  // What the other services would publish.
  void input(const std::string& name, bool active, bool retained = true) {
    probe.publish("intercom/d1/input/" + name,
                  nlohmann::json{{"active", active}, {"level", active ? "low" : "high"}, {"since", kAt}, {"seq", 1}}.dump(),
                  retained);
  }
  void call(const std::string& state, const std::string& call_id = "c1") {
    nlohmann::json payload{{"state", state}, {"since", kAt}};
    if (state != "idle") payload["call_id"] = call_id;
    probe.publish("intercom/d1/call", payload.dump(), true);
  }
  void dtmf(const std::string& keys, const std::string& call_id = "c1") {
    for (char key : keys)
      probe.publish("intercom/d1/call/dtmf",
                    nlohmann::json{{"call_id", call_id}, {"digit", std::string(1, key)}, {"source", "rfc4733"}, {"at", kAt}}.dump());
  }
  void message(const std::string& text, bool trusted = true) {
    nlohmann::json payload{{"from", "+4915112345678"}, {"transport", "gsm"}, {"text", text}, {"trusted", trusted}, {"at", kAt}};
    if (text.rfind("ALERT=", 0) == 0) payload["alert"] = text.substr(6);
    probe.publish("intercom/d1/message/received", payload.dump());
  }

  /// Commands the rules service sent, as "<topic tail> <action or text>", in order of arrival.
  std::vector<std::string> commands() {
    std::vector<std::string> result;
    for (const auto& message : probe.received([](const ProbeMessage& m) {
           return topic_matches_filter("intercom/d1/output/+/set", m.topic) || m.topic == "intercom/d1/message/send" ||
                  m.topic == "intercom/d1/call/set";
         })) {
      const auto json = message.json();
      const auto tail = message.topic.substr(std::string("intercom/d1/").size());
      result.push_back(tail + " " + (json.contains("text") ? json["text"].get<std::string>() : json["action"].get<std::string>()));
    }
    return result;
  }
  std::size_t wait_for_commands(std::size_t count, std::chrono::milliseconds timeout = 5s) {
    eventually([&] { return commands().size() >= count; }, timeout);
    return commands().size();
  }
};

TEST_F(RulesServiceTest, TheGuidesFourOutputLinkagesAndTheAlarmReportSideBySide) {
  start_rules(shipped_rules());
  input("in1", false);
  input("in2", false);
  call("idle");
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(commands().empty());

  // 1. Report alarms to the server: input 1 triggers.
  input("in1", true, false);
  ASSERT_EQ(wait_for_commands(1), 1u);
  // 2. Trigger output by server message.
  message("ALERT=OUT1_SOS");
  ASSERT_EQ(wait_for_commands(2), 2u);
  // 3. Link output to an input port (input 2 also reports).
  input("in2", true, false);
  ASSERT_EQ(wait_for_commands(4), 4u);
  // 4. Link output to call status: the light blinks while ringing and stops when it ends.
  call("ringing");
  ASSERT_EQ(wait_for_commands(5), 5u);
  call("talking");
  ASSERT_EQ(wait_for_commands(6), 6u);
  // 5. Trigger output by remote DTMF command during the call: 1234, # submits at once.
  dtmf("1234#");
  ASSERT_EQ(wait_for_commands(7), 7u);
  call("idle");
  std::this_thread::sleep_for(300ms);

  EXPECT_EQ(commands(), (std::vector<std::string>{
                            "message/send ALERT=IN1_ACTIVE",
                            "output/out1/set pulse",
                            "message/send ALERT=IN2_ACTIVE",
                            "output/out2/set pulse",
                            "output/out2/set blink",
                            "output/out2/set off",
                            "output/out1/set pulse",
                        }));
  // Every firing is explained on rules/fired, with the request ids of the commands it sent.
  const auto fired = probe.received(on_topic("intercom/d1/rules/fired"));
  ASSERT_EQ(fired.size(), 7u);
  std::vector<std::string> fired_rules;
  for (const auto& event : fired) fired_rules.push_back(event.json()["rule"]);
  EXPECT_EQ(fired_rules, (std::vector<std::string>{"alarm-report-in1", "message-out1", "alarm-report-in2", "input-link-out2",
                                                   "call-state-out2", "call-state-out2", "dtmf-out1"}));
  const auto dtmf_command = probe.received(on_topic("intercom/d1/output/out1/set")).back().json();
  EXPECT_EQ(fired.back().json()["actions"][0]["request_id"], dtmf_command["request_id"]);
  EXPECT_EQ(dtmf_command["cause"], "rule:dtmf-out1");
  const auto code = probe.wait_for(on_topic("intercom/d1/rules/code"));
  ASSERT_TRUE(code);
  EXPECT_EQ(code->json()["result"], "accepted");
  EXPECT_EQ(code->payload.find("1234"), std::string::npos);  // codes never go on the bus
  EXPECT_EQ(rules->process().log().find("1234"), std::string::npos);  // nor into the log
}

TEST_F(RulesServiceTest, UntrustedAlertsAndCodesOutsideACallDoNothing) {
  start_rules(shipped_rules());
  message("ALERT=OUT1_SOS", /*trusted=*/false);
  message("hello");
  dtmf("1234#");  // the default DTMF rules need a call in "talking"
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(commands().empty());
}

TEST_F(RulesServiceTest, WrongCodesArePublishedAndLockEvenTheRightCode) {
  auto config = shipped_rules();
  config["dtmf"]["lockout_s"] = 2;
  start_rules(config);
  call("talking");
  for (int i = 0; i < 5; ++i) dtmf("99#");
  ASSERT_EQ(probe.wait_for_count(on_topic("intercom/d1/rules/code"), 5), 5u);
  const auto codes = probe.received(on_topic("intercom/d1/rules/code"));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(codes[i].json()["result"], "rejected");
    EXPECT_EQ(codes[i].json()["failures"], i + 1);
  }
  EXPECT_TRUE(codes[4].json().contains("locked_until"));
  dtmf("1234#");
  ASSERT_EQ(probe.wait_for_count(on_topic("intercom/d1/rules/code"), 6), 6u);
  const auto locked = probe.received(on_topic("intercom/d1/rules/code"))[5].json();
  EXPECT_EQ(locked["result"], "locked");
  EXPECT_EQ(locked["failures"], 5) << "the count that led to the lock";
  EXPECT_TRUE(commands().empty());
  // An operator reading the log sees the lockout start and end.
  EXPECT_TRUE(eventually([&] { return rules->process().log().find("after 5 wrong codes in a row") != std::string::npos; }, 2s))
      << rules->process().log();
  std::this_thread::sleep_for(2100ms);
  dtmf("1234#");
  EXPECT_EQ(wait_for_commands(1), 1u);
  EXPECT_EQ(commands(), std::vector<std::string>{"output/out1/set pulse"});
  EXPECT_NE(rules->process().log().find("code entry unlocked"), std::string::npos) << rules->process().log();
}

TEST_F(RulesServiceTest, ReplayedStatesFireNoEdgeRulesButBindFollowRules) {
  // The device's state is on the broker before the rules service starts.
  input("in1", true);
  start_rules(nlohmann::json::parse(R"({"rules":[
      {"id":"edge","trigger":{"type":"input","input":"in1"},"actions":[{"output":"out1","action":"pulse"}]},
      {"id":"follow","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out2","action":"on"}]}]})"));
  EXPECT_EQ(wait_for_commands(1), 1u);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(commands(), std::vector<std::string>{"output/out2/set on"});
  input("in1", false, false);
  EXPECT_EQ(wait_for_commands(2), 2u);
  EXPECT_EQ(commands().back(), "output/out2/set off");
}

TEST_F(RulesServiceTest, ASirenTiedToRingingStopsWhenTelephonyDies) {
  start_rules(shipped_rules());
  call("ringing");
  ASSERT_EQ(wait_for_commands(1), 1u);
  probe.publish("intercom/d1/telephony/status", R"({"state":"offline","reason":"connection-lost"})", true);
  ASSERT_EQ(wait_for_commands(2), 2u);
  EXPECT_EQ(commands(), (std::vector<std::string>{"output/out2/set blink", "output/out2/set off"}));
}

TEST_F(RulesServiceTest, AfterHangUpActsAfterItsDelay) {
  start_rules(nlohmann::json::parse(R"({"rules":[
      {"id":"after","trigger":{"type":"call","leaves":["talking"],"enters":["idle"]},"actions":[{"delay_ms":400},{"output":"out1","action":"pulse"}]}]})"));
  call("talking");
  call("idle");
  const auto hung_up = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for_commands(1, 3s), 1u);
  const auto waited = std::chrono::steady_clock::now() - hung_up;
  EXPECT_GE(waited, 380ms);
  EXPECT_LT(waited, 1000ms);
}

TEST_F(RulesServiceTest, ADoorHeldOpenIsReportedOnceItHasBeenOpenLongEnough) {
  auto config = shipped_rules();
  for (auto& rule : config["rules"])
    if (rule["id"] == "door-held-open-in1") {
      rule["enabled"] = true;
      rule["trigger"]["min_hold_ms"] = 400;
    }
  start_rules(config);
  input("in1", false);
  input("in1", true, false);
  input("in1", false, false);  // closed in time
  std::this_thread::sleep_for(600ms);
  ASSERT_EQ(commands(), std::vector<std::string>{"message/send ALERT=IN1_ACTIVE"});
  input("in1", true, false);
  const auto opened = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for_commands(4, 3s), 4u);
  EXPECT_GE(std::chrono::steady_clock::now() - opened, 380ms);
  EXPECT_EQ(commands(), (std::vector<std::string>{"message/send ALERT=IN1_ACTIVE", "message/send ALERT=IN1_ACTIVE",
                                                  "message/send ALERT=IN1_HELD_OPEN", "output/out2/set blink"}));
  input("in1", false, false);
  ASSERT_EQ(wait_for_commands(5), 5u);
  EXPECT_EQ(commands().back(), "output/out2/set off");
}

TEST_F(RulesServiceTest, ReloadsOnSighupAndOnCommandAndKeepsTheOldRulesWhenTheFileIsBad) {
  start_rules(nlohmann::json::parse(R"({"rules":[
      {"id":"a","trigger":{"type":"message","alert":"A"},"actions":[{"output":"out1","action":"on"}]}]})"));
  rules->rewrite_config(nlohmann::json::parse(R"({"rules":[
      {"id":"b","trigger":{"type":"message","alert":"B"},"actions":[{"output":"out1","action":"off"}]},
      {"id":"c","trigger":{"type":"message","alert":"C"},"actions":[{"output":"out2","action":"toggle"}]}]})"));
  rules->process().signal(SIGHUP);
  auto reloaded = probe.wait_for(on_topic("intercom/d1/rules/reloaded"));
  ASSERT_TRUE(reloaded) << rules->process().log();
  EXPECT_EQ(reloaded->json()["ok"], true);
  EXPECT_EQ(reloaded->json()["rules"], 2);
  message("ALERT=A");
  message("ALERT=B");
  ASSERT_EQ(wait_for_commands(1), 1u);
  EXPECT_EQ(commands(), std::vector<std::string>{"output/out1/set off"});

  // A broken file is refused, with its name and the JSON path, and rules b and c stay.
  probe.clear();
  rules->rewrite_config(nlohmann::json::parse(R"({"rules":[{"id":"x","trigger":{"type":"input"},"actions":[{"delay_ms":1}]}]})"));
  probe.publish("intercom/d1/rules/set", R"({"action":"reload","request_id":"reload-1"})");
  reloaded = probe.wait_for(on_topic("intercom/d1/rules/reloaded"));
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->json()["ok"], false);
  EXPECT_EQ(reloaded->json()["rules"], 2);
  EXPECT_EQ(reloaded->json()["request_id"], "reload-1");
  const auto error = reloaded->json()["error"].get<std::string>();
  EXPECT_NE(error.find("rules-d1.json"), std::string::npos) << error;
  EXPECT_NE(error.find("/rules/0/trigger"), std::string::npos) << error;
  rules->rewrite_config_text("{ not json");
  rules->process().signal(SIGHUP);
  ASSERT_EQ(probe.wait_for_count(on_topic("intercom/d1/rules/reloaded"), 2), 2u);
  message("ALERT=C");
  ASSERT_EQ(wait_for_commands(1), 1u);
  EXPECT_EQ(commands(), std::vector<std::string>{"output/out2/set toggle"});
  EXPECT_TRUE(rules->process().running());
}

TEST_F(RulesServiceTest, PublishesPayloadsForScadaByNameOrOnItsOwnTopic) {
  start_rules(nlohmann::json::parse(R"({"rules":[
      {"id":"scada","trigger":{"type":"input","input":"in1"},"actions":[
        {"publish":{"name":"door-alarm","payload":{"door":"forced","site":"gate-2"}}},
        {"publish":{"topic":"intercom/d1/rules/out/latest-alarm","payload":{"door":"forced"},"retain":true}}]}]})"));
  input("in1", false);
  std::this_thread::sleep_for(100ms);
  input("in1", true, false);
  const auto named = probe.wait_for(on_topic("intercom/d1/rules/out/door-alarm"));
  ASSERT_TRUE(named) << rules->process().log();
  EXPECT_EQ(named->json(), nlohmann::json({{"door", "forced"}, {"site", "gate-2"}}));
  EXPECT_FALSE(named->retained);
  const auto own = probe.wait_for(on_topic("intercom/d1/rules/out/latest-alarm"));
  ASSERT_TRUE(own);
  EXPECT_TRUE(own->retained);
}

TEST(RulesWithGpio, ATrustedAlertPulsesTheSimulatedLockAndAnInputRaisesAnAlarm) {
  TestBroker broker;
  BusProbe probe(broker, "probe");
  probe.subscribe("intercom/#");
  GpioProcess gpio(broker, "d1");
  ServiceProcess rules(broker, "rules", "d1", shipped_rules());
  for (const auto* service : {"gpio", "rules"})
    ASSERT_TRUE(probe.wait_for(on_topic_where(std::string("intercom/d1/") + service + "/status",
                                              [](const auto& s) { return s["state"] == "online"; }), 10s));
  std::this_thread::sleep_for(300ms);  // rules has the replayed states

  probe.publish("intercom/d1/message/received",
                R"({"from":"sip:alarm@pbx","transport":"sip","text":"ALERT=OUT1_SOS","alert":"OUT1_SOS","trusted":true,"at":"2026-11-24T10:00:00.000Z"})");
  const auto high = probe.wait_for(on_topic_where("intercom/d1/sim/output/out1/level", [](const auto& s) { return s["level"] == "high"; }));
  ASSERT_TRUE(high) << rules.process().log() << gpio.process().log();
  const auto low = probe.wait_for(on_topic_where("intercom/d1/sim/output/out1/level", [](const auto& s) { return s["level"] == "low"; }) , 3s);
  ASSERT_TRUE(low);
  const auto state = probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["active"] == true; }));
  ASSERT_TRUE(state);
  EXPECT_EQ(state->json()["cause"], "rule:message-out1");

  // The door contact (in1, closed-circuit trigger) opens: the alarm report goes out.
  probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"low"})");
  const auto report = probe.wait_for(on_topic("intercom/d1/message/send"));
  ASSERT_TRUE(report) << rules.process().log();
  EXPECT_EQ(report->json()["text"], "ALERT=IN1_ACTIVE");
  EXPECT_EQ(report->json()["to"], "alarm-server");
}

}  // namespace
}  // namespace intercom::testing
