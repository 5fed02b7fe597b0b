// Commands queued for an absent service: the persistent session keeps them, and they expire; an
// output command, taken at most once, is not queued.
#include <signal.h>

#include <thread>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "in_process_bus.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

class CommandExpiryTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  void SetUp() override { probe.subscribe("intercom/#"); }

  /// Starts gpio once (so the broker holds its session), then kills it: commands now queue.
  std::unique_ptr<GpioProcess> gpio_gone_away() {
    auto gpio = std::make_unique<GpioProcess>(broker, "d1");
    EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 10s));
    gpio->process().signal(SIGKILL);
    gpio->process().wait_exit(5s);
    EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "offline"; }), 10s));
    return gpio;
  }
  /// A configuration change, as the page sends it (web's user, with an expiry).
  void send_config_change(std::chrono::seconds expiry, const std::string& request_id) {
    InProcessBus web(broker, "web", expiry);
    ASSERT_TRUE(eventually([&] { return web.connected(); }, 5s));
    auto config = default_test_gpio_config();
    config["outputs"][0]["label"] = "changed by " + request_id;
    web.loop().run([&] {
      web.bus().publish_command(topic::config_command, {.service = "gpio"}, {{"request_id", request_id}, {"config", config}}, expiry);
    });
    ASSERT_TRUE(probe.wait_for(on_topic("intercom/d1/gpio/config/set"), 5s));
  }
  void send_pulse(const std::string& request_id) {
    InProcessBus rules(broker, "rules", 30s);
    ASSERT_TRUE(eventually([&] { return rules.connected(); }, 5s));
    rules.loop().run([&] {
      rules.bus().publish(topic::output_command, {.name = "out1"},
                          {{"action", "pulse"}, {"duration_ms", 200}, {"request_id", request_id}});
    });
    ASSERT_TRUE(probe.wait_for(on_topic("intercom/d1/output/out1/set"), 5s));
  }
  bool config_applied(const std::string& request_id, std::chrono::milliseconds timeout) {
    return probe.wait_for(on_topic_where("intercom/d1/gpio/config/result", [&](const auto& s) {
             return s.value("request_id", "") == request_id && s["ok"] == true;
           }), timeout).has_value();
  }
  bool pulsed(const std::string& request_id, std::chrono::milliseconds timeout) {
    return probe.wait_for(on_topic_where("intercom/d1/output/out1", [&](const auto& s) { return s.value("request_id", "") == request_id; }), timeout)
        .has_value();
  }
};

TEST_F(CommandExpiryTest, ACommandQueuedForAnAbsentServiceIsDeliveredWhenItReturns) {
  auto gpio = gpio_gone_away();
  send_config_change(30s, "queued");
  gpio->restart();
  EXPECT_TRUE(config_applied("queued", 10s)) << gpio->process().log();
}

TEST_F(CommandExpiryTest, AnExpiredCommandIsNeverCarriedOut) {
  auto gpio = gpio_gone_away();
  send_config_change(1s, "stale");
  std::this_thread::sleep_for(2200ms);
  gpio->restart();
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 10s));
  EXPECT_FALSE(config_applied("stale", 1500ms)) << gpio->process().log();
}

// Output commands are the exception (schemas/README.md: for the gpio that is running): a lock does
// not open when gpio comes back, seconds after whoever pressed gave up, for a press made while it was down.
TEST_F(CommandExpiryTest, AnOutputCommandSentWhileGpioWasDownIsNotCarriedOutWhenItReturns) {
  auto gpio = gpio_gone_away();
  send_pulse("while-down");
  probe.clear();  // the online status to wait for is the new process's
  gpio->restart();
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 10s));
  send_pulse("after");
  EXPECT_TRUE(pulsed("after", 5s)) << gpio->process().log();
  EXPECT_FALSE(pulsed("while-down", 0ms)) << gpio->process().log();
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/error", [](const auto& e) { return e["kind"] == "before-start"; }), 1s))
      << "refused, saying why";
}

}  // namespace
}  // namespace intercom::testing
