#include "sparkplug_config.hpp"

#include "edge_node.hpp"
#include "intercom/config/config.hpp"

namespace intercom::sparkplug {

SparkplugConfig parse_sparkplug_config(const nlohmann::json& config, const BusSettings& bus,
                                          const std::filesystem::path& config_file) {
  SparkplugConfig settings;
  settings.group_id = config.value("group_id", "intercom-io");
  settings.edge_node_id = config.value("edge_node_id", bus.device);
  if (config.contains("primary_host_id")) settings.primary_host_id = config["primary_host_id"].get<std::string>();
  for (const auto& [key, id] : {std::pair{"group_id", settings.group_id}, std::pair{"edge_node_id", settings.edge_node_id},
                                std::pair{"primary_host_id", settings.primary_host_id.value_or("host")}})
    if (!is_valid_id(id))
      throw ConfigError(config_file.string() + ": /" + key + ": \"" + id +
                        "\" is not a Sparkplug id (1 to 128 characters, no +, # or / and no control characters)");
  settings.command_max_age_ms = config.value("command_max_age_s", std::uint64_t{30}) * 1000;
  settings.state_dir = path_from_config(config_file, config.value("state_dir", "../var/sparkplug"));
  const auto& server = config.contains("server") ? config["server"] : nlohmann::json::object();
  settings.server = bus;
  settings.server.broker_uri = server.value("broker", bus.broker_uri);
  settings.server.client_id = server.value("client_id", bus.device + "-edge-" + bus.service);
  if (server.contains("username")) settings.server.username = server["username"];
  if (server.contains("password_file")) {
    std::filesystem::path file = server["password_file"].get<std::string>();
    if (file.is_relative()) file = config_file.parent_path() / file;
    settings.server.password = read_password_file(file);
  }
  settings.server.keep_alive = std::chrono::seconds(server.value("keep_alive_s", 10));
  // Sparkplug: every connection starts clean, and nothing stale is sent after a reconnect (the
  // births carry the values as they are then).
  settings.server.clean_start = true;
  settings.server.max_buffered_messages = 0;
  return settings;
}

}  // namespace intercom::sparkplug
