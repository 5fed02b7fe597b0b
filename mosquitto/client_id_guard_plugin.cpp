// A Mosquitto 2 plugin, loaded once per listener (per_listener_settings true):
// - it binds each service's client id to its user (client_id_binding.hpp);
// - with max_attempts_per_minute (the listener open to the LAN), it refuses an address that tries to
//   log in more often than that before its password is checked (attempt_limiter.hpp), and reports
//   it on report_topic.
// It runs before the password file: it refuses what it objects to and defers everything else, so
// the password file and the ACL still decide as before.
//   plugin <path>/intercom_client_id_guard.so
//   plugin_opt_service_users gpio rules telephony sms web
//   plugin_opt_max_attempts_per_minute 20                      (optional)
//   plugin_opt_report_topic intercom/door1/broker/security     (optional)
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

extern "C" {
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>
}

#include "attempt_limiter.hpp"
#include "client_id_binding.hpp"

namespace {

struct Guard {
  mosquitto_plugin_id_t* id = nullptr;
  std::vector<std::string> service_users;
  std::optional<intercom::broker::AttemptLimiter> limiter;
  std::size_t max_attempts = 0;
  std::string report_topic;
};

std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return text;
}

/// Addresses and user names are the client's: quoted for JSON without anything that would end the string.
std::string json_string(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    quoted += c;
  }
  return quoted + "\"";
}

void report(const Guard& guard, const std::string& address, const std::string& username, std::uint64_t refused) {
  mosquitto_log_printf(MOSQ_LOG_WARNING, "login limit: %s made more than %zu attempts in a minute (user %s): %llu refused",
                       address.c_str(), guard.max_attempts, username.empty() ? "(none)" : username.c_str(),
                       static_cast<unsigned long long>(refused));
  if (guard.report_topic.empty()) return;
  const std::string payload = "{\"address\":" + json_string(address) + ",\"user\":" + json_string(username) +
                              ",\"refused\":" + std::to_string(refused) + ",\"max_attempts_per_minute\":" +
                              std::to_string(guard.max_attempts) + ",\"at\":\"" + now_iso8601() + "\"}";
  mosquitto_broker_publish_copy(nullptr, guard.report_topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false,
                                nullptr);
}

int on_basic_auth(int /*event*/, void* event_data, void* userdata) {
  auto& guard = *static_cast<Guard*>(userdata);
  const auto* auth = static_cast<mosquitto_evt_basic_auth*>(event_data);
  const std::string username = auth->username ? auth->username : "";
  if (guard.limiter) {
    const char* address = mosquitto_client_address(auth->client);
    const std::string from = address ? address : "";
    const auto verdict = guard.limiter->attempt(from, std::chrono::steady_clock::now());
    if (verdict.report_refused) report(guard, from, username, *verdict.report_refused);
    if (!verdict.allowed) return MOSQ_ERR_AUTH;
  }
  const char* client_id = mosquitto_client_id(auth->client);
  if (auto refusal = intercom::broker::client_id_refusal(guard.service_users, username, client_id ? client_id : "")) {
    mosquitto_log_printf(MOSQ_LOG_WARNING, "client-id guard: refused %s (user %s): %s", client_id ? client_id : "",
                         username.empty() ? "(none)" : username.c_str(), refusal->c_str());
    return MOSQ_ERR_AUTH;
  }
  return MOSQ_ERR_PLUGIN_DEFER;
}

}  // namespace

extern "C" {

int mosquitto_plugin_version(int supported_version_count, const int* supported_versions) {
  for (int i = 0; i < supported_version_count; ++i)
    if (supported_versions[i] == 5) return 5;
  return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t* identifier, void** userdata, struct mosquitto_opt* options, int option_count) {
  auto guard = std::make_unique<Guard>();
  guard->id = identifier;
  for (int i = 0; i < option_count; ++i) {
    const std::string key = options[i].key;
    const std::string value = options[i].value ? options[i].value : "";
    if (key == "service_users") {
      guard->service_users = intercom::broker::parse_service_users(value);
    } else if (key == "max_attempts_per_minute") {
      char* end = nullptr;
      const long limit = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || limit < 1 || limit > 100000) {
        mosquitto_log_printf(MOSQ_LOG_ERR, "client-id guard: plugin_opt_max_attempts_per_minute \"%s\": an integer from 1 to 100000",
                             value.c_str());
        return MOSQ_ERR_INVAL;
      }
      guard->max_attempts = static_cast<std::size_t>(limit);
      guard->limiter.emplace(guard->max_attempts);
    } else if (key == "report_topic") {
      guard->report_topic = value;
    }
  }
  if (guard->service_users.empty()) {
    mosquitto_log_printf(MOSQ_LOG_ERR, "client-id guard: plugin_opt_service_users is missing or empty");
    return MOSQ_ERR_INVAL;
  }
  const int code = mosquitto_callback_register(identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, nullptr, guard.get());
  if (code == MOSQ_ERR_SUCCESS) *userdata = guard.release();
  return code;
}

int mosquitto_plugin_cleanup(void* userdata, struct mosquitto_opt* /*options*/, int /*option_count*/) {
  std::unique_ptr<Guard> guard(static_cast<Guard*>(userdata));
  if (!guard) return MOSQ_ERR_SUCCESS;
  return mosquitto_callback_unregister(guard->id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, nullptr);
}

}  // extern "C"
