// The product's core path measured from outside, against its floor in the same run.
//
//   floor    a bare chain of three Paho forwarders (bench/forwarder): driver → fwd → fwd → fwd →
//            driver, four broker hops, nothing else
//   linkage  an input edge at the simulated chip (<root>/sim/input/in1/level) until the output
//            level at the simulated chip (<root>/sim/output/out1/level): driver → gpio → rules →
//            gpio → driver, the same four hops, with gpio (debounce 0) and rules (one rule,
//            while_input in1 → out1 on)
//
// Each runs EDGES events at a steady RATE per second; printed: p50, p90, p99, max of the latency,
// CPU per 1,000 events of each process (utime + stime from /proc), resident memory after the run,
// and the ratios to the floor. JSON of the same figures on the last line.
//
// Usage: linkage [EDGES] [RATE]   (defaults 10000 500: about 20 s a case)
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <mqtt/async_client.h>

#include "bus_probe.hpp"
#include "child_process.hpp"
#include "intercom/tcp_nodelay.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Figures {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

Figures figures_of(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))]; };
  return {at(0.50), at(0.90), at(0.99), samples.back()};
}

/// CPU seconds (user + system) a process has used so far.
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) utime = std::stoll(field);
    if (index == 15) {
      stime = std::stoll(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double rss_mb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

/// The driver: publishes one message per event at a steady rate, and notes when each result arrives.
class Driver {
 public:
  Driver(const TestBroker& broker, const std::string& result_topic) : client_(broker.uri(), "bench-driver", mqtt::create_options(MQTTVERSION_5), nullptr) {
    client_.set_message_callback([this](mqtt::const_message_ptr message) {
      if (message->is_retained()) return;  // a replay at subscribe time, not a result
      {
        std::lock_guard lock(mutex_);
        arrivals_.push_back(Clock::now());
      }
      arrived_.notify_one();
    });
    mqtt::connect_options options;
    options.set_mqtt_version(MQTTVERSION_5);
    options.set_user_name("operator");
    options.set_password(broker.password("operator"));
    options.set_max_inflight(65535);
    client_.connect(options)->wait();
    client_.subscribe(result_topic, 1)->wait();
    set_tcp_nodelay_on_sockets_to_port(broker.port());
  }
  ~Driver() { client_.disconnect()->wait(); }

  /// Sends count events at rate per second (payload(i) on topic); returns each one's latency in ms,
  /// or fewer if results were lost.
  std::vector<double> run(const std::string& topic, const std::function<std::string(int)>& payload, int count, int rate) {
    {
      std::lock_guard lock(mutex_);
      arrivals_.clear();
    }
    std::vector<Clock::time_point> sent(static_cast<std::size_t>(count));
    const auto period = std::chrono::nanoseconds(1'000'000'000LL / rate);
    const auto start = Clock::now() + std::chrono::milliseconds(50);
    for (int i = 0; i < count; ++i) {
      std::this_thread::sleep_until(start + i * period);
      sent[static_cast<std::size_t>(i)] = Clock::now();
      client_.publish(topic, payload(i), 1, false);
    }
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, std::chrono::seconds(10), [&] { return arrivals_.size() >= static_cast<std::size_t>(count); });
    std::vector<double> latencies;
    for (std::size_t i = 0; i < std::min(arrivals_.size(), sent.size()); ++i)
      latencies.push_back(std::chrono::duration<double, std::milli>(arrivals_[i] - sent[i]).count());
    return latencies;
  }

 private:
  mqtt::async_client client_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Clock::time_point> arrivals_;
};

struct Case {
  std::string name;
  Figures latency;
  std::vector<std::pair<std::string, double>> cpu_ms_per_1000;  ///< per process
  std::vector<std::pair<std::string, double>> rss_mb;
  std::size_t lost = 0;
};

void print(const Case& c) {
  std::printf("%-8s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %8.3f ms  lost %zu\n", c.name.c_str(), c.latency.p50,
              c.latency.p90, c.latency.p99, c.latency.max, c.lost);
  for (std::size_t i = 0; i < c.cpu_ms_per_1000.size(); ++i)
    std::printf("         %-12s CPU %7.1f ms per 1,000 events   RSS %6.1f MB\n", c.cpu_ms_per_1000[i].first.c_str(),
                c.cpu_ms_per_1000[i].second, c.rss_mb[i].second);
  std::fflush(stdout);
}

Case measure(const std::string& name, Driver& driver, const std::vector<std::pair<std::string, pid_t>>& processes, const std::string& topic,
             const std::function<std::string(int)>& payload, int edges, int rate) {
  driver.run(topic, payload, 200, rate);  // warm up, and leave the input where it started
  std::vector<double> before;
  for (const auto& [process, pid] : processes) before.push_back(cpu_seconds(pid));
  const auto latencies = driver.run(topic, payload, edges, rate);
  Case result{name};
  result.latency = figures_of(latencies.empty() ? std::vector<double>{0} : latencies);
  result.lost = static_cast<std::size_t>(edges) - latencies.size();
  for (std::size_t i = 0; i < processes.size(); ++i) {
    result.cpu_ms_per_1000.emplace_back(processes[i].first, (cpu_seconds(processes[i].second) - before[i]) * 1000.0 * 1000.0 / edges);
    result.rss_mb.emplace_back(processes[i].first, rss_mb(processes[i].second));
  }
  return result;
}

}  // namespace
}  // namespace intercom::testing

int main(int argc, char** argv) {
  using namespace intercom::testing;
  const int edges = argc > 1 ? std::stoi(argv[1]) : 10000;
  const int rate = argc > 2 ? std::stoi(argv[2]) : 500;
  TestBroker broker;
  std::printf("linkage: %d events at %d/s, QoS 1, loopback, the launcher's broker settings\n", edges, rate);

  Case floor;
  {
    std::vector<std::unique_ptr<ChildProcess>> forwarders;
    std::vector<std::pair<std::string, pid_t>> pids;
    for (int hop = 0; hop < 3; ++hop) {
      forwarders.push_back(std::make_unique<ChildProcess>(
          std::vector<std::string>{INTERCOM_BUILD_DIR "/bench/forwarder", broker.uri(), broker.password_file("operator").string(),
                                   "intercom/bench/chain/" + std::to_string(hop), "intercom/bench/chain/" + std::to_string(hop + 1),
                                   "bench-forwarder-" + std::to_string(hop)},
          broker.directory() / ("forwarder-" + std::to_string(hop) + ".log")));
      pids.emplace_back("forwarder " + std::to_string(hop + 1), forwarders.back()->pid());
    }
    for (auto& forwarder : forwarders)
      if (!eventually([&] { return forwarder->log().find("ready") != std::string::npos; }, std::chrono::seconds(5))) {
        std::fprintf(stderr, "a forwarder did not start: %s\n", forwarder->log().c_str());
        return 1;
      }
    Driver driver(broker, "intercom/bench/chain/3");
    floor = measure("floor", driver, pids, "intercom/bench/chain/0", [](int i) { return R"({"level":")" + std::string(i % 2 ? "high" : "low") + "\"}"; },
                    edges, rate);
    print(floor);
  }

  Case linkage;
  {
    GpioProcess gpio(broker, "bench", json::parse(R"({"backend":"simulated",
        "inputs":[{"name":"in1","line":{"chip":"sim","offset":0},"trigger":"low","debounce_ms":0}],
        "outputs":[{"name":"out1","line":{"chip":"sim","offset":8}}]})"));
    ServiceProcess rules(broker, "rules", "bench", json::parse(R"({"rules":[
        {"id":"follow","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out1","action":"on"}]}]})"));
    BusProbe probe(broker, "bench-probe");
    probe.subscribe("intercom/bench/+/status");
    for (const auto* service : {"gpio", "rules"})
      if (!probe.wait_for(service_online("intercom/bench", service), std::chrono::seconds(10))) {
        std::fprintf(stderr, "%s did not come online\n", service);
        return 1;
      }
    Driver driver(broker, "intercom/bench/sim/output/out1/level");
    // The path works: the first edges' results arrive.
    if (driver.run("intercom/bench/sim/input/in1/level", [](int i) { return R"({"level":")" + std::string(i % 2 ? "high" : "low") + "\"}"; }, 2, 10).size() < 2) {
      std::fprintf(stderr, "gpio and rules did not answer:\n%s\n%s\n", gpio.process().log().c_str(), rules.process().log().c_str());
      return 1;
    }
    linkage = measure("linkage", driver, {{"gpio", gpio.process().pid()}, {"rules", rules.process().pid()}}, "intercom/bench/sim/input/in1/level",
                      [](int i) { return R"({"level":")" + std::string(i % 2 ? "high" : "low") + "\"}"; }, edges, rate);
    print(linkage);
  }

  const double floor_cpu = floor.cpu_ms_per_1000.empty() ? 0 : floor.cpu_ms_per_1000[0].second;
  std::printf("ratios   p50 %.2fx  p99 %.2fx  (targets 1.3x, 2x)   CPU gpio %.1fx rules %.1fx a forwarder (target 3x)\n",
              linkage.latency.p50 / floor.latency.p50, linkage.latency.p99 / floor.latency.p99,
              linkage.cpu_ms_per_1000[0].second / floor_cpu, linkage.cpu_ms_per_1000[1].second / floor_cpu);
  json out{{"edges", edges}, {"rate", rate}};
  for (const auto* c : {&floor, &linkage})
    out[c->name] = {{"p50_ms", c->latency.p50}, {"p90_ms", c->latency.p90}, {"p99_ms", c->latency.p99}, {"max_ms", c->latency.max},
                    {"lost", c->lost}, {"cpu_ms_per_1000", c->cpu_ms_per_1000}, {"rss_mb", c->rss_mb}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
