#include "device_model.hpp"

namespace intercom::web {

using nlohmann::json;

json DeviceModel::put_state(const std::string& section, const std::string& name, const json& payload) {
  if (name.empty()) states_[section] = payload;
  else states_[section][name] = payload;
  return {{"type", "state"}, {"section", section}, {"name", name}, {"payload", payload}};
}

json DeviceModel::add_event(const std::string& section, const json& payload) {
  auto& list = events_[section];
  if (!list.is_array()) list = json::array();
  list.insert(list.begin(), payload);
  if (list.size() > history_) list.erase(list.begin() + static_cast<std::ptrdiff_t>(history_), list.end());
  return {{"type", "event"}, {"section", section}, {"payload", payload}};
}

const json* DeviceModel::config_of(const std::string& service) const {
  const auto configs = states_.find("configs");
  if (configs == states_.end()) return nullptr;
  const auto found = configs->find(service);
  if (found == configs->end()) return nullptr;
  const auto config = found->find("config");
  return config == found->end() ? nullptr : &*config;
}

bool DeviceModel::online(const std::string& service) const {
  const auto services = states_.find("services");
  if (services == states_.end()) return false;
  const auto status = services->find(service);
  return status != services->end() && status->value("state", "") == "online";
}

std::map<std::string, json> DeviceModel::configs() const {
  std::map<std::string, json> configs;
  if (const auto found = states_.find("configs"); found != states_.end())
    for (const auto& [service, state] : found->items())
      if (state.contains("config")) configs[service] = state["config"];
  return configs;
}

json DeviceModel::snapshot() const {
  json snapshot{{"type", "snapshot"}};
  for (const auto& [section, value] : states_.items())
    if (section != "configs") snapshot[section] = value;
  for (const auto& [section, value] : events_.items()) snapshot[section] = value;
  // The page reads settings through the API; revisions here tell it when they changed.
  snapshot["revisions"] = revisions();
  return snapshot;
}

json DeviceModel::revisions() const {
  json revisions = json::object();
  if (const auto configs = states_.find("configs"); configs != states_.end())
    for (const auto& [service, state] : configs->items()) revisions[service] = state.value("revision", 0);
  return revisions;
}

}  // namespace intercom::web
