#include "access_config.hpp"

namespace intercom::access {

AccessConfig parse_access_config(const nlohmann::json& config) {
  AccessConfig settings;
  settings.state_dir = config.at("state_dir").get<std::string>();
  // Kept in a local: a range-for over items() of the temporary value() returns would outlive it.
  const auto readers = config.value("readers", nlohmann::json::object());
  for (const auto& [name, reader] : readers.items()) settings.readers[name] = {reader.at("door").get<std::string>(), reader.value("label", "")};
  const auto lockout = config.value("lockout", nlohmann::json::object());
  settings.lockout = {lockout.value("max_failures", 5), std::chrono::seconds(lockout.value("lockout_s", 30))};
  settings.profiles = parse_time_profiles(config.value("time_profiles", nlohmann::json::object()),
                                          config.value("holidays", nlohmann::json::array()));
  return settings;
}

}  // namespace intercom::access
