// Commands queued for an absent service: the persistent session keeps them, and they expire.
#include <signal.h>

#include <future>
#include <thread>

#include <utility>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "service_process.hpp"
#include "intercom/bus.hpp"
#include "intercom/log.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

/// A Bus of service "rules" on its own io_context thread, as the rules service will run it.
class InProcessBus {
 public:
  InProcessBus(const TestBroker& broker, std::chrono::seconds command_expiry)
      : schemas_(SchemaSet::load(INTERCOM_SOURCE_DIR "/schemas")), work_(io_.get_executor()) {
    BusSettings settings;
    settings.broker_uri = broker.uri();
    settings.device = "d1";
    settings.service = "rules";
    settings.username = "rules";
    settings.password = broker.password("rules");
    settings.command_expiry = command_expiry;
    bus_ = std::make_unique<Bus>(io_, settings, schemas_, make_logger("rules-test", "warn"));
    bus_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~InProcessBus() {
    run([this] { bus_->stop([this] { work_.reset(); }); });
    thread_.join();
    bus_.reset();
  }
  template <typename Fn>
  void run(Fn fn) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }
  bool connected() {
    bool result = false;
    run([&] { result = bus_->connected(); });
    return result;
  }
  Bus& bus() { return *bus_; }

 private:
  SchemaSet schemas_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<Bus> bus_;
  std::thread thread_;
};

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
    InProcessBus rules(broker, expiry);
    ASSERT_TRUE(eventually([&] { return rules.connected(); }, 5s));
    rules.run([&] {
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
