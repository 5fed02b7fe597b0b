#include "intercom/contract/web_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const WebLogin& value) {
  json = nlohmann::json::object();
  put(json, "result", value.result);
  put(json, "client", value.client);
  put(json, "failures", value.failures);
  put(json, "blocked_until", value.blocked_until);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, WebLogin& value) {
  take(json, "result", value.result);
  take(json, "client", value.client);
  take(json, "failures", value.failures);
  take(json, "blocked_until", value.blocked_until);
  take(json, "at", value.at);
}
}  // namespace intercom::contract
