#pragma once
/// Config files: JSON, validated against schemas/config/<service>.schema.json at start-up.
#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "intercom/schema.hpp"

namespace intercom {

/// A config file that cannot be used; what() names the file and the JSON path.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads the file, validates its "bus" section against config/bus and the whole against
/// config/<schema_id>, and fills in the schema's defaults. Throws ConfigError.
nlohmann::json load_config(const std::filesystem::path& file, const SchemaSet& schemas, const std::string& schema_id);

/// A path written in a config file: a relative one is taken from the config file's folder, so a
/// config works from any working directory. Absolute and normalised.
std::filesystem::path path_from_config(const std::filesystem::path& config_file, const std::string& path);

/// The first line of a password file. Throws ConfigError naming the file if it cannot be read or
/// the line is empty.
std::string read_password_file(const std::filesystem::path& file);

}  // namespace intercom
