#include "nats_cluster.hpp"

#include <fstream>
#include <stdexcept>

namespace intercom::testing {

NatsCluster::NatsCluster(int nodes) {
  std::vector<int> route_ports;
  for (int node = 0; node < nodes; ++node) {
    mqtt_ports_.push_back(free_loopback_port());
    route_ports.push_back(free_loopback_port());
  }
  std::string routes;
  for (const int port : route_ports) routes += (routes.empty() ? "" : ", ") + std::string("nats-route://127.0.0.1:") + std::to_string(port);
  for (int node = 0; node < nodes; ++node) {
    const auto name = "n" + std::to_string(node);
    const auto config = directory_.path() / (name + ".conf");
    std::ofstream(config) << "server_name: " << name << "\n"
                          << "listen: 127.0.0.1:" << free_loopback_port() << "\n"
                          << "jetstream { store_dir: \"" << (directory_.path() / name).string() << "\", max_memory_store: 64MB, max_file_store: 256MB }\n"
                          << "cluster { name: centre, listen: 127.0.0.1:" << route_ports[static_cast<std::size_t>(node)]
                          << ", routes: [ " << routes << " ] }\n"
                          << "mqtt { listen: 127.0.0.1:" << mqtt_ports_[static_cast<std::size_t>(node)] << " }\n";
    nodes_.push_back(std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/nats-server", "-c", config.string()},
                                                    directory_.path() / (name + ".log")));
  }
  const bool ready = eventually(
      [&] {
        bool leader = false;
        for (int node = 0; node < nodes; ++node) {
          if (!port_accepts(mqtt_port(node))) return false;
          leader = leader || log(node).find("JetStream cluster") != std::string::npos && log(node).find("leader") != std::string::npos;
        }
        return leader;
      },
      std::chrono::seconds(15));
  if (!ready) throw std::runtime_error("the NATS cluster did not form within 15 s: " + log(0));
}

NatsCluster::~NatsCluster() {
  for (auto& node : nodes_)
    if (node) node->stop();
}

std::string NatsCluster::log(int node) const { return nodes_.at(static_cast<std::size_t>(node))->log(); }

}  // namespace intercom::testing
