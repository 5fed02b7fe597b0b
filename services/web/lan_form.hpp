#pragma once
/// The page's LAN form: what the device's broker opens to the LAN (lan.json, rendered into the
/// broker's config by scripts/render-lan.py). The page shows it without secrets and writes it back:
/// the Home Assistant bridge's password to a file of its own (0600), never into lan.json nor to the
/// page; lan.json atomically (its .prev kept). An installed device's broker restarts by itself when
/// lan.json changes (intercom-io-lan.path); the services reconnect within seconds.
#include <filesystem>
#include <map>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "intercom/contract/schema.hpp"

namespace intercom::web {

class LanForm {
 public:
  using FieldErrors = std::map<std::string, std::string>;

  LanForm(std::filesystem::path lan_file, std::filesystem::path secrets_dir, const SchemaSet& schemas);

  /// What the form shows: {"mqtt_enabled", "mqtt_port", "mqtt_users", "bridge_enabled",
  /// "bridge_address", "bridge_username", "bridge_password_set", "bridge_tls", "bridge_ca_set"}.
  nlohmann::json view() const;

  /// Applies the form (the fields of view(), plus "bridge_password" and "bridge_ca_pem" when
  /// given; an empty one keeps what is there). Returns the new view, or errors by field; nothing is
  /// written unless all of it is accepted.
  std::variant<nlohmann::json, FieldErrors> save(const nlohmann::json& form);

 private:
  nlohmann::json read() const;
  std::filesystem::path password_file() const { return secrets_dir_ / "home-assistant.password"; }
  std::filesystem::path ca_file() const { return secrets_dir_ / "home-assistant-ca.pem"; }

  std::filesystem::path lan_file_;
  std::filesystem::path secrets_dir_;
  const SchemaSet& schemas_;
};

}  // namespace intercom::web
