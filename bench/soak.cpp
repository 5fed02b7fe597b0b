// A soak run: every service of the device (gpio, rules, telephony on the simulated line, sms with a
// simulated modem, web) on one broker, driven for DURATION seconds as a busy door is: a contact
// that opens and closes five times a second, an output pulsed every second, a call every 3 s
// (rung, auto-answered, the code 1234# keyed, hung up), a text with an alert every 10 s. Every
// SAMPLE seconds each service's resident memory, open descriptors and CPU are printed; at the end
// the growth from the first sample after the warm-up to the last, and whether any service ended,
// with JSON of the same on the last line. It fails (exit 1) if a service ended or errors appeared.
//
// `soak linkage EVENTS RATE` is the long run of the product's core path instead: EVENTS input
// edges at RATE a second through gpio (debounce 0) and rules (while_input in1 → out1 on), each one
// counted when out1's level moves at the simulated chip: none may be lost, and gpio's and rules'
// memory is sampled every 10 % of the way.
//
// Usage: soak [DURATION_S] [SAMPLE_S]   (defaults 600 60)
//        soak linkage [EVENTS] [RATE]   (defaults 1000000 1500)
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "bus_probe.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"
#include "threaded_pty_modem.hpp"

namespace intercom::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using nlohmann::json;

struct Sample {
  double rss_mb = 0;
  int descriptors = 0;
  double cpu_s = 0;
};

Sample sample(pid_t pid) {
  Sample result;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) result.rss_mb = std::stod(line.substr(6)) / 1024.0;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ignored)) {
    (void)entry;
    ++result.descriptors;
  }
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  long long ticks = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14 || index == 15) ticks += std::stoll(field);
    if (index == 15) break;
  }
  result.cpu_s = static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return result;
}

int run(int duration_s, int sample_s) {
  TestBroker broker;
  BusProbe probe(broker, "soak-probe");
  probe.subscribe("intercom/#");
  ThreadedPtyModem modem{broker.directory() / "modem.tty"};
  std::map<std::string, std::unique_ptr<ServiceProcess>> services;
  services["gpio"] = std::make_unique<GpioProcess>(broker, "d1");
  services["rules"] = std::make_unique<ServiceProcess>(broker, "rules", "d1", shipped_config("rules"));
  services["telephony"] = std::make_unique<ServiceProcess>(broker, "telephony", "d1", shipped_config("telephony"));
  services["sms"] = std::make_unique<ServiceProcess>(broker, "sms", "d1", json::parse(R"({
      "trust": {"gsm": ["+4915112345678"]},
      "aliases": {"alarm-server": ["+4915199999999"]},
      "outbox": {"state_dir": "sms-state", "retry_min_s": 1, "retry_max_s": 2},
      "modem": {"device": "modem.tty", "keepalive_s": 5}})"));
  services["web"] = std::make_unique<ServiceProcess>(
      broker, "web", "d1", json{{"listen", {{"address", "127.0.0.1"}, {"port", 0}}}, {"credentials_file", "web-password.hash"}, {"hash_cost", "minimum"}});
  for (const auto& [name, process] : services)
    if (!probe.wait_for(service_online("intercom/d1", name), 10s)) throw std::runtime_error(name + " did not come online");

  std::printf("soak: %d s, a sample every %d s; gpio, rules, telephony (simulated line), sms (simulated modem), web\n", duration_s, sample_s);
  std::printf("%8s", "t (s)");
  for (const auto& [name, process] : services) std::printf("  %-24s", (name + " MB/fds/cpu s").c_str());
  std::printf("\n");

  std::map<std::string, Sample> first, last;
  std::map<std::string, std::size_t> counts;
  std::size_t errors = 0;
  const auto started = Clock::now();
  auto next_sample = started + 10s;  // after a warm-up
  bool sampled = false;
  for (long tick = 0; Clock::now() - started < std::chrono::seconds(duration_s); ++tick) {
    std::this_thread::sleep_until(started + tick * 100ms);
    if (tick % 2 == 0) probe.publish("intercom/d1/sim/input/in1/level", tick % 4 == 0 ? R"({"level":"low"})" : R"({"level":"high"})");
    if (tick % 10 == 5) probe.publish("intercom/d1/output/out2/set", R"({"action":"pulse","duration_ms":300,"cause":"soak"})");
    switch (tick % 30) {
      case 1: probe.publish("intercom/d1/sim/call/set", R"({"action":"ring","from":"sip:visitor@127.0.0.1"})"); break;
      case 8: probe.publish("intercom/d1/sim/call/set", R"({"action":"dtmf","digits":"1234#"})"); break;
      case 15: probe.publish("intercom/d1/sim/call/set", R"({"action":"hangup"})"); break;
    }
    if (tick % 100 == 20) modem.deliver("+4915112345678", "ALERT=OUT1_SOS");  // within sms's default rate limit
    if (tick % 20 == 0) {
      // Count what happened, and forget it: the probe must not be what grows.
      for (const auto& message : probe.take()) {
        const auto slash = message.topic.rfind('/');
        const auto kind = message.topic.substr(slash + 1);
        if (kind == "error") ++errors;
        ++counts[message.topic.substr(std::string("intercom/d1/").size())];
      }
    }
    if (Clock::now() >= next_sample) {
      next_sample += std::chrono::seconds(sample_s);
      std::printf("%8.0f", std::chrono::duration<double>(Clock::now() - started).count());
      for (const auto& [name, process] : services) {
        const auto now = sample(process->process().pid());
        if (!sampled) first[name] = now;
        last[name] = now;
        std::printf("  %6.1f %4d %8.1f      ", now.rss_mb, now.descriptors, now.cpu_s);
      }
      std::printf("\n");
      std::fflush(stdout);
      sampled = true;
    }
  }
  bool all_running = true;
  json figures{{"duration_s", duration_s}, {"errors", errors}};
  for (const auto& [name, process] : services) {
    const bool running = process->process().running();
    all_running = all_running && running;
    std::printf("%-10s %s  RSS %.1f -> %.1f MB  descriptors %d -> %d  CPU %.1f s\n", name.c_str(), running ? "running" : "ENDED",
                first[name].rss_mb, last[name].rss_mb, first[name].descriptors, last[name].descriptors, last[name].cpu_s - first[name].cpu_s);
    figures[name] = {{"running", running}, {"rss_mb", {first[name].rss_mb, last[name].rss_mb}},
                     {"descriptors", {first[name].descriptors, last[name].descriptors}}, {"cpu_s", last[name].cpu_s - first[name].cpu_s}};
  }
  const auto seen = [&](const std::string& topic) { return counts.contains(topic) ? counts[topic] : 0; };
  std::printf("messages: %zu input changes, %zu output states, %zu call states, %zu rules fired, %zu received texts, %zu sent texts; %zu error reports\n",
              seen("input/in1"), seen("output/out1") + seen("output/out2"), seen("call"), seen("rules/fired"), seen("message/received"),
              modem.sent().size(), errors);
  figures["messages"] = counts;
  std::printf("%s\n", figures.dump().c_str());
  return all_running && errors == 0 ? 0 : 1;
}

int run_linkage(long events, int rate) {
  TestBroker broker;
  BusProbe probe(broker, "soak-probe");
  probe.subscribe("intercom/d1/+/status");
  probe.subscribe("intercom/d1/+/error");
  probe.subscribe("intercom/d1/sim/output/out1/level");
  GpioProcess gpio(broker, "d1", json::parse(R"({"backend":"simulated",
      "inputs":[{"name":"in1","line":{"chip":"sim","offset":0},"trigger":"low","debounce_ms":0}],
      "outputs":[{"name":"out1","line":{"chip":"sim","offset":8}}]})"));
  ServiceProcess rules(broker, "rules", "d1", json::parse(R"({"rules":[
      {"id":"follow","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out1","action":"on"}]}]})"));
  for (const auto* service : {"gpio", "rules"})
    if (!probe.wait_for(service_online("intercom/d1", service), 10s)) throw std::runtime_error(std::string(service) + " did not come online");
  // The contact open (high) before the first edge, whatever the simulated line started at.
  probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"high"})");
  std::this_thread::sleep_for(500ms);
  probe.clear();
  std::printf("soak linkage: %ld input edges at %d a second through gpio and rules\n", events, rate);
  std::printf("%10s %12s %12s %10s %10s\n", "edges", "levels seen", "errors", "gpio MB", "rules MB");
  std::size_t levels = 0, errors = 0;
  const auto collect = [&] {
    for (const auto& message : probe.take()) {
      if (message.topic == "intercom/d1/sim/output/out1/level") ++levels;  // the replay at subscribe was cleared
      if (message.topic.ends_with("/error")) ++errors;
    }
  };
  const auto first_gpio = sample(gpio.process().pid()), first_rules = sample(rules.process().pid());
  const auto started = Clock::now();
  const auto period = std::chrono::nanoseconds(1'000'000'000 / rate);
  for (long i = 0; i < events; ++i) {
    std::this_thread::sleep_until(started + i * period);
    // Edges alternate, so each one moves out1: low (active) holds it on, high lets it go.
    probe.publish("intercom/d1/sim/input/in1/level", i % 2 == 0 ? R"({"level":"low"})" : R"({"level":"high"})");
    if (i % 10000 == 9999) collect();
    if ((i + 1) % (events / 10) == 0) {
      std::printf("%10ld %12zu %12zu %10.1f %10.1f\n", i + 1, levels, errors, sample(gpio.process().pid()).rss_mb,
                  sample(rules.process().pid()).rss_mb);
      std::fflush(stdout);
    }
  }
  const auto sent_in = Clock::now() - started;
  const auto deadline = Clock::now() + 30s;
  while (levels < static_cast<std::size_t>(events) && Clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    collect();
  }
  const auto last_gpio = sample(gpio.process().pid()), last_rules = sample(rules.process().pid());
  const bool running = gpio.process().running() && rules.process().running();
  std::printf("sent in %.0f s; out1 moved %zu times for %ld edges (%ld lost); %zu error reports; gpio %.1f -> %.1f MB, rules %.1f -> %.1f MB; CPU gpio %.0f s, rules %.0f s; %s\n",
              std::chrono::duration<double>(sent_in).count(), levels, events, events - static_cast<long>(levels), errors, first_gpio.rss_mb,
              last_gpio.rss_mb, first_rules.rss_mb, last_rules.rss_mb, last_gpio.cpu_s - first_gpio.cpu_s, last_rules.cpu_s - first_rules.cpu_s,
              running ? "both running" : "A SERVICE ENDED");
  std::printf("%s\n", json{{"events", events}, {"rate", rate}, {"levels", levels}, {"errors", errors},
                           {"gpio_rss_mb", {first_gpio.rss_mb, last_gpio.rss_mb}}, {"rules_rss_mb", {first_rules.rss_mb, last_rules.rss_mb}},
                           {"running", running}}.dump().c_str());
  return running && errors == 0 && levels == static_cast<std::size_t>(events) ? 0 : 1;
}

}  // namespace
}  // namespace intercom::testing

int main(int argc, char** argv) {
  try {
    if (argc > 1 && std::string(argv[1]) == "linkage")
      return intercom::testing::run_linkage(argc > 2 ? std::stol(argv[2]) : 1000000, argc > 3 ? std::stoi(argv[3]) : 1500);
    return intercom::testing::run(argc > 1 ? std::stoi(argv[1]) : 600, argc > 2 ? std::stoi(argv[2]) : 60);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "soak: %s\n", error.what());
    return 1;
  }
}
