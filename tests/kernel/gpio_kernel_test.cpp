// The gpio service on a real kernel GPIO chip: the intercom-gpio binary of the build tree, with the
// shipped configuration changed only in its backend and its lines (by name), against gpio-sim in the
// kernel VM (tests/kernel/kernel-vm.sh). Inputs are driven by their lines' pull, outputs read back
// from the simulator, and everything checked through the bus, as on a board.
#include <signal.h>

#include <thread>

#include <gpiod.hpp>
#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "gpio_sim_chip.hpp"
#include "intercom/util/date_time.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The board: the guide's two inputs and two outputs, a line nobody uses, and a Wiegand card reader's
// and a keypad's two lines each.
const std::vector<std::string> kLines{"door-in1", "button-in2", "lock-out1", "light-out2", "spare-4",
                                      "reader-d0", "reader-d1", "keypad-d0", "keypad-d1", "exit-in3"};
constexpr unsigned kIn1 = 0, kIn2 = 1, kOut1 = 2, kOut2 = 3, kReaderD0 = 5, kReaderD1 = 6, kExit = 9;

class GpioKernelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { (void)std::system("busybox modprobe gpio-sim 2>/dev/null"); }
  void SetUp() override {
    if (!GpioSimChip::available()) GTEST_SKIP() << "no gpio-sim here: run in the kernel VM (ctest -L kernel)";
    chip = std::make_unique<GpioSimChip>("intercom", kLines);
    // What is wired: the contacts at rest (the inputs' bias pulls them up), the relays' drivers
    // pulled to their off level (NO: low).
    chip->set_pull(kOut1, false);
    chip->set_pull(kOut2, false);
    // A reader keeps both its lines high between frames; the exit button is at rest (pulled up).
    for (unsigned line = kReaderD0; line < kLines.size(); ++line) chip->set_pull(line, true);
    probe = std::make_unique<BusProbe>(broker, "probe");
    probe->subscribe("intercom/#");
  }
  void TearDown() override {
    if (HasFailure() && gpio) std::cerr << gpio->process().log().substr(0, 20000);
    gpio.reset();
    probe.reset();
    chip.reset();
  }

  /// The shipped gpio configuration, on the real chip, each port on its line by name.
  static json board_config() {
    auto config = shipped_config("gpio");
    config["backend"] = "libgpiod";
    const std::map<std::string, std::string> lines{{"in1", kLines[kIn1]}, {"in2", kLines[kIn2]}, {"in3", kLines[kExit]},
                                                   {"out1", kLines[kOut1]}, {"out2", kLines[kOut2]}};
    for (const char* section : {"inputs", "outputs"})
      for (auto& port : config[section]) port["line"] = {{"name", lines.at(port["name"])}};
    for (auto& reader : config["readers"]) {
      const std::string prefix = reader["name"] == "reader1" ? "reader" : "keypad";
      reader["d0"] = {{"name", prefix + "-d0"}};
      reader["d1"] = {{"name", prefix + "-d1"}};
    }
    return config;
  }
  void start(const json& config = board_config()) {
    gpio = std::make_unique<GpioProcess>(broker, "d1", config);
    ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "gpio"), 15s)) << gpio->process().log();
  }
  std::optional<ProbeMessage> input_state(const std::string& name, std::function<bool(const json&)> condition, std::chrono::milliseconds timeout = 5s) {
    return probe->wait_for(on_topic_where("intercom/d1/input/" + name, std::move(condition)), timeout);
  }
  bool output_is(const std::string& name, bool active, std::chrono::milliseconds timeout = 5s) {
    return probe->wait_for(on_topic_where("intercom/d1/output/" + name, [&](const json& s) { return s["active"] == active; }), timeout).has_value();
  }
  void command(const std::string& output, const json& payload) { probe->publish("intercom/d1/output/" + output + "/set", payload.dump()); }
  bool line_becomes(unsigned offset, int level, std::chrono::milliseconds timeout = 3s) {
    return eventually([&] { return chip->value(offset) == level; }, timeout);
  }
  std::optional<ProbeMessage> error_report(const std::string& text, std::chrono::milliseconds timeout = 8s) {
    return probe->wait_for(on_topic_where("intercom/d1/gpio/error", [&](const json& e) { return e.value("reason", "").find(text) != std::string::npos; }), timeout);
  }

  TestBroker broker;
  std::unique_ptr<GpioSimChip> chip;
  std::unique_ptr<BusProbe> probe;
  std::unique_ptr<GpioProcess> gpio;
};

TEST_F(GpioKernelTest, AnInputEdgeBecomesItsStateInBothTriggerModes) {
  start();
  // in1: closed-circuit (low-level) trigger, pulled up at rest.
  ASSERT_TRUE(input_state("in1", [](const json& s) { return s["active"] == false && s["level"] == "high"; })) << "at rest";
  chip->set_pull(kIn1, false);
  EXPECT_TRUE(input_state("in1", [](const json& s) { return s["active"] == true && s["level"] == "low"; })) << "the contact closes";
  chip->set_pull(kIn1, true);
  EXPECT_TRUE(input_state("in1", [](const json& s) { return s["active"] == false && s["level"] == "high" && s["seq"] == 2; }));
  // Open-circuit (high-level) trigger, changed live: the contact at rest (high) is active now.
  auto config = board_config();
  config["inputs"][0]["trigger"] = "high";
  probe->publish("intercom/d1/gpio/config/set", json{{"request_id", "k-1"}, {"config", config}}.dump());
  EXPECT_TRUE(input_state("in1", [](const json& s) { return s["active"] == true && s["level"] == "high"; })) << gpio->process().log();
  chip->set_pull(kIn1, false);
  EXPECT_TRUE(input_state("in1", [](const json& s) { return s["active"] == false && s["level"] == "low"; }));
}

TEST_F(GpioKernelTest, ABurstOfEdgesIsDebounced) {
  start();
  ASSERT_TRUE(input_state("in1", [](const json& s) { return s["active"] == false; }));
  probe->clear();
  // A bouncing contact: ten edges within the 50 ms debounce, then closed for good.
  for (int i = 0; i < 10; ++i) chip->set_pull(kIn1, i % 2 == 1);
  chip->set_pull(kIn1, false);
  ASSERT_TRUE(input_state("in1", [](const json& s) { return s["active"] == true; }));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(probe->received(on_topic("intercom/d1/input/in1")).size(), 1u) << "one change, not eleven";
}

TEST_F(GpioKernelTest, OutputCommandsDriveTheLineNormallyOpenAndNormallyClosed) {
  start();
  ASSERT_TRUE(line_becomes(kOut1, 0)) << "claimed at its safe level";
  command("out1", {{"action", "on"}});
  EXPECT_TRUE(line_becomes(kOut1, 1));
  command("out1", {{"action", "off"}});
  EXPECT_TRUE(line_becomes(kOut1, 0));
  command("out1", {{"action", "pulse"}, {"duration_ms", 400}});
  EXPECT_TRUE(line_becomes(kOut1, 1, 1s));
  EXPECT_TRUE(line_becomes(kOut1, 0, 3s)) << "the pulse ends in gpio";
  command("out1", {{"action", "blink"}, {"on_ms", 200}, {"off_ms", 200}, {"duration_ms", 3000}});
  int changes = 0;
  for (int last = -1, i = 0; i < 100; ++i, std::this_thread::sleep_for(25ms)) {
    const int now = chip->value(kOut1);
    if (last != -1 && now != last) ++changes;
    last = now;
  }
  EXPECT_GE(changes, 4) << "it blinks on the line";
  command("out1", {{"action", "off"}});
  // Normally closed: off is the high level.
  auto config = board_config();
  config["outputs"][1]["level"] = "NC";
  probe->publish("intercom/d1/gpio/config/set", json{{"request_id", "k-2"}, {"config", config}}.dump());
  EXPECT_TRUE(line_becomes(kOut2, 1)) << gpio->process().log();
  command("out2", {{"action", "on"}});
  EXPECT_TRUE(line_becomes(kOut2, 0));
  command("out2", {{"action", "off"}});
  EXPECT_TRUE(line_becomes(kOut2, 1));
}

TEST_F(GpioKernelTest, OutputsAreSafeAfterSigtermAndAfterAKillAndARestart) {
  start();
  command("out1", {{"action", "on"}});
  ASSERT_TRUE(line_becomes(kOut1, 1));
  gpio->process().signal(SIGTERM);
  ASSERT_TRUE(gpio->process().wait_exit(10s));
  EXPECT_EQ(chip->value(kOut1), 0) << "off when it stopped, and released to the relay driver's pull";
  EXPECT_NE(gpio->process().log().find("output out1: off"), std::string::npos) << "driven off before it let go";

  probe->clear();  // the online status to wait for is the new process's
  gpio->restart();
  ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "gpio"), 15s));
  command("out1", {{"action", "on"}});
  ASSERT_TRUE(line_becomes(kOut1, 1));
  gpio->process().signal(SIGKILL);
  ASSERT_TRUE(gpio->process().wait_exit(10s));
  EXPECT_TRUE(line_becomes(kOut1, 0)) << "the kernel let the line go: it falls to its pull";
  probe->clear();
  gpio->restart();
  ASSERT_TRUE(output_is("out1", false, 15s)) << "back, off";
  EXPECT_EQ(chip->value(kOut1), 0) << "claimed at the safe level, no click";
}

TEST_F(GpioKernelTest, ALineHeldByAnotherProgramIsAClearErrorAndIsClaimedOnceFree) {
  auto held = gpiod::find_line(kLines[kOut1]);
  ASSERT_TRUE(held);
  held.request({"other-program", gpiod::line_request::DIRECTION_OUTPUT, {}}, 0);
  start();
  const auto report = error_report("is used by \"other-program\"");
  ASSERT_TRUE(report) << gpio->process().log();
  const auto reason = report->json()["reason"].get<std::string>();
  EXPECT_NE(reason.find(chip->chip_name() + " line 2 (\"lock-out1\")"), std::string::npos) << "names the chip and the line: " << reason;
  EXPECT_NE(reason.find("out1"), std::string::npos) << reason;
  // The rest of the board works; out1 is refused, saying why.
  command("out1", {{"action", "on"}});
  EXPECT_TRUE(error_report("out1 cannot be driven")) << gpio->process().log();
  held.release();
  // Free again: claimed within the retry interval, and driven.
  ASSERT_TRUE(eventually([&] { return gpio->process().log().find("out1 has its line again") != std::string::npos; }, 6s)) << gpio->process().log();
  command("out1", {{"action", "on"}});
  EXPECT_TRUE(line_becomes(kOut1, 1));
}

TEST_F(GpioKernelTest, ALineNameThatIsNotThereIsAClearError) {
  auto config = board_config();
  config["inputs"][0]["line"] = {{"name", "door-in9"}};
  start(config);
  const auto report = error_report("no GPIO line is named \"door-in9\"");
  ASSERT_TRUE(report) << gpio->process().log();
  const auto reason = report->json()["reason"].get<std::string>();
  EXPECT_NE(reason.find(chip->chip_name() + " [intercom-bank0]: door-in1, button-in2"), std::string::npos) << "says what there is: " << reason;
  EXPECT_TRUE(input_state("in2", [](const json&) { return true; })) << "the other input works";
}

TEST_F(GpioKernelTest, AChipTakenAwayIsReportedTheServiceStaysUpAndTakesItBack) {
  start();
  ASSERT_TRUE(input_state("in1", [](const json& s) { return s["active"] == false; }));
  chip->set_live(false);
  ASSERT_TRUE(error_report("stopped working")) << gpio->process().log();
  EXPECT_TRUE(gpio->process().running());
  EXPECT_FALSE(probe->wait_for(on_topic_where("intercom/d1/gpio/status", [](const json& s) { return s["state"] == "offline"; }), 500ms));
  chip->set_live(true);
  chip->set_pull(kOut1, false);
  ASSERT_TRUE(eventually([&] { return gpio->process().log().find("out1 has its line again") != std::string::npos; }, 8s)) << gpio->process().log();
  ASSERT_TRUE(eventually([&] { return gpio->process().log().find("in1 has its line again") != std::string::npos; }, 8s));
  command("out1", {{"action", "on"}});
  EXPECT_TRUE(line_becomes(kOut1, 1));
  probe->clear();
  chip->set_pull(kIn1, false);
  EXPECT_TRUE(input_state("in1", [](const json& s) { return s["active"] == true; }));
}

TEST_F(GpioKernelTest, AnEdgeIsTimedByTheKernelNotByWhenTheServiceGetsToIt) {
  auto config = board_config();
  config["inputs"][0]["debounce_ms"] = 0;
  start(config);
  ASSERT_TRUE(input_state("in1", [](const json& s) { return s["active"] == false; }));
  // The service cannot read the edge for 800 ms; the state still says when it happened.
  gpio->process().signal(SIGSTOP);
  const auto edge = std::chrono::system_clock::now();
  chip->set_pull(kIn1, false);
  std::this_thread::sleep_for(800ms);
  const auto resumed = std::chrono::system_clock::now();
  gpio->process().signal(SIGCONT);
  const auto state = input_state("in1", [](const json& s) { return s["active"] == true; });
  ASSERT_TRUE(state);
  const auto since = parse_rfc3339(state->json()["since"].get<std::string>());
  ASSERT_TRUE(since);
  EXPECT_LT(std::chrono::abs(*since - edge), 150ms) << "since is the edge's time";
  EXPECT_LT(*since, resumed - 500ms);
}

TEST_F(GpioKernelTest, AWiegandFrameOnTheReadersLinesIsReadFromTheKernelsEdgeTimesIfTheVmCanTimeIt) {
  start();
  // H10301, facility 12, card 34567: a bit every 2 ms, as readers send them; each pulse as short as
  // this program can make it through gpio-sim's sysfs. A reader's bit is a 10 us to 1 ms pulse and
  // 25 ms of quiet ends a frame: under QEMU's TCG a write to sysfs can take milliseconds and this
  // program can be held up for more than 25 ms, so a frame may come out too slow to be a reader's.
  // Then gpio must report it, and never read a card that was not sent; the test says which it was.
  const std::string card = "10000110010000111000001111";
  std::vector<std::string> said;
  bool read_card = false;
  for (int attempt = 1; attempt <= 5 && !read_card; ++attempt) {
    probe->clear();
    const auto timing = chip->send_wiegand(kReaderD0, kReaderD1, card, 2ms);
    const auto read = probe->wait_for(on_topic("intercom/d1/access/credential"), 1500ms);
    const auto faults = probe->received(on_topic("intercom/d1/gpio/error"));
    std::cerr << "[ wiegand  ] attempt " << attempt << ": longest pulse " << timing.longest_pulse.count() << " us, longest bit interval "
              << timing.longest_interval.count() << " us as written; " << (read ? "read" : "not read") << ", " << faults.size() << " fault(s)\n";
    if (read) {
      EXPECT_EQ(read->json()["reader"], "reader1");
      EXPECT_EQ(read->json()["value"], "12-34567") << "a card that was not sent";
      EXPECT_EQ(read->json()["bits"], 26);
      read_card = true;
    } else {
      ASSERT_FALSE(faults.empty()) << "a frame neither read nor reported";
      for (const auto& fault : faults) said.push_back(fault.json().value("reason", ""));
    }
  }
  if (!read_card) {
    std::string faults;
    for (const auto& reason : said) faults += "\n  " + reason;
    GTEST_SKIP() << "the VM could not time a reader's frame in 5 attempts; gpio reported each, as it must:" << faults;
  }
  // The same card with its last bit lost on the way is reported, not guessed.
  probe->clear();
  chip->send_wiegand(kReaderD0, kReaderD1, card.substr(0, 25), 2ms);
  const auto cut = probe->wait_for(on_topic("intercom/d1/gpio/error"), 3s);
  ASSERT_TRUE(cut);
  EXPECT_NE(cut->payload.find("not read"), std::string::npos) << cut->payload;
  EXPECT_TRUE(probe->received(on_topic("intercom/d1/access/credential")).empty());
}

TEST_F(GpioKernelTest, WithTheBrokerAndTheRulesServiceKilledTheExitButtonStillOpensTheDoor) {
  auto config = board_config();
  config["outputs"][0]["pulse_ms"] = 1500;
  start(config);
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "rules"), 15s)) << rules.process().log();
  rules.process().signal(SIGKILL);
  broker.stop();
  const auto pressed = std::chrono::system_clock::now();
  chip->set_pull(kExit, false);  // pressed: the contact pulls the line low
  std::this_thread::sleep_for(100ms);
  chip->set_pull(kExit, true);
  EXPECT_TRUE(line_becomes(kOut1, 1, 2s)) << "the lock opens with nobody but gpio: " << gpio->process().log();
  EXPECT_TRUE(line_becomes(kOut1, 0, 4s)) << "and shuts after its pulse";
  // gpio held while the broker comes back and the probe listens again: its report must not go first.
  gpio->process().signal(SIGSTOP);
  broker.start();
  probe = std::make_unique<BusProbe>(broker, "probe-after");
  probe->subscribe("intercom/#");
  gpio->process().signal(SIGCONT);
  // What gpio did alone is said when the bus is back, with the time it happened.
  const auto report = probe->wait_for(on_topic("intercom/d1/gpio/fallback"), 20s);
  ASSERT_TRUE(report) << gpio->process().log();
  EXPECT_EQ(report->json()["linkage"], "exit");
  EXPECT_EQ(report->json()["output"], "out1");
  EXPECT_EQ(report->json()["why"], "the bus is away");
  const auto at = parse_rfc3339(report->json()["at"].get<std::string>());
  ASSERT_TRUE(at);
  EXPECT_LT(std::chrono::abs(*at - pressed), 1s);
}

}  // namespace
}  // namespace intercom::testing
