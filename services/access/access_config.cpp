#include "access_config.hpp"

#include "intercom/config/config.hpp"

namespace intercom::access {

AccessConfig parse_access_config(const nlohmann::json& config) {
  AccessConfig settings;
  settings.state_dir = config.at("state_dir").get<std::string>();
  // Kept in a local: a range-for over items() of the temporary value() returns would outlive it.
  const auto readers = config.value("readers", nlohmann::json::object());
  for (const auto& [name, reader] : readers.items()) settings.readers[name] = {reader.at("door").get<std::string>(), reader.value("label", "")};
  const auto doors = config.value("doors", nlohmann::json::object());
  for (const auto& [lock, door] : doors.items()) {
    DoorSettings settings_of_door{.label = door.value("label", ""),
                                  .lock = lock,
                                  .contact = door.value("contact", ""),
                                  .exit = door.value("exit", ""),
                                  .held_open = std::chrono::seconds(door.value("held_open_s", 30)),
                                  .grace = std::chrono::seconds(door.value("grace_s", 2)),
                                  .relock_on_close = door.value("relock_on_close", false)};
    if (!settings_of_door.exit.empty() && settings_of_door.exit == settings_of_door.contact)
      throw ConfigError::at("/doors/" + lock + "/exit", "the exit button cannot be the door's contact (" + settings_of_door.contact + ")");
    settings.doors[lock] = std::move(settings_of_door);
  }
  const auto lockout = config.value("lockout", nlohmann::json::object());
  settings.lockout = {lockout.value("max_failures", 5), std::chrono::seconds(lockout.value("lockout_s", 30))};
  settings.profiles = parse_time_profiles(config.value("time_profiles", nlohmann::json::object()),
                                          config.value("holidays", nlohmann::json::array()));
  return settings;
}

}  // namespace intercom::access
