// Commands queued for an absent service: the persistent session keeps them, and they expire.
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
  void send_pulse(std::chrono::seconds expiry, const std::string& request_id) {
    InProcessBus rules(broker, "rules", expiry);
    ASSERT_TRUE(eventually([&] { return rules.connected(); }, 5s));
    rules.loop().run([&] {
      rules.bus().publish(topic::output_command, {.name = "out1"},
                          {{"action", "pulse"}, {"duration_ms", 200}, {"request_id", request_id}});
    });
    ASSERT_TRUE(probe.wait_for(on_topic("intercom/d1/output/out1/set"), 5s));
  }
  bool applied(const std::string& request_id, std::chrono::milliseconds timeout) {
    return probe.wait_for(on_topic_where("intercom/d1/output/out1", [&](const auto& s) { return s.value("request_id", "") == request_id; }), timeout)
        .has_value();
  }
};

TEST_F(CommandExpiryTest, ACommandQueuedForAnAbsentServiceIsDeliveredWhenItReturns) {
  auto gpio = gpio_gone_away();
  send_pulse(30s, "queued");
  gpio->restart();
  EXPECT_TRUE(applied("queued", 10s)) << gpio->process().log();
}

TEST_F(CommandExpiryTest, AnExpiredCommandIsNeverCarriedOut) {
  auto gpio = gpio_gone_away();
  send_pulse(1s, "stale");
  std::this_thread::sleep_for(2200ms);
  gpio->restart();
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 10s));
  EXPECT_FALSE(applied("stale", 1500ms)) << gpio->process().log();
}

}  // namespace
}  // namespace intercom::testing
