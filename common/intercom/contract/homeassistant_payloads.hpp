#pragma once
/// Home Assistant's side of the contract: its birth and last will, and the device discovery message
/// this device retains for it (schemas/homeassistant/).
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

/// Home Assistant's birth and last will on <prefix>/status: "online" or "offline", as plain text.
struct HaStatus {
  static constexpr const TopicSpec& spec = topic::ha_status;
  std::string state;  ///< online | offline
  bool online() const { return state == "online"; }
  bool operator==(const HaStatus&) const = default;
};
void to_json(nlohmann::json& json, const HaStatus& value);
void from_json(const nlohmann::json& json, HaStatus& value);

/// One device discovery message (retained): the device, where it comes from, and its entities.
/// The entities are Home Assistant's own vocabulary (its components/mqtt decides what a key means),
/// so they stay JSON objects built by services/discovery/device_discovery.cpp.
struct DeviceDiscovery {
  static constexpr const TopicSpec& spec = topic::ha_device_discovery;
  nlohmann::json device;      ///< identifiers, name, model, configuration_url, ...
  nlohmann::json origin;      ///< name, sw_version, support_url
  nlohmann::json components;  ///< entity key -> entity, or a removal ({"platform": ...} alone)
  std::optional<nlohmann::json> availability;  ///< the topics every entity shares
  std::optional<std::string> availability_mode;  ///< all | any | latest
  std::optional<std::string> command_topic;
  std::optional<std::string> state_topic;
  std::optional<int> qos;
  std::optional<std::string> encoding;
  bool operator==(const DeviceDiscovery&) const = default;
};
void to_json(nlohmann::json& json, const DeviceDiscovery& value);
void from_json(const nlohmann::json& json, DeviceDiscovery& value);

/// The object id of a device's discovery topic (<prefix>/device/<object id>/config), which is also
/// its identifier in Home Assistant: "intercom-io_<device>". Home Assistant drops a discovery topic
/// whose object id has a character other than a-z, A-Z, 0-9, _ and - (its TOPIC_MATCHER), and the
/// device with it; a device name with another one (a ".", which the bus allows) has each such
/// character made "_" and a hash of the whole name appended, so that "door.1" and "door_1" stay two
/// devices. A name without one is kept as it is.
std::string ha_object_id(std::string_view device);

}  // namespace intercom::contract
