#include "nats_cluster.hpp"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <set>
#include <stdexcept>

namespace intercom::testing {

NatsCluster::NatsCluster(int nodes, const Security& security) {
  // Every port chosen before any node starts, and each one once: a port found free is free until
  // something binds it, so two picks can name the same one (a node then fails to bind its route).
  std::set<int> taken;
  const auto unique_port = [&taken] {
    for (;;) {
      const int port = free_loopback_port();
      if (taken.insert(port).second) return port;
    }
  };
  std::vector<int> route_ports, client_ports;
  for (int node = 0; node < nodes; ++node) {
    mqtt_ports_.push_back(unique_port());
    route_ports.push_back(unique_port());
    client_ports.push_back(unique_port());
  }
  std::string routes;
  for (const int port : route_ports) routes += (routes.empty() ? "" : ", ") + std::string("nats-route://127.0.0.1:") + std::to_string(port);
  for (int node = 0; node < nodes; ++node) {
    const auto name = "n" + std::to_string(node);
    const auto config = directory_.path() / (name + ".conf");
    std::ofstream(config) << "server_name: " << name << "\n"
                          << "listen: 127.0.0.1:" << client_ports[static_cast<std::size_t>(node)] << "\n"
                          << "jetstream { store_dir: \"" << (directory_.path() / name).string() << "\", max_memory_store: 64MB, max_file_store: 256MB }\n"
                          << "cluster { name: centre, listen: 127.0.0.1:" << route_ports[static_cast<std::size_t>(node)]
                          << ", routes: [ " << routes << " ] }\n"
                          << "mqtt { listen: 127.0.0.1:" << mqtt_ports_[static_cast<std::size_t>(node)];
    if (!security.certificate_file.empty())
      std::ofstream(config, std::ios::app) << ", tls { cert_file: \"" << security.certificate_file.string() << "\", key_file: \""
                                            << security.key_file.string() << "\" }";
    std::ofstream(config, std::ios::app) << " }\n";
    if (!security.users.empty()) {
      std::ofstream out(config, std::ios::app);
      out << "authorization { users = [\n";
      for (const auto& [user, password] : security.users) out << "  { user: \"" << user << "\", password: \"" << password << "\" }\n";
      out << "] }\n";
    }
    configs_.push_back(config);
    nodes_.emplace_back();
    launch(node);
  }
  if (!wait_ready(std::chrono::seconds(15))) throw std::runtime_error("the NATS cluster did not form within 15 s: " + log(0));
}

void NatsCluster::launch(int node) {
  const auto index = static_cast<std::size_t>(node);
  log_offsets_.resize(nodes_.size());
  log_offsets_[index] = nodes_[index] ? nodes_[index]->log().size() : 0;
  nodes_[index] = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/nats-server", "-c", configs_[index].string()},
                                                 directory_.path() / ("n" + std::to_string(node) + ".log"));
}

void NatsCluster::stop(int node, bool kill) {
  auto& process = *nodes_.at(static_cast<std::size_t>(node));
  if (kill) {
    process.signal(SIGKILL);
    process.wait_exit(std::chrono::seconds(5));
  } else {
    process.stop();
  }
}

void NatsCluster::start(int node) { launch(node); }

bool NatsCluster::wait_ready(std::chrono::milliseconds timeout) {
  return eventually(
      [&] {
        bool leader = false;
        for (std::size_t node = 0; node < nodes_.size(); ++node) {
          if (!port_accepts(mqtt_port(static_cast<int>(node)))) return false;
          // The log is appended across restarts: what counts is a leader elected since the last launch.
          const auto text = log(static_cast<int>(node)).substr(std::min(log_offsets_[node], log(static_cast<int>(node)).size()));
          leader = leader || (text.find("JetStream cluster") != std::string::npos && text.find("leader") != std::string::npos);
        }
        return leader;
      },
      timeout);
}

pid_t NatsCluster::pid(int node) const { return nodes_.at(static_cast<std::size_t>(node))->pid(); }

NatsCluster::~NatsCluster() {
  for (auto& node : nodes_)
    if (node) node->stop();
}

std::string NatsCluster::log(int node) const { return nodes_.at(static_cast<std::size_t>(node))->log(); }

}  // namespace intercom::testing
