#include "intercom/contract/homeassistant_payloads.hpp"

#include <cstdint>

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

std::string ha_object_id(std::string_view device) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  std::string id = "intercom-io_";
  bool mapped = false;
  for (const char c : device) {
    id += allowed(c) ? c : '_';
    mapped = mapped || !allowed(c);
  }
  if (!mapped) return id;
  // FNV-1a (32 bits) of the name as given: stable across releases and machines.
  std::uint32_t hash = 2166136261u;
  for (const char c : device) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  static const char* const kHex = "0123456789abcdef";
  id += '_';
  for (int shift = 28; shift >= 0; shift -= 4) id += kHex[(hash >> shift) & 0xf];
  return id;
}

}  // namespace intercom::contract
