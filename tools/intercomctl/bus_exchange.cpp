#include "bus_exchange.hpp"

#include <iostream>
#include <random>

#include "intercom/contract/service_payloads.hpp"

namespace intercom::ctl {

using namespace std::chrono_literals;

std::string root_of(const BusSettings& settings) { return "intercom/" + settings.device; }

std::string request_id() {
  static std::mt19937_64 random(std::random_device{}());
  return "ctl-" + std::to_string(random() % 1000000000);
}

int on_the_bus(const BusSettings& settings, const Output& output, const std::function<int(BusClient&)>& use) {
  try {
    BusClient bus(settings, output.timeout);
    return use(bus);
  } catch (const std::exception& error) {
    std::cerr << "intercomctl: " << error.what() << "\n";
    return 2;
  }
}

std::optional<std::string> offline(BusClient& bus, const std::string& root, const std::string& service) {
  bus.subscribe(root + "/" + service + "/status");
  const auto status = bus.wait_for([&](const Received& m) { return m.topic == root + "/" + service + "/status"; }, 1s);
  if (!status) return service + " has never been online on this bus (device \"" + root.substr(9) + "\"?)";
  if (const auto payload = read_as<contract::ServiceStatus>(*status); payload && payload->state == "online") return std::nullopt;
  return service + " is offline";
}

std::optional<std::string> refusal_in(const Received& message, const std::string& error_topic, const std::string& topic) {
  if (message.topic != error_topic) return std::nullopt;
  const auto error = read_as<contract::ServiceError>(message);
  if (!error || error->topic != topic) return std::nullopt;
  return error->kind + ": " + error->reason;
}

}  // namespace intercom::ctl
