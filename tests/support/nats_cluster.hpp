#pragma once
/// A real clustered MQTT service for fleet tests: three nats-server nodes (Debian's nats-server, its
/// MQTT listener on JetStream) clustered on loopback, on free ports, in a temporary directory.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {

class NatsCluster {
 public:
  /// Starts the nodes and waits (bounded) until each takes MQTT clients and JetStream has a leader.
  explicit NatsCluster(int nodes = 3);
  ~NatsCluster();
  NatsCluster(const NatsCluster&) = delete;
  NatsCluster& operator=(const NatsCluster&) = delete;

  int mqtt_port(int node) const { return mqtt_ports_.at(static_cast<std::size_t>(node)); }
  std::string mqtt_uri(int node) const { return "tcp://127.0.0.1:" + std::to_string(mqtt_port(node)); }
  std::string log(int node) const;

 private:
  TemporaryDirectory directory_;
  std::vector<int> mqtt_ports_;
  std::vector<std::unique_ptr<ChildProcess>> nodes_;
};

}  // namespace intercom::testing
