#include "intercom/config/config.hpp"

#include <fstream>
#include <sstream>

#include "intercom/util/strict_json.hpp"

namespace intercom {

ConfigError::ConfigError(std::string file, std::string pointer, std::string reason)
    : std::runtime_error((file.empty() ? "" : file + ": ") + (pointer.empty() ? "" : pointer + ": ") + reason),
      file_(std::move(file)),
      pointer_(std::move(pointer)),
      reason_(std::move(reason)) {}

ConfigError ConfigError::in_file(const std::filesystem::path& file) const {
  if (!file_.empty()) return *this;
  return ConfigError(file.string(), pointer_, reason_);
}

nlohmann::json parse_config_text(const std::string& text) {
  auto parsed = parse_strict_json(text);
  if (auto* error = std::get_if<JsonError>(&parsed)) {
    if (error->kind == JsonError::Kind::duplicate_key) throw ConfigError::at(error->pointer, error->message);
    throw ConfigError::at("", error->message);
  }
  return std::move(std::get<nlohmann::json>(parsed));
}

nlohmann::json validate_config(nlohmann::json document, const SchemaSet& schemas, const std::string& schema_id) {
  if (auto violation = schemas.validate("config/" + schema_id, document))
    throw ConfigError::at(violation->pointer, violation->message);
  if (document.contains("bus")) {
    if (auto violation = schemas.validate("config/bus", document["bus"]))
      throw ConfigError::at("/bus" + violation->pointer, violation->message);
  } else {
    document["bus"] = nlohmann::json::object();
  }
  schemas.apply_defaults("config/" + schema_id, document);
  schemas.apply_defaults("config/bus", document["bus"]);
  return document;
}

nlohmann::json read_config_file(const std::filesystem::path& file) {
  std::ifstream stream(file);
  if (!stream) throw ConfigError(file.string(), "", "cannot be read");
  std::ostringstream text;
  text << stream.rdbuf();
  try {
    return parse_config_text(text.str());
  } catch (const ConfigError& error) {
    throw error.in_file(file);
  }
}

nlohmann::json load_config(const std::filesystem::path& file, const SchemaSet& schemas, const std::string& schema_id) {
  auto document = read_config_file(file);
  try {
    return validate_config(std::move(document), schemas, schema_id);
  } catch (const ConfigError& error) {
    throw error.in_file(file);
  }
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
