// A flood of commands, then one that matters: how long until a subscriber sees the door open?
//
//   floor  a bare libmosquitto forwarder (bench/mosquitto_forwarder) between two topics: FLOOD
//          messages sent at once, then a marker; when the last of the flood and the marker come out
//   gpio   FLOOD toggles sent at once to <root>/output/out2/set (the alarm light), then a pulse of
//          the lock, <root>/output/out1/set, with request id "late": when a subscriber sees the
//          last toggle in out2's state and the pulse in out1's (issue 27's flood)
//
// Both in the same run, on the same broker (the launcher's settings), QoS 1, loopback. Printed: the
// time the broker took to accept the flood, the time until the flood was through, the rate, and
// how long after it was sent the marker (the pulse) came out. JSON of the same on the last line.
//
// Usage: command_flood [FLOOD]   (default 20000)
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include <mosquitto.h>

#include "bench_client.hpp"

#include "bus_probe.hpp"
#include "child_process.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double ms(Clock::duration duration) { return std::chrono::duration<double, std::milli>(duration).count(); }

/// Publishes the flood and the marker, and notes when results come out. libmosquitto with its own
/// network thread; unlimited messages in flight, so the driver is not what is measured.
class FloodDriver {
 public:
  /// `result_filter`: where the flood's and the marker's results come out (a filter).
  FloodDriver(const TestBroker& broker, std::string result_filter) : result_topic_(std::move(result_filter)) {
    client_ = new_bench_client(broker, "bench-flood", this);
    mosquitto_connect_callback_set(client_, [](mosquitto* client, void* self, int) {
      mosquitto_subscribe(client, nullptr, static_cast<FloodDriver*>(self)->result_topic_.c_str(), 1);
    });
    mosquitto_subscribe_callback_set(client_, [](mosquitto*, void* self, int, int, const int*) {
      static_cast<FloodDriver*>(self)->note([](FloodDriver& d) { d.subscribed_ = true; });
    });
    mosquitto_publish_callback_set(client_, [](mosquitto*, void* self, int) {
      static_cast<FloodDriver*>(self)->note([](FloodDriver& d) {
        if (++d.acknowledged_ == d.expected_acks_) d.accepted_at_ = Clock::now();
      });
    });
    mosquitto_message_callback_set(client_, [](mosquitto*, void* self, const mosquitto_message* message) {
      if (message->retain) return;
      const std::string payload(static_cast<const char*>(message->payload), static_cast<std::size_t>(message->payloadlen));
      static_cast<FloodDriver*>(self)->note([&](FloodDriver& d) {
        if (payload.find("\"late\"") != std::string::npos) d.marker_at_ = Clock::now();
        else if (payload.find(d.last_id_) != std::string::npos) d.flood_done_at_ = Clock::now();
      });
    });
    if (mosquitto_connect(client_, "127.0.0.1", broker.port(), 30) != MOSQ_ERR_SUCCESS) throw std::runtime_error("driver cannot connect");
    mosquitto_loop_start(client_);
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, std::chrono::seconds(5), [&] { return subscribed_; })) throw std::runtime_error("driver not subscribed");
  }
  ~FloodDriver() {
    mosquitto_disconnect(client_);
    mosquitto_loop_stop(client_, false);
    mosquitto_destroy(client_);
  }

  struct Result {
    double accepted_ms = 0, through_ms = 0, marker_ms = 0;
    double behind_ms = 0;  ///< from the flood's last result seen to the marker's
    bool complete = false;
  };

  Result run(const std::string& topic, int flood, const std::string& marker_topic, const std::string& marker) {
    {
      std::lock_guard lock(mutex_);
      acknowledged_ = 0;
      expected_acks_ = flood + 1;
      last_id_ = "\"f-" + std::to_string(flood - 1) + "\"";
    }
    const auto started = Clock::now();
    for (int i = 0; i < flood; ++i) {
      const auto text = json{{"action", "toggle"}, {"request_id", "f-" + std::to_string(i)}}.dump();
      mosquitto_publish(client_, nullptr, topic.c_str(), static_cast<int>(text.size()), text.data(), 1, false);
    }
    const auto marker_sent = Clock::now();
    mosquitto_publish(client_, nullptr, marker_topic.c_str(), static_cast<int>(marker.size()), marker.data(), 1, false);
    std::unique_lock lock(mutex_);
    Result result;
    result.complete = changed_.wait_for(lock, std::chrono::seconds(120), [&] { return marker_at_ && flood_done_at_ && accepted_at_; });
    if (accepted_at_) result.accepted_ms = ms(*accepted_at_ - started);
    if (flood_done_at_) result.through_ms = ms(*flood_done_at_ - started);
    if (marker_at_) result.marker_ms = ms(*marker_at_ - marker_sent);
    if (marker_at_ && flood_done_at_) result.behind_ms = ms(*marker_at_ - *flood_done_at_);
    marker_at_.reset();
    flood_done_at_.reset();
    accepted_at_.reset();
    return result;
  }

 private:
  template <typename Change>
  void note(Change change) {
    {
      std::lock_guard lock(mutex_);
      change(*this);
    }
    changed_.notify_all();
  }

  std::string result_topic_;
  mosquitto* client_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool subscribed_ = false;
  int acknowledged_ = 0;
  int expected_acks_ = 0;
  std::string last_id_;
  std::optional<Clock::time_point> accepted_at_, flood_done_at_, marker_at_;
};

void print(const char* name, int flood, const FloodDriver::Result& result) {
  std::printf("%-6s flood of %d accepted by the broker in %.0f ms, through in %.0f ms (%.0f a second); the marker %.0f ms after it was sent%s\n",
              name, flood, result.accepted_ms, result.through_ms, flood / (result.through_ms / 1000.0), result.marker_ms,
              result.complete ? "" : " (INCOMPLETE)");
}

int run(int flood) {
  TestBroker broker;
  std::printf("command_flood: %d commands at once, then one more; QoS 1, loopback, the launcher's broker settings\n", flood);

  ChildProcess forwarder({INTERCOM_BUILD_DIR "/bench/mosquitto_forwarder", std::to_string(broker.port()),
                          broker.password_file("operator").string(), "intercom/bench/flood/in", "intercom/bench/flood/out", "bench-flood-fwd"},
                         broker.directory() / "forwarder.log");
  if (!eventually([&] { return forwarder.log().find("ready") != std::string::npos; }, std::chrono::seconds(5)))
    throw std::runtime_error("the forwarder did not start: " + forwarder.log());
  FloodDriver::Result floor;
  {
    FloodDriver driver(broker, "intercom/bench/flood/out");
    floor = driver.run("intercom/bench/flood/in", flood, "intercom/bench/flood/in", R"({"action":"pulse","duration_ms":500,"request_id":"late"})");
  }
  print("floor", flood, floor);

  auto config = default_test_gpio_config();
  for (auto& input : config["inputs"]) input["debounce_ms"] = 0;
  GpioProcess gpio(broker, "d1", config);
  BusProbe probe(broker, "bench-probe");
  probe.subscribe("intercom/d1/gpio/status");
  if (!probe.wait_for(service_online("intercom/d1", "gpio"), std::chrono::seconds(10))) throw std::runtime_error("gpio not online");
  FloodDriver::Result service;
  {
    FloodDriver driver(broker, "intercom/d1/output/+");
    service = driver.run("intercom/d1/output/out2/set", flood, "intercom/d1/output/out1/set",
                         R"({"action":"pulse","duration_ms":500,"request_id":"late"})");
  }
  print("gpio", flood, service);
  std::printf("ratios the flood through %.1fx the floor's time, the marker %.1fx; the pulse seen %.0f ms after the flood's last toggle\n",
              service.through_ms / floor.through_ms, service.marker_ms / floor.marker_ms,
              service.behind_ms);
  const auto figures = [](const FloodDriver::Result& r) {
    return json{{"accepted_ms", r.accepted_ms}, {"through_ms", r.through_ms}, {"marker_ms", r.marker_ms}, {"behind_ms", r.behind_ms}, {"complete", r.complete}};
  };
  std::printf("%s\n", json{{"flood", flood}, {"floor", figures(floor)}, {"gpio", figures(service)}}.dump().c_str());
  return floor.complete && service.complete ? 0 : 1;
}

}  // namespace
}  // namespace intercom::testing

int main(int argc, char** argv) {
  try {
    return intercom::testing::run(argc > 1 ? std::stoi(argv[1]) : 20000);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "command_flood: %s\n", error.what());
    return 1;
  }
}
