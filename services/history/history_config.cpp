#include "history_config.hpp"

namespace intercom::history {

HistoryConfig parse_history_config(const nlohmann::json& config) {
  HistoryConfig settings;
  settings.state_dir = config.at("state_dir").get<std::string>();
  settings.max_events = config.value("max_events", settings.max_events);
  settings.max_age_days = config.value("max_age_days", settings.max_age_days);
  return settings;
}

}  // namespace intercom::history
