#include "intercom/contract/homeassistant_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const HaStatus& value) { json = value.state; }
void from_json(const nlohmann::json& json, HaStatus& value) { json.get_to(value.state); }

void to_json(nlohmann::json& json, const DeviceDiscovery& value) {
  json = nlohmann::json::object();
  put(json, "device", value.device);
  put(json, "origin", value.origin);
  put(json, "components", value.components);
  put(json, "availability", value.availability);
  put(json, "availability_mode", value.availability_mode);
  put(json, "command_topic", value.command_topic);
  put(json, "state_topic", value.state_topic);
  put(json, "qos", value.qos);
  put(json, "encoding", value.encoding);
}

void from_json(const nlohmann::json& json, DeviceDiscovery& value) {
  take(json, "device", value.device);
  take(json, "origin", value.origin);
  take(json, "components", value.components);
  take(json, "availability", value.availability);
  take(json, "availability_mode", value.availability_mode);
  take(json, "command_topic", value.command_topic);
  take(json, "state_topic", value.state_topic);
  take(json, "qos", value.qos);
  take(json, "encoding", value.encoding);
}

}  // namespace intercom::contract
