// The page in a real browser: headless Chromium (Debian's) driven by tests/browser/page.test.mjs
// (playwright-core from npm), against the real services on a real broker with the shipped gpio,
// rules and telephony configurations, as an installer meets them. The browser changes the settings
// a desktop and then a phone at the door; this side then checks, on the bus and on the simulated
// line, that what the page saved is in force and works. Screenshots are kept in build/screenshots.
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "http_client.hpp"
#include "intercom/util/clock.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const json* rule_of(const json& config, const std::string& id) {
  for (const auto& rule : config["rules"])
    if (rule["id"] == id) return &rule;
  return nullptr;
}

TEST(WebPageTest, AnInstallerDoesTheWholeGuideOnADesktopAndAPhone) {
  TestBroker broker;
  BusProbe probe(broker, "probe");
  probe.subscribe("intercom/#");
  GpioProcess gpio(broker, "d1", shipped_config("gpio"));
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  ServiceProcess telephony(broker, "telephony", "d1", shipped_config("telephony"));
  ServiceProcess sms(broker, "sms", "d1", json::parse(R"({"trust":{"sip":["sip:alarm-server@127.0.0.1"]},
      "aliases":{"alarm-server":["sip:alarm-server@127.0.0.1"]},"outbox":{"state_dir":"sms-state"}})"));
  ServiceProcess history(broker, "history", "d1", shipped_config("history"));
  ServiceProcess access(broker, "access", "d1", shipped_config("access"));
  ServiceProcess web(broker, "web", "d1",
                     {{"listen", {{"port", free_loopback_port()}}}, {"credentials_file", "web-password.hash"}, {"hash_cost", "minimum"}});
  for (const auto* service : {"gpio", "rules", "telephony", "sms", "history", "access", "web"})
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", service), 10s)) << service;

  // The first password, through the setup token the log shows.
  std::smatch match;
  const auto log = web.process().log();
  ASSERT_TRUE(std::regex_search(log, match, std::regex("page is at http://127\\.0\\.0\\.1:([0-9]+)/.*\\n.*setup token ([0-9a-f]+)"))) << log;
  const int port = std::stoi(match[1]);
  const std::string origin = "http://127.0.0.1:" + std::to_string(port);
  const auto setup = http_request(port, "POST", "/api/setup", json{{"token", match[2]}, {"password", "gate keeper 2"}}.dump(),
                                  {{"Origin", origin}, {"Content-Type", "application/json"}});
  ASSERT_EQ(setup.status, 200) << setup.body;

  // Twelve rule firings before the page is opened: its lists must keep more than nine in order.
  for (int press = 0; press < 6; ++press) {
    probe.clear();
    probe.publish("intercom/d1/sim/input/in2/level", R"({"level":"low"})");
    ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/rules/fired", [](const auto& f) { return f["rule"] == "input-link-out2"; }), 5s));
    probe.publish("intercom/d1/sim/input/in2/level", R"({"level":"high"})");
    ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/input/in2", [](const auto& s) { return s["active"] == false; }), 5s));
  }

  const auto screenshots = std::string(INTERCOM_BUILD_DIR) + "/screenshots";
  ChildProcess browser({"/usr/bin/node", INTERCOM_SOURCE_DIR "/tests/browser/page.test.mjs", "--url", origin + "/", "--password",
                        "gate keeper 2", "--screenshots", screenshots},
                       broker.directory() / "browser.log");
  const auto exit_code = browser.wait_exit(180s);
  ASSERT_TRUE(exit_code) << "the browser test did not finish in 180 s\n" << browser.log();
  ASSERT_EQ(*exit_code, 0) << browser.log() << web.process().log();

  // What the page saved is in force: input 1 on a high-level trigger, its report in capitals.
  const auto gpio_config = probe.wait_for(on_topic_where("intercom/d1/gpio/config", [](const auto& c) {
    return c["config"]["inputs"][0]["trigger"] == "high";
  }));
  ASSERT_TRUE(gpio_config) << "input 1's high-level trigger is in force";
  // The page's last save of the rules (output 1's).
  const auto rules_state = probe.wait_for(on_topic_where("intercom/d1/rules/config", [](const auto& c) {
    const auto* trigger = rule_of(c["config"], "message-out1");
    return trigger && (*trigger)["trigger"]["alert"] == "GATE_OPEN";
  }));
  ASSERT_TRUE(rules_state) << "the last rules the page saved";
  const auto state = rules_state->json();
  const auto& config = state["config"];
  EXPECT_EQ((*rule_of(config, "input-link-out2"))["actions"][0]["duration_ms"], 3000);
  EXPECT_EQ((*rule_of(config, "input-link-out2"))["trigger"]["input"], "in2");
  EXPECT_EQ((*rule_of(config, "alarm-report-in1"))["actions"][0]["send_message"]["text"], "ALERT=DOOR_OPEN");
  EXPECT_EQ((*rule_of(config, "message-out1"))["trigger"]["alert"], "GATE_OPEN");
  EXPECT_EQ((*rule_of(config, "call-state-out2"))["trigger"]["states"], json({"ringing", "talking"}));
  EXPECT_EQ((*rule_of(config, "call-state-out2"))["actions"][0]["action"], "on");
  EXPECT_EQ((*rule_of(config, "dtmf-out2"))["enabled"], true) << "the desktop's DTMF trigger of out2";

  // The door's settings and the time profiles the page saved are access's configuration in force.
  const auto access_state = probe.wait_for(on_topic_where("intercom/d1/access/config", [](const auto& c) {
    return c["config"]["time_profiles"].contains("cleaners");
  }));
  ASSERT_TRUE(access_state) << access.process().log();
  const auto access_config = access_state->json()["config"];
  EXPECT_EQ(access_config["doors"]["out1"]["held_open_s"], 45);
  EXPECT_EQ(access_config["doors"]["out1"]["contact"], "in1");
  EXPECT_FALSE(access_config["doors"]["out1"].contains("exit")) << access_config["doors"].dump();
  EXPECT_EQ(access_config["time_profiles"]["cleaners"], json::parse(R"([{"days":["sat"],"from":"06:00","to":"09:00"}])"));
  EXPECT_EQ(access_config["time_profiles"]["office-hours"],
            json::parse(R"([{"days":["mon","tue","wed","thu","fri"],"from":"07:00","to":"19:00"}])"));
  EXPECT_EQ(access_config["holidays"], json({"01-01", "12-24", "12-25", "12-26"}));

  // And it works: a trusted text in lower case opens the lock...
  probe.clear();
  probe.publish("intercom/d1/sim/call/set", R"({"action":"message","from":"sip:alarm-server@127.0.0.1","text":"alert=gate_open"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s.value("cause", "") == "rule:message-out1"; }), 5s));
  // ...a call lights output 2 while it rings and while it is answered...
  probe.publish("intercom/d1/sim/call/set", R"({"action":"ring","from":"sip:100@127.0.0.1"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) {
    return s["active"] == true && s["mode"] == "on" && s.value("cause", "") == "rule:call-state-out2";
  }), 5s));
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/call", [](const auto& s) { return s["state"] == "talking"; }), 5s)) << "auto-answered";
  // ...the old code 1234 is no rule's now (with a PIN's shape, it goes to access as a user's PIN,
  // the shipped dtmf.access_reader), the new 2580 opens the lock.
  probe.publish("intercom/d1/sim/call/set", R"({"action":"dtmf","digits":"1234#"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/rules/code", [](const auto& c) { return c["result"] == "forwarded"; }), 5s));
  probe.publish("intercom/d1/sim/call/set", R"({"action":"dtmf","digits":"2580#"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s.value("cause", "") == "rule:dtmf-out1"; }), 5s));
  EXPECT_TRUE(probe.received(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["active"] == false; })).empty())
      << "output 2 stays on while the call is answered";
  probe.publish("intercom/d1/sim/call/set", R"({"action":"hangup"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["active"] == false; }), 5s))
      << "and goes off when the call ends";
  EXPECT_TRUE(std::filesystem::exists(screenshots + "/phone-input-warning.png"));
  // The user the page added is Anna's PIN at the keypad (granted in office hours, refused as outside
  // them otherwise: hers either way).
  probe.clear();
  probe.publish("intercom/d1/access/credential", json{{"reader", "keypad"}, {"kind", "pin"}, {"value", "4711"}, {"at", now_iso8601()}}.dump());
  const auto check = probe.wait_for(on_topic("intercom/d1/access/event"), 5s);
  ASSERT_TRUE(check) << access.process().log();
  EXPECT_EQ(check->json().value("user_id", ""), "anna") << check->payload;

  // Ben, imported from a CSV file on the page, opens with his PIN at any time.
  probe.clear();
  probe.publish("intercom/d1/access/credential", json{{"reader", "keypad"}, {"kind", "pin"}, {"value", "2468"}, {"at", now_iso8601()}}.dump());
  const auto ben = probe.wait_for(on_topic("intercom/d1/access/event"), 5s);
  ASSERT_TRUE(ben);
  EXPECT_EQ(ben->json().value("user_id", ""), "ben") << ben->payload;
  EXPECT_EQ(ben->json().value("result", ""), "granted") << ben->payload;

}

}  // namespace
}  // namespace intercom::testing
