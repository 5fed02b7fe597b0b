// A fleet on the clustered centre: many sites and one fleet client, through a real three-node
// nats-server cluster (its MQTT listeners, JetStream), on this machine.
//
//   sites    SITES MQTT 3.1.1 clients spread over the three nodes, as the sites' bridges connect:
//            each publishes its input state (retained, QoS 1) every INTERVAL ms, shifted so that
//            they do not all publish at once, and answers a command to its lock with the lock's
//            new state carrying the command's request id (what gpio does)
//   fleet    one client on another node than most sites: COMMANDS_PER_S commands to random sites,
//            each answered state timed (the command's round trip through the cluster and back)
//   monitor  one client subscribed to every site's inputs: what arrives of what the sites sent
//
// Printed: connect time, messages/s in and out of the cluster, the round trip's p50/p95/p99/max,
// commands and states lost, the cluster's CPU (its processes' user+system time over the run, as a
// share of one core) and memory (VmRSS of each node at the end); JSON of the same on the last line.
//
// Usage: fleet_load [SITES] [SECONDS] [INTERVAL_MS] [COMMANDS_PER_S] [RETAINED]   (default 500 30 2000 20 1)
// RETAINED 0 sends the sites' states without the retain flag (to see what keeping them costs).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <mqtt/async_client.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include "nats_cluster.hpp"
#include "paho_nodelay.hpp"
#include "process_usage.hpp"

namespace intercom::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double ms(Clock::duration duration) { return std::chrono::duration<double, std::milli>(duration).count(); }

std::unique_ptr<mqtt::async_client> connect_client(const NatsCluster& centre, int node, const std::string& id) {
  auto client = std::make_unique<mqtt::async_client>(centre.mqtt_uri(node), id, mqtt::create_options(MQTTVERSION_3_1_1, 1000));
  return client;
}

mqtt::connect_options options_3_1_1() {
  mqtt::connect_options options;
  options.set_mqtt_version(MQTTVERSION_3_1_1);
  options.set_clean_session(true);
  options.set_keep_alive_interval(std::chrono::seconds(30));
  options.set_max_inflight(1000);
  return options;
}

double percentile(std::vector<double> values, double share) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(share * static_cast<double>(values.size())))];
}

int run(int sites, int seconds, int interval_ms, int commands_per_second, bool retained) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("fleet_load: %d sites, %d s, a %s state every %d ms per site, %d commands/s, 3 nats-server nodes\n", sites, seconds,
              retained ? "retained" : "not retained", interval_ms, commands_per_second);
  NatsCluster centre(3);
  std::vector<pid_t> nodes{centre.pid(0), centre.pid(1), centre.pid(2)};
  std::vector<double> cpu_at_start;
  const auto cluster_cpu_seconds = [&] {
    double total = 0;
    for (const auto pid : nodes) total += cpu_seconds(pid);
    return total;
  };
  const auto cluster_rss = [&] {
    double total = 0;
    for (const auto pid : nodes) total += rss_mib(pid);
    return total;
  };
  // The baseline, in the same run: the cluster idle for 5 s, with no client.
  const double idle_cpu_before = cluster_cpu_seconds();
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const double idle_cpu_percent = 100.0 * (cluster_cpu_seconds() - idle_cpu_before) / 5.0;
  const double idle_rss = cluster_rss();
  std::printf("  baseline: the idle cluster %.1f %% of one core, RSS %.0f MiB (3 nodes together)\n", idle_cpu_percent, idle_rss);

  // --- the sites -----------------------------------------------------------------------------------
  std::atomic<long> states_sent{0}, commands_answered{0};
  std::vector<std::unique_ptr<mqtt::async_client>> site_clients;
  const auto connect_started = Clock::now();
  std::vector<mqtt::token_ptr> connecting;
  for (int site = 0; site < sites; ++site) {
    // Most sites on nodes 1 and 2, the fleet client on node 0: commands and answers cross the cluster.
    auto client = connect_client(centre, 1 + site % 2, "site-" + std::to_string(site));
    auto* raw = client.get();
    client->set_message_callback([raw, site, &commands_answered](mqtt::const_message_ptr message) {
      const auto command = json::parse(message->get_payload_str(), nullptr, false);
      if (!command.is_object()) return;
      const json state{{"active", true}, {"mode", "pulse"}, {"remaining_ms", 5000}, {"since", "2026-12-01T00:00:00.000Z"},
                       {"request_id", command.value("request_id", "")}};
      raw->publish("sites/site-" + std::to_string(site) + "/intercom/door1/output/out1", state.dump(), 1, true);
      ++commands_answered;
    });
    connecting.push_back(client->connect(options_3_1_1()));
    site_clients.push_back(std::move(client));
  }
  long refused = 0;
  for (auto& token : connecting) {
    try {
      token->wait_for(std::chrono::seconds(60));
    } catch (const mqtt::exception&) {
      ++refused;
    }
  }
  // Subscriptions one at a time: each is a JetStream consumer the cluster creates; a refused one
  // (SUBACK 0x80 while JetStream is busy) is tried again.
  long subscribe_retries = 0;
  for (int site = 0; site < sites; ++site) {
    auto& client = *site_clients[static_cast<std::size_t>(site)];
    for (int attempt = 0; attempt < 5 && client.is_connected(); ++attempt) {
      try {
        client.subscribe("sites/site-" + std::to_string(site) + "/intercom/door1/output/+/set", 1)->wait_for(std::chrono::seconds(30));
        break;
      } catch (const mqtt::exception&) {
        ++subscribe_retries;
      }
    }
  }
  if (refused || subscribe_retries) std::printf("  %ld connects refused, %ld subscriptions tried again\n", refused, subscribe_retries);
  const auto connect_time = Clock::now() - connect_started;
  long connected = 0;
  for (auto& client : site_clients) connected += client->is_connected() ? 1 : 0;
  set_tcp_nodelay_on_sockets_to_port(centre.mqtt_port(1));
  set_tcp_nodelay_on_sockets_to_port(centre.mqtt_port(2));
  const double connected_rss = cluster_rss();
  std::printf("  %ld of %d sites connected and subscribed in %.0f ms; cluster RSS %.0f MiB (%.1f KiB a site over the idle cluster)\n", connected,
              sites, ms(connect_time), connected_rss, 1024.0 * (connected_rss - idle_rss) / std::max(1L, connected));

  // --- the monitor and the fleet client ------------------------------------------------------------
  std::atomic<long> states_seen{0};
  auto monitor = connect_client(centre, 0, "fleet-monitor");
  monitor->set_message_callback([&](mqtt::const_message_ptr message) {
    if (!message->is_retained()) ++states_seen;
  });
  monitor->connect(options_3_1_1())->wait();
  monitor->subscribe("sites/+/intercom/door1/input/+", 1)->wait();

  std::mutex mutex;
  std::map<std::string, Clock::time_point> sent_at;
  std::vector<double> round_trips;
  auto fleet = connect_client(centre, 0, "fleet-commands");
  fleet->set_message_callback([&](mqtt::const_message_ptr message) {
    const auto now = Clock::now();
    const auto state = json::parse(message->get_payload_str(), nullptr, false);
    if (!state.is_object() || message->is_retained()) return;
    std::lock_guard lock(mutex);
    const auto found = sent_at.find(state.value("request_id", ""));
    if (found == sent_at.end()) return;
    round_trips.push_back(ms(now - found->second));
    sent_at.erase(found);
  });
  fleet->connect(options_3_1_1())->wait();
  fleet->subscribe("sites/+/intercom/door1/output/out1", 1)->wait();
  set_tcp_nodelay_on_sockets_to_port(centre.mqtt_port(0));

  // --- the run ---------------------------------------------------------------------------------------
  for (const auto pid : nodes) cpu_at_start.push_back(cpu_seconds(pid));
  rusage driver_start{};
  getrusage(RUSAGE_SELF, &driver_start);
  const auto started = Clock::now();
  const auto ends = started + std::chrono::seconds(seconds);
  std::mt19937 random(42);
  long commands_sent = 0;
  std::vector<Clock::time_point> next_state(static_cast<std::size_t>(sites));
  for (int site = 0; site < sites; ++site)
    next_state[static_cast<std::size_t>(site)] = started + std::chrono::milliseconds(static_cast<long>(interval_ms) * site / sites);
  auto next_command = started;
  const auto command_gap = std::chrono::microseconds(1000000 / std::max(1, commands_per_second));
  long sequence = 0;
  while (Clock::now() < ends) {
    const auto now = Clock::now();
    for (int site = 0; site < sites; ++site) {
      auto& due = next_state[static_cast<std::size_t>(site)];
      if (due > now) continue;
      const json state{{"active", ++sequence % 2 == 0}, {"level", "low"}, {"since", "2026-12-01T00:00:00.000Z"}, {"seq", sequence}};
      site_clients[static_cast<std::size_t>(site)]->publish("sites/site-" + std::to_string(site) + "/intercom/door1/input/in1", state.dump(), 1, retained);
      ++states_sent;
      due += std::chrono::milliseconds(interval_ms);
    }
    while (commands_per_second > 0 && next_command <= now) {
      const auto site = std::uniform_int_distribution<int>(0, sites - 1)(random);
      const auto id = "c-" + std::to_string(++commands_sent);
      {
        std::lock_guard lock(mutex);
        sent_at[id] = Clock::now();
      }
      fleet->publish("sites/site-" + std::to_string(site) + "/intercom/door1/output/out1/set",
                     json{{"action", "pulse"}, {"request_id", id}}.dump(), 1, false);
      next_command += command_gap;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // What is still on its way gets 3 s.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  double cluster_cpu = 0;
  std::vector<double> rss;
  for (std::size_t node = 0; node < nodes.size(); ++node) {
    cluster_cpu += cpu_seconds(nodes[node]) - cpu_at_start[node];
    rss.push_back(rss_mib(nodes[node]));
  }
  rusage driver_end{};
  getrusage(RUSAGE_SELF, &driver_end);
  const auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  const double driver_cpu = tv(driver_end.ru_utime) + tv(driver_end.ru_stime) - tv(driver_start.ru_utime) - tv(driver_start.ru_stime);

  std::lock_guard lock(mutex);
  const long lost_commands = static_cast<long>(sent_at.size());
  const double messages_in = static_cast<double>(states_sent + commands_sent + commands_answered) / elapsed;
  const double messages_out = static_cast<double>(states_seen + static_cast<long>(round_trips.size()) + commands_answered) / elapsed;
  std::printf("  states: %ld sent, %ld seen by the monitor (%.2f %% lost)\n", states_sent.load(), states_seen.load(),
              states_sent ? 100.0 * static_cast<double>(states_sent - states_seen) / static_cast<double>(states_sent) : 0.0);
  std::printf("  commands: %ld sent, %ld answered by sites, %zu answers back at the fleet, %ld lost\n", commands_sent, commands_answered.load(),
              round_trips.size(), lost_commands);
  std::printf("  command round trip (fleet -> node 0 -> node 1/2 -> site -> back): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              percentile(round_trips, 0.5), percentile(round_trips, 0.95), percentile(round_trips, 0.99), percentile(round_trips, 1.0));
  std::printf("  messages into the cluster %.0f/s, out of it %.0f/s\n", messages_in, messages_out);
  std::printf("  cluster CPU %.1f %% of one core (3 nodes together), RSS %.0f + %.0f + %.0f MiB; the driver itself %.1f %% of a core\n",
              100.0 * cluster_cpu / elapsed, rss[0], rss[1], rss[2], 100.0 * driver_cpu / elapsed);
  std::printf("%s\n", json{{"sites", sites},
                           {"retained", retained},
                           {"connected", connected},
                           {"connect_ms", ms(connect_time)},
                           {"states_sent", states_sent.load()},
                           {"states_seen", states_seen.load()},
                           {"commands_sent", commands_sent},
                           {"commands_lost", lost_commands},
                           {"round_trip_ms", {{"p50", percentile(round_trips, 0.5)}, {"p95", percentile(round_trips, 0.95)},
                                              {"p99", percentile(round_trips, 0.99)}, {"max", percentile(round_trips, 1.0)}}},
                           {"messages_in_per_s", messages_in},
                           {"messages_out_per_s", messages_out},
                           {"idle_cluster_cpu_percent_of_core", idle_cpu_percent},
                           {"idle_cluster_rss_mib", idle_rss},
                           {"connected_cluster_rss_mib", connected_rss},
                           {"cluster_cpu_percent_of_core", 100.0 * cluster_cpu / elapsed},
                           {"cluster_rss_mib", rss},
                           {"driver_cpu_percent_of_core", 100.0 * driver_cpu / elapsed}}
                          .dump()
                          .c_str());
  for (auto& client : site_clients) client->disconnect()->wait_for(std::chrono::seconds(5));
  monitor->disconnect()->wait_for(std::chrono::seconds(5));
  fleet->disconnect()->wait_for(std::chrono::seconds(5));
  return lost_commands == 0 ? 0 : 1;
}

}  // namespace
}  // namespace intercom::testing

int main(int argc, char** argv) {
  const auto argument = [&](int index, int fallback) { return argc > index ? std::stoi(argv[index]) : fallback; };
  return intercom::testing::run(argument(1, 500), argument(2, 30), argument(3, 2000), argument(4, 20), argument(5, 1) != 0);
}
