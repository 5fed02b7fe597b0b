#pragma once
/// The sparkplug service's configuration (schemas/config/sparkplug.schema.json), read.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "intercom/bus/bus_settings.hpp"

namespace intercom::sparkplug {

struct SparkplugConfig {
  std::string group_id;
  std::string edge_node_id;
  BusSettings server;  ///< the connection to the Sparkplug server
  std::filesystem::path state_dir;
  std::uint64_t command_max_age_ms = 30000;  ///< older (or further ahead) commands are refused
  std::optional<std::string> primary_host_id;  ///< births only while this host's STATE says online
};

/// From a validated config; the server defaults to the bus's broker and credentials. Throws
/// ConfigError if a password file cannot be read.
SparkplugConfig parse_sparkplug_config(const nlohmann::json& config, const BusSettings& bus,
                                          const std::filesystem::path& config_file);

}  // namespace intercom::sparkplug
