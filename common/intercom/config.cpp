#include "intercom/config.hpp"

#include <fstream>
#include <sstream>

#include "intercom/strict_json.hpp"

namespace intercom {

nlohmann::json load_config(const std::filesystem::path& file, const SchemaSet& schemas, const std::string& schema_id) {
  std::ifstream stream(file);
  if (!stream) throw ConfigError(file.string() + ": cannot be read");
  std::ostringstream text;
  text << stream.rdbuf();
  auto parsed = parse_strict_json(text.str());
  if (auto* error = std::get_if<JsonError>(&parsed)) {
    if (error->kind == JsonError::Kind::duplicate_key) throw ConfigError(file.string() + ": " + error->to_string());
    throw ConfigError(file.string() + ": " + error->message);
  }
  auto& document = std::get<nlohmann::json>(parsed);
  if (auto violation = schemas.validate("config/" + schema_id, document))
    throw ConfigError(file.string() + ": " + violation->to_string());
  if (document.contains("bus")) {
    if (auto violation = schemas.validate("config/bus", document["bus"]))
      throw ConfigError(file.string() + ": /bus" + violation->to_string());
  } else {
    document["bus"] = nlohmann::json::object();
  }
  schemas.apply_defaults("config/" + schema_id, document);
  schemas.apply_defaults("config/bus", document["bus"]);
  return document;
}

std::filesystem::path path_from_config(const std::filesystem::path& config_file, const std::string& path) {
  std::filesystem::path result = path;
  if (result.is_relative()) result = config_file.parent_path() / result;
  return std::filesystem::absolute(result).lexically_normal();
}

std::string read_password_file(const std::filesystem::path& file) {
  std::ifstream stream(file);
  if (!stream) throw ConfigError(file.string() + ": password file cannot be read");
  std::string password;
  std::getline(stream, password);
  if (password.empty()) throw ConfigError(file.string() + ": password file is empty");
  return password;
}

}  // namespace intercom
