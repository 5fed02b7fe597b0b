// Floods from outside, through a real broker: nothing is lost in silence (issue 27). A command flood
// on one output must not cost another output's state, an input edge, a rule's firing or an error
// report; a frozen broker costs nothing but time.
#include <signal.h>

#include <sstream>

#include <gtest/gtest.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "bus_probe.hpp"
#include "flood_sender.hpp"
#include "gpio_config.hpp"
#include "gpio_service.hpp"
#include "in_process_bus.hpp"
#include "intercom/config/live_config.hpp"
#include "service_process.hpp"
#include "simulated_backend.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string toggle(int i) { return json{{"action", "toggle"}, {"request_id", "f-" + std::to_string(i)}}.dump(); }

bool nothing_dropped_by_the_broker(const TestBroker& broker) {
  return broker.log().find("Outgoing messages are being dropped") == std::string::npos;
}

class FloodTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};

  void SetUp() override { probe.subscribe("intercom/d1/#"); }
};

// The installer's flood (issue 27): 20,000 toggles of out2, one in a hundred also to an output gpio
// does not have, then the lock's pulse. Before, gpio dropped 26,000 of its own messages and the
// pulse's state reached a subscriber in one flood of six.
TEST_F(FloodTest, APulseBehindTwentyThousandTogglesReachesASubscriberAndNoEventIsLost) {
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio.process().log();
  constexpr int kFlood = 20000;
  constexpr int kRefused = kFlood / 100;
  FloodSender sender(broker, "flood");
  for (int i = 0; i < kFlood; ++i) {
    sender.send("intercom/d1/output/out2/set", toggle(i));
    if (i % 100 == 0) sender.send("intercom/d1/output/nope/set", toggle(i));
  }
  sender.send("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":1000,"request_id":"late"})");
  ASSERT_TRUE(sender.wait_acknowledged(60s));

  const auto last_toggle = probe.wait_for(
      on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s.value("request_id", "") == "f-19999"; }), 60s);
  ASSERT_TRUE(last_toggle) << "the newest state of out2 arrives";
  EXPECT_FALSE(last_toggle->json()["active"].get<bool>()) << "an even number of toggles";
  const auto pulse = probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) {
    return s.value("request_id", "") == "late" && s["active"] == true;
  }), 10s);
  ASSERT_TRUE(pulse) << "the pulse's state arrives";
  EXPECT_LE(pulse->received_at - last_toggle->received_at, 2s) << "within 2 s of the flood's last command";

  // Every error report: one for each command to the unknown output, numbered without a gap.
  probe.wait_for_count(on_topic("intercom/d1/gpio/error"), kRefused, 20s);
  std::this_thread::sleep_for(300ms);
  const auto errors = probe.received(on_topic("intercom/d1/gpio/error"));
  std::string others;
  for (const auto& error : errors)
    if (error.json()["topic"] != "intercom/d1/output/nope/set") others += error.payload + "\n";
  EXPECT_TRUE(others.empty()) << "refused besides the unknown output's:\n" << others;
  std::string totals;
  for (const auto& error : errors) totals += error.json()["rejected_total"].dump() + " ";
  std::string notable;
  {
    std::istringstream lines(gpio.process().log());
    for (std::string line; std::getline(lines, line);)
      if (line.find("output out2") == std::string::npos && line.find("no output named") == std::string::npos) notable += line + "\n";
  }
  ASSERT_EQ(errors.size(), static_cast<std::size_t>(kRefused)) << notable << " commands seen by the probe: " << probe.received(on_topic("intercom/d1/output/nope/set")).size();
  for (int i = 0; i < kRefused; ++i) ASSERT_EQ(errors[i].json()["rejected_total"], i + 1) << "none lost, in order";
  // The chip's line follows the newest state: out2 (NC) at rest, the lock's pulse ends.
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) {
    return s.value("request_id", "") == "late" && s["active"] == false;
  }), 5s)) << "the pulse ends, and that state arrives too";
  std::this_thread::sleep_for(300ms);
  const auto levels = probe.received(on_topic("intercom/d1/sim/output/out2/level"));
  ASSERT_FALSE(levels.empty());
  EXPECT_EQ(levels.back().json()["level"], "high") << "out2 (NC) at rest: its newest state on the line";
  EXPECT_TRUE(nothing_dropped_by_the_broker(broker)) << broker.log();
}

// The chip does not wait for the broker: a frozen broker under a flood of input edges costs gpio no
// edge. gpio runs in the test's process on the simulated chip, driven directly (the bus is frozen).
TEST_F(FloodTest, AFrozenBrokerUnderAFloodOfInputEdgesCostsNoEdge) {
  // Built and destroyed on the bus's loop (see on_teardown), so declared before the bus.
  std::unique_ptr<LiveConfig> live_config;
  std::unique_ptr<gpio::SimulatedBackend> chip;
  std::unique_ptr<gpio::GpioService> service;
  InProcessBus bus(broker, "gpio", 30s, /*start_now=*/false);
  auto config = default_test_gpio_config();
  config["inputs"][0]["debounce_ms"] = 0;
  bus.schemas().apply_defaults("config/gpio", config);
  const std::filesystem::path no_file;
  const BusSettings no_bus_settings;
  bus.loop().run([&] {
    chip = std::make_unique<gpio::SimulatedBackend>(bus.loop().io());
    chip->preset_input("in1", gpio::Level::high);  // trigger low: high is at rest
    live_config = std::make_unique<LiveConfig>(bus.loop().io(), bus.bus(), bus.schemas(), bus.log(), "gpio",
                                               broker.directory() / "gpio.json", json{{"bus", json::object()}});
    ServiceContext context{bus.loop().io(), bus.bus(), config, no_file, bus.schemas(), bus.log(), *live_config, no_bus_settings};
    service = std::make_unique<gpio::GpioService>(context, gpio::parse_gpio_config(config), *chip);
  });
  bus.on_teardown([&] { service->stop([] {}); live_config->stop(); },
                  [&] {
                    service.reset();
                    live_config.reset();
                    chip.reset();
                  });
  bus.start();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s));
  ASSERT_TRUE(probe.wait_for(on_topic("intercom/d1/input/in1"), 5s));

  constexpr int kEdges = 20000;
  broker.pause();
  for (int i = 0; i < kEdges; ++i)
    bus.loop().run([&] { chip->drive_input("in1", i % 2 == 0 ? gpio::Level::low : gpio::Level::high); });
  bus.loop().run([] {});  // the last edge's handler has run
  const auto while_frozen = bus.loop().run([&] { return bus.bus().counters(); });
  EXPECT_GT(while_frozen.waiting, 10000u) << "the edges wait in the outbox";
  broker.resume();
  const auto last = probe.wait_for(on_topic_where("intercom/d1/input/in1", [](const auto& s) { return s["seq"] == kEdges; }), 30s);
  ASSERT_TRUE(last) << "the last edge arrives";
  const auto edges = probe.received(on_topic("intercom/d1/input/in1"));
  ASSERT_EQ(edges.size(), static_cast<std::size_t>(kEdges) + 1) << "the state at start, then every edge";
  for (int seq = 0; seq <= kEdges; ++seq) ASSERT_EQ(edges[seq].json()["seq"], seq) << "each once, in order";
  EXPECT_FALSE(last->json()["active"].get<bool>()) << "the contact is at rest again";
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/gpio/error")).empty());
}

class RulesFloodTest : public FloodTest {
 protected:
  std::unique_ptr<ServiceProcess> rules;

  void start_rules() {
    const auto config = json::parse(R"({"rules": [
      {"id": "in1-pulses-out1", "trigger": {"type": "input", "input": "in1", "becomes": "active"},
       "actions": [{"output": "out1", "action": "pulse"}]}]})");
    rules = std::make_unique<ServiceProcess>(broker, "rules", "d1", config);
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "rules"), 10s)) << rules->process().log();
  }
  static std::string edge(int seq) {
    const bool active = seq % 2 == 1;
    return json{{"active", active}, {"level", active ? "low" : "high"}, {"since", "2026-12-02T10:00:00.000Z"}, {"seq", seq}}.dump();
  }
};

// A flood of edges from gpio (played by the test, as the gpio user), the broker frozen for two
// seconds while rules works through it: every active edge fires the rule once, and every firing
// and every command reaches the bus.
TEST_F(RulesFloodTest, EveryEdgeOfAFloodFiresThroughAFrozenBroker) {
  start_rules();
  FloodSender gpio(broker, "fake-gpio", "gpio");
  gpio.send("intercom/d1/input/in1", edge(0), 0s);
  ASSERT_TRUE(probe.wait_for(on_topic("intercom/d1/input/in1"), 5s));
  std::this_thread::sleep_for(200ms);
  constexpr int kEdges = 10000;
  for (int seq = 1; seq <= kEdges; ++seq) gpio.send("intercom/d1/input/in1", edge(seq), 0s);
  ASSERT_TRUE(gpio.wait_acknowledged(30s));
  broker.pause();
  std::this_thread::sleep_for(2s);
  broker.resume();
  constexpr std::size_t kFirings = kEdges / 2;
  EXPECT_EQ(probe.wait_for_count(on_topic("intercom/d1/rules/fired"), kFirings, 60s), kFirings) << "every firing";
  EXPECT_EQ(probe.wait_for_count(on_topic("intercom/d1/output/out1/set"), kFirings, 20s), kFirings) << "every command";
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(probe.received(on_topic("intercom/d1/rules/fired")).size(), kFirings) << "each once";
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/rules/error")).empty()) << "no gap to report";
  EXPECT_TRUE(nothing_dropped_by_the_broker(broker)) << broker.log();
}

// Edges that never reached rules (a gpio that dropped them, a broker that did) show as a jump in
// seq: rules says so on its error topic, naming the input and how many.
TEST_F(RulesFloodTest, EdgesThatNeverArrivedAreReported) {
  start_rules();
  FloodSender gpio(broker, "fake-gpio", "gpio");
  for (int seq : {0, 1, 2, 7}) gpio.send("intercom/d1/input/in1", edge(seq), 0s);
  const auto report = probe.wait_for(on_topic("intercom/d1/rules/error"), 5s);
  ASSERT_TRUE(report);
  const auto error = report->json();
  EXPECT_EQ(error["kind"], "lost");
  EXPECT_EQ(error["topic"], "intercom/d1/input/in1");
  EXPECT_NE(error["reason"].get<std::string>().find("4 edge(s) never arrived"), std::string::npos) << error.dump();
  EXPECT_TRUE(probe.wait_for(on_topic("intercom/d1/rules/fired"), 2s)) << "the edge that arrived still fires";
}

// What the broker itself drops (a client whose queue is full) is counted by the broker and
// reported by rules, with the count.
TEST_F(RulesFloodTest, MessagesTheBrokerDroppedAreReportedWithTheirCount) {
  start_rules();
  // A client that subscribed with a kept session and went away: the broker queues for it, up to
  // max_queued_messages (50,000), and drops the rest.
  mosquitto_lib_init();
  auto* sleeper = mosquitto_new("sleeper", false, nullptr);
  mosquitto_int_option(sleeper, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_username_pw_set(sleeper, "operator", broker.password("operator").c_str());
  mosquitto_property* session = nullptr;
  mosquitto_property_add_int32(&session, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 600);
  ASSERT_EQ(mosquitto_connect_bind_v5(sleeper, "127.0.0.1", broker.port(), 30, nullptr, session), MOSQ_ERR_SUCCESS);
  mosquitto_property_free_all(&session);
  mosquitto_loop_start(sleeper);
  mosquitto_subscribe(sleeper, nullptr, "intercom/d2/flood", 1);  // not under the probe's intercom/d1/#
  std::this_thread::sleep_for(500ms);
  mosquitto_disconnect(sleeper);
  mosquitto_loop_stop(sleeper, false);
  mosquitto_destroy(sleeper);

  FloodSender sender(broker, "flood");
  constexpr int kOver = 250;
  for (int i = 0; i < 50000 + kOver; ++i) sender.send("intercom/d2/flood", R"({"n":1})", 0s);
  ASSERT_TRUE(sender.wait_acknowledged(60s));
  const auto report = probe.wait_for(on_topic_where("intercom/d1/rules/error", [](const auto& e) { return e["kind"] == "lost"; }), 25s);
  ASSERT_TRUE(report) << "within the broker's sys_interval (10 s)";
  const auto error = report->json();
  EXPECT_EQ(error["topic"], "$SYS/broker/publish/messages/dropped");
  // The broker's own count: what it dropped for the sleeper (at least what exceeded its queue).
  const auto reason = error["reason"].get<std::string>();
  const auto figure = std::stoull(reason.substr(std::string("the broker dropped ").size()));
  EXPECT_GE(figure, static_cast<unsigned long long>(kOver)) << reason;
  EXPECT_LE(figure, 50000ULL + kOver) << reason;
}

}  // namespace
}  // namespace intercom::testing
