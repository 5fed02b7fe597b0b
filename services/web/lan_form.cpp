#include "lan_form.hpp"

#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <set>
#include <system_error>

#include "intercom/config/config.hpp"
#include "intercom/config/config_file_writer.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;

/// Writes a secret so that it is never readable by anyone else, not even for an instant.
void write_secret(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  const auto temporary = file.string() + ".new";
  const auto old_mask = ::umask(077);
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text << "\n";
    out.flush();
    if (!out) {
      ::umask(old_mask);
      throw std::system_error(errno, std::generic_category(), "cannot write " + temporary);
    }
  }
  ::umask(old_mask);
  std::filesystem::rename(temporary, file);
}

/// The form's field for a JSON pointer of lan.json, so that a schema refusal is shown next to it:
/// the field of the longest path that holds the pointer (whole segments: /mqtt holds /mqtt/port).
std::string field_of(const std::string& pointer) {
  static const std::map<std::string, std::string> fields{
      {"/mqtt/port", "mqtt_port"},          {"/mqtt/users", "mqtt_users"},         {"/home_assistant_bridge/address", "bridge_address"},
      {"/home_assistant_bridge/username", "bridge_username"}, {"/mqtt", "mqtt_enabled"}, {"/home_assistant_bridge", "bridge_enabled"}};
  const std::string* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& [path, field] : fields) {
    const bool holds = pointer.rfind(path, 0) == 0 && (pointer.size() == path.size() || pointer[path.size()] == '/');
    if (holds && path.size() > best_length) best = &field, best_length = path.size();
  }
  return best ? *best : "mqtt_enabled";
}

}  // namespace

LanForm::LanForm(std::filesystem::path lan_file, std::filesystem::path secrets_dir, const SchemaSet& schemas)
    : lan_file_(std::move(lan_file)), secrets_dir_(std::move(secrets_dir)), schemas_(schemas) {}

json LanForm::read() const {
  if (!std::filesystem::exists(lan_file_)) return json::object();
  return read_config_file(lan_file_);
}

json LanForm::view() const {
  const auto lan = read();
  const auto mqtt = lan.value("mqtt", json::object());
  const auto bridge = lan.value("home_assistant_bridge", json::object());
  const bool tls = mqtt.value("tls", true);
  return {{"mqtt_enabled", mqtt.value("enabled", false)},
          {"mqtt_port", mqtt.value("port", tls ? 8883 : 1883)},
          {"mqtt_tls", tls},
          {"mqtt_users", mqtt.value("users", json::array({"homeassistant", "scada"}))},
          {"bridge_enabled", bridge.value("enabled", false)},
          {"bridge_address", bridge.value("address", "")},
          {"bridge_username", bridge.value("username", "")},
          {"bridge_password_set", bridge.contains("password_file") &&
                                      std::filesystem::exists(path_from_config(lan_file_, bridge["password_file"].get<std::string>()))},
          {"bridge_tls", bridge.value("tls", false)},
          {"bridge_ca_set", bridge.contains("ca_file")}};
}

std::variant<json, LanForm::FieldErrors> LanForm::save(const json& form) {
  FieldErrors errors;
  const auto boolean = [&](const char* field) -> bool {
    if (!form.contains(field)) return false;
    if (!form[field].is_boolean()) errors[field] = "yes or no";
    return form[field].is_boolean() && form[field].get<bool>();
  };
  const auto text = [&](const char* field) -> std::string {
    if (!form.contains(field)) return "";
    if (!form[field].is_string()) {
      errors[field] = "a text";
      return "";
    }
    return form[field].get<std::string>();
  };
  static const std::set<std::string> known{"mqtt_enabled", "mqtt_port", "mqtt_users", "bridge_enabled", "bridge_address", "bridge_username",
                                           "bridge_password", "bridge_tls", "bridge_ca_pem"};
  for (const auto& [key, value] : form.items())
    if (!known.count(key)) errors[key] = "not a field of this form";

  auto lan = read();
  auto& mqtt = lan["mqtt"];
  if (!mqtt.is_object()) mqtt = json::object();
  mqtt["enabled"] = boolean("mqtt_enabled");
  if (form.contains("mqtt_port")) {
    if (!form["mqtt_port"].is_number_integer() || form["mqtt_port"].get<long long>() < 1 || form["mqtt_port"].get<long long>() > 65535)
      errors["mqtt_port"] = "a port from 1 to 65535 (8883: MQTT over TLS)";
    else
      mqtt["port"] = form["mqtt_port"];
  }
  if (form.contains("mqtt_users")) {
    bool valid = form["mqtt_users"].is_array() && !form["mqtt_users"].empty();
    if (valid)
      for (const auto& user : form["mqtt_users"]) valid = valid && user.is_string() && (user == "homeassistant" || user == "scada");
    if (!valid) errors["mqtt_users"] = "one or both of homeassistant and scada (the services' own users never log in from the LAN)";
    else mqtt["users"] = form["mqtt_users"];
  }
  if (mqtt["enabled"].get<bool>() && mqtt.value("tls", true) && (!mqtt.contains("certificate_file") || !mqtt.contains("key_file")))
    errors["mqtt_enabled"] = "no certificate is set in " + lan_file_.string() + " (certificate_file, key_file): the package makes one at installation";

  auto& bridge = lan["home_assistant_bridge"];
  if (!bridge.is_object()) bridge = json::object();
  const bool bridge_enabled = boolean("bridge_enabled");
  bridge["enabled"] = bridge_enabled;
  const auto address = text("bridge_address");
  if (!address.empty() || bridge_enabled) {
    static const std::regex host_port("[A-Za-z0-9.\\-]+:[0-9]{1,5}");
    if (!std::regex_match(address, host_port)) errors["bridge_address"] = "Home Assistant's broker as host:port, e.g. homeassistant.local:1883";
    else bridge["address"] = address;
  }
  const auto username = text("bridge_username");
  const auto password = text("bridge_password");
  // The file read above, as it was: a password is set if the file it names is there.
  const bool has_password = !password.empty() || (bridge.contains("password_file") &&
                                                  std::filesystem::exists(path_from_config(lan_file_, bridge["password_file"].get<std::string>())));
  if (!username.empty()) {
    if (username.find_first_of(" \t\r\n") != std::string::npos || username.size() > 128) errors["bridge_username"] = "a user name without spaces, 128 characters at most";
    bridge["username"] = username;
    if (!has_password) errors["bridge_password"] = "the password of that user on Home Assistant's broker";
  } else {
    bridge.erase("username");
    if (bridge_enabled && !password.empty()) errors["bridge_username"] = "the user that password is for";
  }
  if (!password.empty() && (password.find_first_of(" \t\r\n") != std::string::npos || password.size() > 256))
    errors["bridge_password"] = "one line without spaces, 256 characters at most";
  const bool bridge_tls = boolean("bridge_tls");
  bridge["tls"] = bridge_tls;
  const auto ca_pem = text("bridge_ca_pem");
  if (!ca_pem.empty() && ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    errors["bridge_ca_pem"] = "a certificate in PEM (-----BEGIN CERTIFICATE-----)";
  if (bridge_tls && ca_pem.empty() && !bridge.contains("ca_file"))
    errors["bridge_ca_pem"] = "with TLS: the CA certificate of Home Assistant's broker (PEM)";
  if (!errors.empty()) return errors;

  if (!username.empty()) bridge["password_file"] = std::filesystem::relative(password_file(), lan_file_.parent_path()).string();
  else bridge.erase("password_file");
  if (bridge_tls) {
    if (!ca_pem.empty()) bridge["ca_file"] = std::filesystem::relative(ca_file(), lan_file_.parent_path()).string();
  } else {
    bridge.erase("ca_file");
  }
  try {
    validate_config(lan, schemas_, "lan");
  } catch (const ConfigError& error) {
    return FieldErrors{{field_of(error.pointer()), error.reason()}};
  }
  if (!password.empty()) write_secret(password_file(), password);
  if (!ca_pem.empty()) write_secret(ca_file(), ca_pem);
  write_config_file(lan_file_, lan);
  return view();
}

}  // namespace intercom::web
