// A Mosquitto 2 plugin that binds each service's client id to its user (client_id_binding.hpp).
// It runs before the password file: it refuses a connection the binding objects to and defers
// everything else, so the password file and the ACL still decide as before.
//   plugin <path>/intercom_client_id_guard.so
//   plugin_opt_service_users gpio rules telephony sms web
#include <string>
#include <vector>

extern "C" {
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>
}

#include "client_id_binding.hpp"

namespace {

mosquitto_plugin_id_t* plugin_id = nullptr;
std::vector<std::string> service_users;

int on_basic_auth(int /*event*/, void* event_data, void* /*userdata*/) {
  const auto* auth = static_cast<mosquitto_evt_basic_auth*>(event_data);
  const char* client_id = mosquitto_client_id(auth->client);
  const std::string username = auth->username ? auth->username : "";
  if (auto refusal = intercom::broker::client_id_refusal(service_users, username, client_id ? client_id : "")) {
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

int mosquitto_plugin_init(mosquitto_plugin_id_t* identifier, void** /*userdata*/, struct mosquitto_opt* options,
                          int option_count) {
  plugin_id = identifier;
  for (int i = 0; i < option_count; ++i)
    if (std::string(options[i].key) == "service_users") service_users = intercom::broker::parse_service_users(options[i].value);
  if (service_users.empty()) {
    mosquitto_log_printf(MOSQ_LOG_ERR, "client-id guard: plugin_opt_service_users is missing or empty");
    return MOSQ_ERR_INVAL;
  }
  return mosquitto_callback_register(plugin_id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, nullptr, nullptr);
}

int mosquitto_plugin_cleanup(void* /*userdata*/, struct mosquitto_opt* /*options*/, int /*option_count*/) {
  return mosquitto_callback_unregister(plugin_id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, nullptr);
}

}  // extern "C"
