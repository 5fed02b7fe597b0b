#pragma once
/// What each intercomctl command does; each returns the process's exit code (0 done, 1 refused or
/// no answer, 2 a usage, config or connection error) and prints for a person.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "history_lines.hpp"
#include "users_lines.hpp"
#include "intercom/bus/bus_settings.hpp"

namespace intercom::ctl {

struct Output {
  bool colour = false;
  bool pretty = false;  ///< watch: payloads indented
  std::chrono::milliseconds timeout{3000};  ///< how long to wait for the device's answer
};

/// `config_dir`: where lan.json and web.json are (beside intercomctl's config), for the LAN part.
int show_status(const BusSettings& settings, const Output& output, const std::filesystem::path& config_dir);
/// Prints every message under the device's root (of one service when given) until stopped, or
/// until `count` messages or `seconds` passed.
int watch(const BusSettings& settings, const Output& output, const std::optional<std::string>& service, std::optional<int> count,
          std::optional<double> seconds);
/// on, off, toggle or pulse (with an optional duration) an output, and waits for its new state.
int drive_output(const BusSettings& settings, const Output& output, const std::string& name, const std::string& action,
                 std::optional<int> duration_ms);
int simulate_input(const BusSettings& settings, const Output& output, const std::string& name, const std::string& level);
/// ring, answer, hangup or dtmf (digits) on the simulated SIP line.
int simulate_call(const BusSettings& settings, const Output& output, const std::string& action, const std::optional<std::string>& argument);
int config_get(const BusSettings& settings, const Output& output, const std::string& service);
/// `document` is a JSON merge patch (patch true) or a whole configuration.
int config_set(const BusSettings& settings, const Output& output, const std::string& service, const std::string& document, bool patch);
/// Clears a device's Home Assistant discovery message (<prefix>/device/<object id>/config): Home
/// Assistant removes the device. For a device renamed or retired; refused while that device's
/// discovery service is online (it would publish the message again).
int ha_forget(const BusSettings& settings, const Output& output, const std::string& device, const std::string& prefix);
/// The door's events the options ask for (the newest `limit`), oldest first, a line each.
int history(const BusSettings& settings, const Output& output, const HistoryOptions& options);
/// The door's users: a page after page list, or one change (a PIN read from standard input).
int users(const BusSettings& settings, const Output& output, const UsersOptions& options);
/// A config file against its service's schema (the service from the file's name unless given).
int validate_file(const std::filesystem::path& file, const std::optional<std::string>& service, const std::filesystem::path& schema_dir);

}  // namespace intercom::ctl
