#pragma once
/// The discovery service's configuration (config/discovery.json), read from a document that passed
/// its schema (schemas/config/discovery.schema.json).
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace intercom::discovery {

/// The device as Home Assistant's device registry shows it.
struct DeviceInfo {
  std::string name;
  std::string manufacturer;
  std::string model;
  std::optional<std::string> suggested_area;
  std::optional<std::string> configuration_url;
};

/// How an output appears in Home Assistant.
enum class OutputKind {
  switch_with_pulse,  ///< a switch (on/off) and a button that pulses it
  lock,               ///< the door lock: unlock pulses it, lock switches it off
};

struct DiscoveryConfig {
  std::string prefix = "homeassistant";
  DeviceInfo device;
  std::map<std::string, std::string> input_device_class;  ///< input name → binary_sensor device class
  std::map<std::string, OutputKind> output_kind;          ///< output name → kind; not listed: a switch
  /// Where the object id last published is kept, relative to the config file; empty: the default
  /// for how the service runs (discovery_service.cpp).
  std::string state_dir;
};

/// `device` is the bus's device name ("door1"), for the default device name.
DiscoveryConfig parse_discovery_config(const nlohmann::json& config, const std::string& device);

}  // namespace intercom::discovery
