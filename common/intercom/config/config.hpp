#pragma once
/// Config files: JSON, validated against schemas/config/<service>.schema.json at start-up.
#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "intercom/contract/schema.hpp"

namespace intercom {

/// A configuration that cannot be used; what() names the file (when there is one), the JSON pointer
/// of the offending field (when there is one) and the reason.
class ConfigError : public std::runtime_error {
 public:
  /// A message that names what it needs to.
  explicit ConfigError(const std::string& message) : std::runtime_error(message), reason_(message) {}
  ConfigError(std::string file, std::string pointer, std::string reason);
  /// A refusal of one field, before anyone knows which file it came from.
  static ConfigError at(std::string pointer, std::string reason) { return ConfigError("", std::move(pointer), std::move(reason)); }

  const std::string& file() const { return file_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& reason() const { return reason_; }
  /// The same refusal, naming the file it is in (unless it names one already).
  ConfigError in_file(const std::filesystem::path& file) const;

 private:
  std::string file_;
  std::string pointer_;
  std::string reason_;
};

/// Validates a configuration document: its "bus" section against config/bus, the whole against
/// config/<schema_id>, and fills in the schemas' defaults. Throws ConfigError (with no file).
nlohmann::json validate_config(nlohmann::json document, const SchemaSet& schemas, const std::string& schema_id);

/// Parses text as a configuration document (strictly: a repeated name is an error). Throws ConfigError.
nlohmann::json parse_config_text(const std::string& text);

/// Reads the file and parse_config_text. Throws ConfigError naming the file.
nlohmann::json read_config_file(const std::filesystem::path& file);

/// read_config_file, then validate_config. Throws ConfigError naming the file.
nlohmann::json load_config(const std::filesystem::path& file, const SchemaSet& schemas, const std::string& schema_id);

/// A path written in a config file: a relative one is taken from the config file's folder, so a
/// config works from any working directory. Absolute and normalised.
std::filesystem::path path_from_config(const std::filesystem::path& config_file, const std::string& path);

/// The first line of a password file. Throws ConfigError naming the file if it cannot be read or
/// the line is empty.
std::string read_password_file(const std::filesystem::path& file);

}  // namespace intercom
