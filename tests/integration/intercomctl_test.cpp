// intercomctl as a person at a terminal uses it: the real binary against a real broker and services.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bus_probe.hpp"
#include "intercom/util/clock.hpp"
#include "child_process.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

struct CtlRun {
  int exit_code = -1;
  std::string output;  ///< standard output and error
};

class IntercomctlTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  std::unique_ptr<GpioProcess> gpio;
  int runs = 0;

  void SetUp() override {
    probe.subscribe("intercom/#");
    // Where the tool finds the broker and its credentials: a bus section, as the services have.
    std::ofstream(broker.directory() / "intercomctl.json")
        << json{{"bus", {{"broker", broker.uri()}, {"device", "d1"}, {"username", "operator"},
                          {"password_file", broker.password_file("operator").string()}}}}.dump();
    gpio = std::make_unique<GpioProcess>(broker, "d1");
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio->process().log();
  }

  CtlRun intercomctl(std::vector<std::string> arguments, const std::string& shell_input = "") {
    std::vector<std::string> argv{std::string(INTERCOM_BUILD_DIR) + "/tools/intercomctl/intercomctl", "--config",
                                  (broker.directory() / "intercomctl.json").string(), "--no-colour"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    if (!shell_input.empty()) {  // standard input from a pipe, as `echo ... | intercomctl ...`
      std::string command = "printf '%s\\n' '" + shell_input + "' |";
      for (const auto& argument : argv) command += " '" + argument + "'";
      argv = {"/bin/sh", "-c", command};
    }
    const auto log = broker.directory() / ("intercomctl-" + std::to_string(++runs) + ".log");
    ChildProcess process(argv, log);
    CtlRun run;
    const auto code = process.wait_exit(15s);
    run.exit_code = code.value_or(-1);
    run.output = process.log();
    return run;
  }

  static bool has(const CtlRun& run, const std::string& text) { return run.output.find(text) != std::string::npos; }
};

TEST_F(IntercomctlTest, StatusShowsEveryServiceInputAndOutputAtAGlance) {
  const auto run = intercomctl({"status"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  for (const auto* text : {"services", "gpio", "online", "inputs", "in1", "in2", "Door contact", "outputs", "out1", "out2", "inactive"})
    EXPECT_TRUE(has(run, text)) << text << " not in:\n" << run.output;
}

TEST_F(IntercomctlTest, PulseMovesTheOutputAndSaysItsNewState) {
  const auto run = intercomctl({"pulse", "out1", "--duration-ms", "2000"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(has(run, "out1: on (pulse, ")) << run.output;
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1",
                                            [](const json& s) { return s.value("active", false) && s.value("cause", "") == "intercomctl"; }),
                             3s));
  const auto off = intercomctl({"off", "out1"});
  EXPECT_EQ(off.exit_code, 0) << off.output;
  EXPECT_TRUE(has(off, "out1: off")) << off.output;
}

TEST_F(IntercomctlTest, AnOutputThatDoesNotExistGetsGpiosRefusal) {
  const auto run = intercomctl({"on", "out9"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(has(run, "gpio refused it: rejected:")) << run.output;
  EXPECT_TRUE(has(run, "out9")) << run.output;
}

TEST_F(IntercomctlTest, NothingIsSentToAServiceThatIsOffline) {
  gpio->process().stop();
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/status", [](const json& s) { return s["state"] == "offline"; }), 5s));
  probe.clear();
  const auto run = intercomctl({"pulse", "out1"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(has(run, "gpio is offline: nothing sent")) << run.output;
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/output/out1/set")).empty());
}

TEST_F(IntercomctlTest, TheSimulatedHardwareIsPlayedFromTheTerminal) {
  auto run = intercomctl({"sim", "input", "in1", "low"});  // in1 triggers on a low level
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/input/in1", [](const json& s) { return s.value("active", false); }), 3s));
  ServiceProcess telephony(broker, "telephony", "d1", shipped_config("telephony"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "telephony"), 10s)) << telephony.process().log();
  run = intercomctl({"sim", "call", "ring", "sip:visitor@127.0.0.1"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(has(run, "call: ringing")) << run.output;
  run = intercomctl({"sim", "call", "hangup"});
  EXPECT_TRUE(has(run, "call: idle")) << run.output;
  run = intercomctl({"sim", "call", "dtmf", "12x"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(has(run, "telephony refused it: schema:")) << run.output;
}

TEST_F(IntercomctlTest, WatchPrintsTheMessagesOfOneService) {
  ChildProcess watcher({std::string(INTERCOM_BUILD_DIR) + "/tools/intercomctl/intercomctl", "--config",
                        (broker.directory() / "intercomctl.json").string(), "--no-colour", "watch", "--service", "gpio", "--for", "4"},
                       broker.directory() / "watch.log");
  std::this_thread::sleep_for(700ms);  // connected and subscribed
  probe.publish("intercom/d1/output/out2/set", R"({"action":"on","cause":"watch-test"})");
  probe.publish("intercom/d1/call/set", R"({"action":"hangup"})");  // telephony's: not shown
  ASSERT_TRUE(watcher.wait_exit(10s));
  const auto log = watcher.log();
  EXPECT_NE(log.find("output/out2/set {\"action\":\"on\",\"cause\":\"watch-test\"}"), std::string::npos) << log;
  EXPECT_NE(log.find("output/out2 "), std::string::npos) << log;
  EXPECT_NE(log.find("gpio/status (retained)"), std::string::npos) << log;
  EXPECT_EQ(log.find("call/set"), std::string::npos) << log;
}

TEST_F(IntercomctlTest, ConfigIsReadAndChangedAndARefusalSaysWhere) {
  auto run = intercomctl({"config", "get", "gpio"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(has(run, "\"revision\": 1")) << run.output;
  const auto bad = R"({"inputs":[{"name":"in1","line":{"chip":"sim","offset":0},"trigger":"sideways"}]})";
  run = intercomctl({"config", "set", "gpio", bad});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(has(run, "refused at /inputs/0/trigger")) << run.output;
  EXPECT_TRUE(has(run, "nothing changed")) << run.output;
  std::ofstream(broker.directory() / "patch.json")
      << R"({"inputs":[{"name":"in1","label":"Gate","line":{"chip":"sim","offset":0},"trigger":"low","debounce_ms":20}]})";
  run = intercomctl({"config", "set", "gpio", "@" + (broker.directory() / "patch.json").string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(has(run, "in force, revision 2")) << run.output;
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/input/in1", [](const json& s) { return s.value("label", "") == "Gate"; }), 3s));
}

TEST_F(IntercomctlTest, HaForgetClearsARetiredDevicesDiscoveryMessageButNotALiveOnes) {
  BusProbe home_assistant{broker, "home-assistant-probe", "operator"};
  const std::string retired = "homeassistant/device/intercom-io_old-door/config";
  home_assistant.publish(retired, R"({"device":{"identifiers":["intercom-io_old-door"],"name":"Old door"},"origin":{"name":"intercom-io"},"components":{}})",
                         true);
  const auto run = intercomctl({"ha-forget", "old-door"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(has(run, "cleared " + retired + ": Home Assistant removes the device")) << run.output;
  BusProbe later{broker, "later-probe", "operator"};
  later.subscribe("homeassistant/#");
  EXPECT_FALSE(later.wait_for(on_topic(retired), 1s)) << "still retained";

  // A device whose discovery service is online would be announced again at once: refused.
  probe.publish("intercom/live-door/discovery/status", R"({"state":"online"})", true);
  const auto live = intercomctl({"ha-forget", "live-door"});
  EXPECT_EQ(live.exit_code, 1) << live.output;
  EXPECT_TRUE(has(live, "is online and would announce it again")) << live.output;
  probe.publish("intercom/live-door/discovery/status", "", true);
}

TEST_F(IntercomctlTest, ValidateNamesTheFileAndTheJsonPath) {
  const auto file = broker.directory() / "gpio.json";
  std::ofstream(file) << R"({"backend":"simulated","inputs":[{"name":"in1","line":{"chip":"c","offset":0},"trigger":"sideways"}]})";
  auto run = intercomctl({"validate", file.string()});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(has(run, "gpio.json")) << run.output;
  EXPECT_TRUE(has(run, "/inputs/0/trigger")) << run.output;
  EXPECT_TRUE(has(run, R"(allowed: "high", "low")")) << run.output;
  run = intercomctl({"validate", INTERCOM_SOURCE_DIR "/config/rules.json"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(has(run, "a valid rules configuration")) << run.output;
}

TEST_F(IntercomctlTest, AWrongPasswordIsSaidPlainly) {
  std::ofstream(broker.directory() / "wrong.password") << "not-the-password";
  const auto run = intercomctl({"--password-file", (broker.directory() / "wrong.password").string(), "status"});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(has(run, "refused user \"operator\"")) << run.output;
}

TEST_F(IntercomctlTest, PasswdSetsThePagesPassword) {
  const auto web_config = broker.directory() / "web.json";
  std::ofstream(web_config) << json{{"bus", {{"broker", broker.uri()}, {"device", "d1"}}},
                                    {"credentials_file", "page.hash"}, {"hash_cost", "minimum"}}.dump();
  auto run = intercomctl({"passwd", "--web-config", web_config.string()}, "short");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(has(run, "at least 8 characters")) << run.output;
  run = intercomctl({"passwd", "--web-config", web_config.string()}, "a-long-enough-password");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  std::ifstream hash(broker.directory() / "page.hash");
  std::string stored((std::istreambuf_iterator<char>(hash)), {});
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u) << stored;
}

// The installer at the device's terminal finds the page's setup token without reading a log.
TEST_F(IntercomctlTest, SetupTokenPrintsThePagesFirstStartTokenUntilAPasswordIsSet) {
  const auto web_config = broker.directory() / "web-d1.json";
  ServiceProcess web(broker, "web", "d1", {{"listen", {{"port", 0}}}, {"credentials_file", "page.hash"}, {"hash_cost", "minimum"}});
  std::smatch logged;
  std::string log;
  ASSERT_TRUE(eventually([&] {
    log = web.process().log();
    return std::regex_search(log, logged, std::regex("setup token ([0-9a-f]+)"));
  }, 10s)) << log;
  auto run = intercomctl({"setup-token", "--web-config", web_config.string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(has(run, logged[1].str())) << run.output;
  // Once a password is set there is none, and the tool says why.
  ASSERT_EQ(intercomctl({"passwd", "--web-config", web_config.string()}, "a-long-enough-password").exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(broker.directory() / "setup-token")) << "a void token is not left in its file";
  run = intercomctl({"setup-token", "--web-config", web_config.string()});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(has(run, "the page has a password")) << run.output;
}

TEST_F(IntercomctlTest, UsersAreAddedGivenAPinFromStandardInputListedAndRemoved) {
  ServiceProcess access(broker, "access", "d1", shipped_config("access"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "access"), 10s)) << access.process().log();
  const auto added = intercomctl({"users", "add", "anna", "--name", "Anna Berg", "--door", "out1", "--profile", "office-hours",
                                  "--caller", "sip:anna@pbx.local"});
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_TRUE(has(added, "anna  Anna Berg  doors out1  profile office-hours")) << added.output;
  const auto pin = intercomctl({"users", "pin", "anna", "--label", "keypad"}, "2580");
  ASSERT_EQ(pin.exit_code, 0) << pin.output;
  EXPECT_TRUE(has(pin, "pin #1 (keypad)")) << pin.output;
  EXPECT_FALSE(has(pin, "2580")) << "the PIN is never printed";
  const auto on_command_line = intercomctl({"users", "pin", "anna", "2580"});
  EXPECT_EQ(on_command_line.exit_code, 2);
  EXPECT_TRUE(has(on_command_line, "standard input")) << on_command_line.output;
  ASSERT_EQ(intercomctl({"users", "card", "anna", "12-34567", "--label", "blue fob"}).exit_code, 0);
  const auto list = intercomctl({"users", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_TRUE(has(list, "callers sip:anna@pbx.local  pin #1 (keypad), card #2 (blue fob)")) << list.output;
  const auto short_pin = intercomctl({"users", "pin", "anna"}, "12");
  EXPECT_EQ(short_pin.exit_code, 1);
  EXPECT_TRUE(has(short_pin, "/value: a PIN is 4 to 12 digits")) << short_pin.output;
  const auto nobody = intercomctl({"users", "card", "carl", "1-1"});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_TRUE(has(nobody, "/user_id: no user carl")) << nobody.output;
  ASSERT_EQ(intercomctl({"users", "forget", "2"}).exit_code, 0);
  ASSERT_EQ(intercomctl({"users", "remove", "anna"}).exit_code, 0);
  EXPECT_TRUE(has(intercomctl({"users", "list"}), "no users"));
  const auto bad_forget = intercomctl({"users", "forget", "blue"});
  EXPECT_EQ(bad_forget.exit_code, 2);
  EXPECT_TRUE(has(bad_forget, "a credential's number")) << bad_forget.output;
}

TEST_F(IntercomctlTest, TwelveThousandUsersAreImportedFromACsvInPartsAllOrNothingAndExportedWithoutACredential) {
  ServiceProcess access(broker, "access", "d1", shipped_config("access"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "access"), 10s)) << access.process().log();
  // 12,000 users with a card and a PIN each, some names quoted: a file of several bus messages.
  std::string csv = "id,name,doors,profile,pins,cards\r\n";
  for (int i = 0; i < 12000; ++i)
    csv += "u" + std::to_string(i) + ",\"Doe, Jo " + std::to_string(i) + "\",out1," + (i % 2 ? "office-hours" : "") + "," +
           std::to_string(100000 + i) + ",7-" + std::to_string(i) + "\r\n";
  ASSERT_GT(csv.size(), 100u * 1024) << "more than one part";
  const auto path = access.config_file().parent_path() / "users.csv";
  std::ofstream(path) << csv;
  const auto started = std::chrono::steady_clock::now();
  const auto imported = intercomctl({"users", "import", path.string()});
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  ASSERT_EQ(imported.exit_code, 0) << imported.output << access.process().log().substr(0, 3000);
  EXPECT_TRUE(has(imported, "imported: 12000 users added, 0 changed, 24000 PINs and cards added")) << imported.output;
  std::cerr << "[ import   ] 12,000 users, 24,000 credentials, " << csv.size() / 1024 << " KiB in parts, imported in " << took.count() << " ms\n";

  // A bad row anywhere: nothing of the file changes, and the refusal names its line and column.
  const auto bad_path = access.config_file().parent_path() / "bad.csv";
  std::ofstream(bad_path) << "id,name,doors\r\nnew1,New One,out1\r\nu5,,out9\r\n";
  const auto bad = intercomctl({"users", "import", bad_path.string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(has(bad, "/csv/3/doors: line 3, doors:")) << bad.output;
  const auto exported = intercomctl({"users", "export"});
  ASSERT_EQ(exported.exit_code, 0) << exported.output.substr(0, 2000);
  EXPECT_EQ(exported.output.rfind("id,name,enabled,doors,profile,valid_from,valid_until,callers,pins,cards\r\n", 0), 0u) << exported.output.substr(0, 300);
  EXPECT_TRUE(has(exported, "u5,\"Doe, Jo 5\",true,out1,office-hours,,,,,\r\n")) << "u5 as it was, no PIN or card";
  EXPECT_FALSE(has(exported, "new1")) << "nothing of the refused file was kept";
  EXPECT_FALSE(has(exported, "100005")) << "never a PIN";
  // The export imported again changes nothing.
  const auto again_path = access.config_file().parent_path() / "again.csv";
  std::ofstream(again_path) << exported.output;
  const auto again = intercomctl({"users", "import", again_path.string()});
  EXPECT_TRUE(has(again, "imported: 0 users added, 0 changed, 0 PINs and cards added")) << again.output;
  // And the imported credentials open the door.
  probe.publish("intercom/d1/access/credential", nlohmann::json{{"reader", "reader1"}, {"kind", "card"}, {"value", "7-11"}, {"at", now_iso8601()}}.dump());
  const auto event = probe.wait_for(on_topic("intercom/d1/access/event"), 3s);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->json().value("user_id", ""), "u11");
}

TEST_F(IntercomctlTest, HistoryTellsWhoOpenedTheDoorOldestFirstAndSaysWhatItRefuses) {
  auto offline = intercomctl({"history"});
  EXPECT_EQ(offline.exit_code, 1) << offline.output;
  EXPECT_TRUE(has(offline, "no history to ask")) << offline.output;

  ServiceProcess history(broker, "history", "d1", shipped_config("history"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "history"), 10s)) << history.process().log();
  ASSERT_EQ(intercomctl({"pulse", "out1", "--duration-ms", "300"}).exit_code, 0);
  probe.publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":300,"cause":"home-assistant"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("cause", "") == "home-assistant"; }), 5s));
  CtlRun run;
  ASSERT_TRUE(eventually([&] {
    run = intercomctl({"history", "--since", "1h", "--output", "out1"});
    return run.exit_code == 0 && has(run, "by home-assistant");
  }, 10s)) << run.output;
  // Oldest first: intercomctl's pulse before Home Assistant's.
  const auto by_ctl = run.output.find("by intercomctl"), by_ha = run.output.find("by home-assistant");
  ASSERT_NE(by_ctl, std::string::npos) << run.output;
  EXPECT_LT(by_ctl, by_ha) << run.output;
  EXPECT_FALSE(has(run, "input ")) << "only out1's events";
  const auto last = intercomctl({"history", "--kind", "output", "--cause", "home-assistant", "-n", "1"});
  EXPECT_EQ(last.exit_code, 0);
  EXPECT_TRUE(has(last, "by home-assistant")) << last.output;
  EXPECT_FALSE(has(last, "by intercomctl")) << last.output;

  const auto bad_since = intercomctl({"history", "--since", "yesterday"});
  EXPECT_EQ(bad_since.exit_code, 2);
  EXPECT_TRUE(has(bad_since, "30m, 12h, 7d")) << bad_since.output;
  const auto bad_kind = intercomctl({"history", "--kind", "door"});
  EXPECT_NE(bad_kind.exit_code, 0);
  EXPECT_TRUE(has(bad_kind, "input")) << bad_kind.output;
  const auto bad_name = intercomctl({"history", "--output", "Out 1"});
  EXPECT_EQ(bad_name.exit_code, 1);
  EXPECT_TRUE(has(bad_name, "output")) << bad_name.output;
}

}  // namespace
}  // namespace intercom::testing
