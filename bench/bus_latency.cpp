// How long a small QoS 1 message takes through the broker, with and without Nagle's algorithm,
// and how long a command takes to become a state through the gpio service.
//
// Baseline and candidates are measured in the same run on the same machine:
//   echo round trip  the baseline: client A publishes, client B replies at once, A receives
//   gpio             operator publishes output/<name>/set, waits for the retained state
//   sms in           a text on the simulated modem (pty) until <root>/message/received: +CMTI,
//                    AT+CMGR and its answer, then one hop through the broker
//   sms out          message/send until the simulated modem has the text (AT+CMGS, prompt, text),
//                    and until message/result says delivered
//   broker nodelay   mosquitto's set_tcp_nodelay true/false
//   clients nodelay  TCP_NODELAY on the Paho sockets (bus.tcp_nodelay, what common/ does after each
//                    connect) or not, for every client in the case
//
// Usage: bus_latency [round_trips]   (default 200 per case; about 2 minutes, the slow cases dominate)
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <mqtt/async_client.h>

#include "bus_probe.hpp"
#include "threaded_pty_modem.hpp"
#include "service_process.hpp"
#include "paho_nodelay.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
  double p50, p90, p99, max;
};

Figures figures_of(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))]; };
  return {at(0.50), at(0.90), at(0.99), samples.back()};
}

void print(const std::string& name, const Figures& f) {
  std::printf("%-58s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms\n", name.c_str(), f.p50, f.p90, f.p99, f.max);
  std::fflush(stdout);
}

/// A receiver that wakes the measuring thread on each message.
class Waiter {
 public:
  void arrived() {
    {
      std::lock_guard lock(mutex_);
      ++count_;
    }
    cv_.notify_one();
  }
  bool wait_for_count(int count) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(5), [&] { return count_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int count_ = 0;
};

std::unique_ptr<mqtt::async_client> connect_operator(const TestBroker& broker, const std::string& id) {
  auto client = std::make_unique<mqtt::async_client>(broker.uri(), id, mqtt::create_options(MQTTVERSION_5), nullptr);
  mqtt::connect_options options;
  options.set_mqtt_version(MQTTVERSION_5);
  options.set_user_name("operator");
  options.set_password(broker.password("operator"));
  client->connect(options)->wait();
  return client;
}

/// A request answered by an echo client: A publishes, B receives and at once publishes a reply (a
/// PUBACK and a PUBLISH back to back, the pattern that meets Nagle), A receives the reply. Both in
/// this process; one request in flight at a time, as a command is.
Figures echo_round_trip(const TestBroker& broker, bool client_nodelay, int round_trips) {
  auto requester = connect_operator(broker, "bench-requester");
  auto echo = connect_operator(broker, "bench-echo");
  Waiter waiter;
  echo->set_message_callback([&](mqtt::const_message_ptr message) {
    echo->publish("intercom/bench/reply", message->get_payload_str(), 1, false);
  });
  requester->set_message_callback([&](mqtt::const_message_ptr) { waiter.arrived(); });
  echo->subscribe("intercom/bench/request", 1)->wait();
  requester->subscribe("intercom/bench/reply", 1)->wait();
  if (client_nodelay) set_tcp_nodelay_on_sockets_to_port(broker.port());
  std::vector<double> samples;
  const std::string payload = R"({"action":"pulse","duration_ms":5000,"request_id":"bench"})";
  for (int i = 0; i < round_trips + 20; ++i) {
    const auto start = Clock::now();
    requester->publish("intercom/bench/request", payload.data(), payload.size(), 1, false);
    if (!waiter.wait_for_count(i + 1)) throw std::runtime_error("message lost");
    if (i >= 20) samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  requester->disconnect()->wait();
  echo->disconnect()->wait();
  return figures_of(samples);
}

/// A command to the gpio service until its state comes back: two hops each way through the broker.
Figures gpio_round_trip(const TestBroker& broker, bool nodelay, int round_trips) {
  auto config = default_test_gpio_config();
  config["bus"] = {{"tcp_nodelay", nodelay}};
  GpioProcess gpio(broker, "bench", config);
  auto client = connect_operator(broker, "bench-operator");
  std::mutex mutex;
  std::condition_variable cv;
  std::string last_request;
  bool online = false;
  client->set_message_callback([&](mqtt::const_message_ptr message) {
    const auto state = nlohmann::json::parse(message->get_payload_str(), nullptr, false);
    if (!state.is_discarded() && message->get_topic() == "intercom/bench/gpio/status" && state.value("state", "") == "online") {
      {
        std::lock_guard lock(mutex);
        online = true;
      }
      cv.notify_one();
    }
    if (state.is_discarded() || !state.contains("request_id")) return;
    {
      std::lock_guard lock(mutex);
      last_request = state["request_id"].get<std::string>();
    }
    cv.notify_one();
  });
  client->subscribe("intercom/bench/output/out1", 1)->wait();
  client->subscribe("intercom/bench/gpio/status", 1)->wait();
  {
    // Online is published after the service's subscriptions: a command sent before could be lost.
    std::unique_lock lock(mutex);
    if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return online; })) throw std::runtime_error("gpio did not come online");
  }
  if (nodelay) set_tcp_nodelay_on_sockets_to_port(broker.port());
  std::vector<double> samples;
  for (int i = 0; i < round_trips + 20; ++i) {
    const auto id = "b" + std::to_string(i);
    const auto payload = nlohmann::json{{"action", "toggle"}, {"request_id", id}}.dump();
    const auto start = Clock::now();
    client->publish("intercom/bench/output/out1/set", payload.data(), payload.size(), 1, false);
    std::unique_lock lock(mutex);
    if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return last_request == id; }))
      throw std::runtime_error("state lost");
    if (i >= 20) samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  client->disconnect()->wait();
  return figures_of(samples);
}

/// The sms service on the simulated modem, both ways; nodelay everywhere (the shipped setting).
void sms_round_trips(const TestBroker& broker, int round_trips) {
  ThreadedPtyModem modem(broker.directory() / "bench-modem.tty");
  ServiceProcess service(broker, "sms", "bench", nlohmann::json::parse(R"({
    "incoming": {"rate_limit_messages": 1000000, "duplicate_window_s": 0},
    "outbox": {"state_dir": "bench-sms-state"},
    "modem": {"device": "bench-modem.tty"}})"));
  auto client = connect_operator(broker, "bench-sms-operator");  // not "bench-sms": the service's own id
  std::mutex mutex;
  std::condition_variable cv;
  std::string last_received, last_result, last_sent;
  const auto notify = [&](std::string& slot, std::string value) {
    {
      std::lock_guard lock(mutex);
      slot = std::move(value);
    }
    cv.notify_one();
  };
  client->set_message_callback([&](mqtt::const_message_ptr message) {
    const auto payload = nlohmann::json::parse(message->get_payload_str(), nullptr, false);
    if (payload.is_discarded()) return;
    if (message->get_topic() == "intercom/bench/message/received") notify(last_received, payload.value("text", ""));
    if (message->get_topic() == "intercom/bench/message/result" && payload.value("state", "") == "delivered")
      notify(last_result, payload.value("request_id", ""));
    if (message->get_topic() == "intercom/bench/sms/modem" && payload.value("state", "") == "ready") notify(last_received, "ready");
  });
  modem.on_sent([&](const sms::ModemSimulator::SentSms& sent) { notify(last_sent, sent.text); });
  client->subscribe("intercom/bench/#", 1)->wait();
  set_tcp_nodelay_on_sockets_to_port(broker.port());
  const auto wait_until = [&](const std::string& slot, const std::string& value) {
    std::unique_lock lock(mutex);
    if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return slot == value; }))
      throw std::runtime_error("sms: lost " + value + "\n" + service.process().log());
  };
  wait_until(last_received, "ready");
  std::vector<double> in, out_sent, out_result;
  for (int i = 0; i < round_trips + 20; ++i) {
    const auto text = "ALERT=BENCH_" + std::to_string(i);
    auto start = Clock::now();
    modem.deliver("+4915112345678", text);
    wait_until(last_received, text);
    if (i >= 20) in.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());

    const auto id = "s" + std::to_string(i);
    const auto command = nlohmann::json{{"to", "+4915199999999"}, {"text", text}, {"request_id", id}}.dump();
    start = Clock::now();
    client->publish("intercom/bench/message/send", command.data(), command.size(), 1, false);
    wait_until(last_sent, text);
    const auto sent_at = Clock::now();
    wait_until(last_result, id);
    if (i >= 20) {
      out_sent.push_back(std::chrono::duration<double, std::milli>(sent_at - start).count());
      out_result.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
  }
  client->disconnect()->wait();
  print("sms in: modem text -> message/received", figures_of(in));
  print("sms out: message/send -> text at the modem", figures_of(out_sent));
  print("sms out: message/send -> message/result delivered", figures_of(out_result));
}

/// Rewrites the broker's set_tcp_nodelay and restarts it.
void set_broker_nodelay(TestBroker& broker, bool on) {
  const auto file = broker.directory() / "mosquitto.conf";
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  const auto updated = std::regex_replace(text.str(), std::regex("set_tcp_nodelay (true|false)"),
                                          std::string("set_tcp_nodelay ") + (on ? "true" : "false"));
  std::ofstream(file) << updated;
  broker.stop();
  broker.start();
}

}  // namespace
}  // namespace intercom::testing

int main(int argc, char** argv) {
  using namespace intercom::testing;
  const int round_trips = argc > 1 ? std::stoi(argv[1]) : 200;
  TestBroker broker;
  std::printf("bus_latency: %d QoS 1 round trips per case, 20 warm-up, loopback, this machine\n\n", round_trips);
  for (const bool broker_nodelay : {false, true}) {
    set_broker_nodelay(broker, broker_nodelay);
    const std::string broker_label = broker_nodelay ? "broker nodelay on, " : "broker nodelay off,";
    for (const bool client_nodelay : {false, true})
      print("echo round trip, " + broker_label + " clients " + (client_nodelay ? "on " : "off"),
            echo_round_trip(broker, client_nodelay, round_trips));
    for (const bool client_nodelay : {false, true})
      print("gpio command->state, " + broker_label + " clients " + (client_nodelay ? "on " : "off"),
            gpio_round_trip(broker, client_nodelay, round_trips));
    std::printf("\n");
  }
  sms_round_trips(broker, round_trips);
  return 0;
}
