#pragma once
/// A real clustered MQTT service for fleet tests: three nats-server nodes (Debian's nats-server, its
/// MQTT listener on JetStream) clustered on loopback, on free ports, in a temporary directory.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {

class NatsCluster {
 public:
  /// TLS on the MQTT listeners and users that must log in (none of either by default).
  struct Security {
    std::filesystem::path certificate_file;  ///< PEM; empty: no TLS
    std::filesystem::path key_file;
    std::vector<std::pair<std::string, std::string>> users;  ///< user, password; empty: anyone
  };

  /// Starts the nodes and waits (bounded) until each takes MQTT clients and JetStream has a leader.
  explicit NatsCluster(int nodes = 3, const Security& security = {});
  ~NatsCluster();
  NatsCluster(const NatsCluster&) = delete;
  NatsCluster& operator=(const NatsCluster&) = delete;

  int mqtt_port(int node) const { return mqtt_ports_.at(static_cast<std::size_t>(node)); }
  std::string mqtt_uri(int node) const { return "tcp://127.0.0.1:" + std::to_string(mqtt_port(node)); }
  std::string log(int node) const;
  pid_t pid(int node) const;

  /// Stops a node (SIGTERM, or SIGKILL if `kill`); its JetStream store stays for start().
  void stop(int node, bool kill = false);
  /// Starts a stopped node again, on the same ports with the same store.
  void start(int node);
  /// True once every node takes MQTT clients and JetStream has elected a leader since the nodes'
  /// last launch (start() every node first after stopping them all), within the timeout.
  bool wait_ready(std::chrono::milliseconds timeout);

 private:
  void launch(int node);
  TemporaryDirectory directory_;
  std::vector<std::filesystem::path> configs_;
  std::vector<std::size_t> log_offsets_;  ///< each node's log size at its last launch
  std::vector<int> mqtt_ports_;
  std::vector<std::unique_ptr<ChildProcess>> nodes_;
};

}  // namespace intercom::testing
