#include "intercom/bus/availability.hpp"

namespace intercom {

Availability::Availability(std::string status_topic, std::string version, std::string started_at)
    : topic_(std::move(status_topic)), version_(std::move(version)), started_at_(std::move(started_at)) {}

nlohmann::json Availability::online() const {
  return {{"state", "online"}, {"version", version_}, {"started_at", started_at_}};
}

nlohmann::json Availability::shut_down(const std::string& at) const {
  return {{"state", "offline"}, {"reason", "shutdown"}, {"at", at}};
}

// No time in it: the broker sends it as it was handed over at connect, perhaps hours later.
nlohmann::json Availability::last_will() const { return {{"state", "offline"}, {"reason", "connection-lost"}}; }

}  // namespace intercom
