#pragma once
/// The command line every service shares: --config, --broker, --device, --log-level and friends.
#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "intercom/runtime/install_paths.hpp"

namespace intercom {

struct CommonOptions {
  std::filesystem::path config_file;
  std::optional<std::string> broker;          ///< overrides bus.broker of the config file
  std::optional<std::string> device;          ///< overrides bus.device
  std::optional<std::filesystem::path> password_file;  ///< overrides bus.password_file
  std::string log_level = "info";
  std::filesystem::path schema_dir = project_path("schemas", INTERCOM_SCHEMA_DIR);
};

/// The parsed options, or the exit code to return at once (after --help, or a usage error that
/// CLI11 has already printed).
std::variant<CommonOptions, int> parse_command_line(int argc, char** argv, const std::string& service,
                                                    const std::string& description);

}  // namespace intercom
