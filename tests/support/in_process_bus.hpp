#pragma once
/// A Bus of one service, in the test's process, on its own loop thread, connected to a TestBroker
/// with that service's credentials: for tests of the adapter itself and of a service class built
/// in-process (with fakes handed in).
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "intercom/bus/bus.hpp"
#include "intercom/contract/schema.hpp"
#include "loop_thread.hpp"
#include "test_broker.hpp"

namespace intercom::testing {

class InProcessBus {
 public:
  /// Connects at once unless `start_now` is false: a test that builds a service on the bus after
  /// this constructor starts it with start(), so that the service's subscriptions are sent before
  /// its online status (a test that waits for the status and then sends would race them otherwise).
  /// `adjust` changes the settings before the bus is built (say, a smaller outbox).
  InProcessBus(const TestBroker& broker, const std::string& service,
               std::chrono::seconds command_expiry = std::chrono::seconds(30), bool start_now = true,
               const std::function<void(BusSettings&)>& adjust = {});
  void start();
  /// Stops the bus (offline status, disconnect) and the loop.
  ~InProcessBus();

  LoopThread& loop() { return loop_; }
  Bus& bus() { return *bus_; }
  const SchemaSet& schemas() const { return schemas_; }
  std::shared_ptr<spdlog::logger> log() const { return log_; }
  bool connected();

  /// Runs stop on the bus's loop before the bus stops (say, to stop a service built on it), and
  /// destroy once the bus has stopped dispatching, before it is destroyed (to destroy that service:
  /// its handlers are the bus's until then).
  void on_teardown(std::function<void()> stop, std::function<void()> destroy) {
    stop_parts_ = std::move(stop);
    destroy_parts_ = std::move(destroy);
  }

 private:
  SchemaSet schemas_;
  std::shared_ptr<spdlog::logger> log_;
  std::function<void()> stop_parts_;
  std::function<void()> destroy_parts_;
  LoopThread loop_;  ///< after the schemas and the log, which it uses; before the bus, which runs on it
  std::unique_ptr<Bus> bus_;
};

}  // namespace intercom::testing
