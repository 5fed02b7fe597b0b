#pragma once
/// The web service's settings, from its validated configuration (schemas/config/web.schema.json).
#include <chrono>
#include <cstddef>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "http_server.hpp"
#include "login_throttle.hpp"
#include "password_hash.hpp"

namespace intercom::web {

struct WebConfig {
  ServerSettings server;
  std::filesystem::path credentials_file;
  /// The first-start setup token's file, while no password is set.
  std::filesystem::path setup_token_file;
  std::filesystem::path static_dir;
  /// lan.json, which the LAN form writes, and the folder of the secrets it refers to.
  std::filesystem::path lan_file;
  std::filesystem::path lan_secrets_dir;
  std::chrono::seconds session_idle{900};
  std::size_t max_sessions = 32;
  LoginThrottle::Settings login;
  HashCost hash_cost = HashCost::interactive();
  /// How long a saved change waits for the service's config result.
  std::chrono::milliseconds config_wait{5000};
};

/// Paths are taken relative to the config file; the page's files default to the built-in ones.
WebConfig parse_web_config(const nlohmann::json& config, const std::filesystem::path& config_file);

}  // namespace intercom::web
