#include "intercom/contract/service_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const ServiceStatus& value) {
  json = nlohmann::json::object();
  put(json, "state", value.state);
  put(json, "version", value.version);
  put(json, "started_at", value.started_at);
  put(json, "at", value.at);
  put(json, "reason", value.reason);
}

void from_json(const nlohmann::json& json, ServiceStatus& value) {
  take(json, "state", value.state);
  take(json, "version", value.version);
  take(json, "started_at", value.started_at);
  take(json, "at", value.at);
  take(json, "reason", value.reason);
}

void to_json(nlohmann::json& json, const ServiceError& value) {
  json = nlohmann::json::object();
  put(json, "topic", value.topic);
  put(json, "kind", value.kind);
  put(json, "reason", value.reason);
  put(json, "at", value.at);
  put(json, "rejected_total", value.rejected_total);
}

void from_json(const nlohmann::json& json, ServiceError& value) {
  take(json, "topic", value.topic);
  take(json, "kind", value.kind);
  take(json, "reason", value.reason);
  take(json, "at", value.at);
  take(json, "rejected_total", value.rejected_total);
}

void to_json(nlohmann::json& json, const ConfigState& value) {
  json = nlohmann::json::object();
  put(json, "revision", value.revision);
  put(json, "at", value.at);
  put(json, "config", value.config);
}

void from_json(const nlohmann::json& json, ConfigState& value) {
  take(json, "revision", value.revision);
  take(json, "at", value.at);
  take(json, "config", value.config);
}

void to_json(nlohmann::json& json, const ConfigSet& value) {
  json = nlohmann::json::object();
  put(json, "request_id", value.request_id);
  put(json, "expires_at", value.expires_at);
  put(json, "cause", value.cause);
  put(json, "config", value.config);
  put(json, "patch", value.patch);
}

void from_json(const nlohmann::json& json, ConfigSet& value) {
  take(json, "request_id", value.request_id);
  take(json, "expires_at", value.expires_at);
  take(json, "cause", value.cause);
  take(json, "config", value.config);
  take(json, "patch", value.patch);
}

void to_json(nlohmann::json& json, const ConfigResultError& value) {
  json = nlohmann::json::object();
  put(json, "path", value.path);
  put(json, "reason", value.reason);
}

void from_json(const nlohmann::json& json, ConfigResultError& value) {
  take(json, "path", value.path);
  take(json, "reason", value.reason);
}

void to_json(nlohmann::json& json, const ConfigResult& value) {
  json = nlohmann::json::object();
  put(json, "request_id", value.request_id);
  put(json, "ok", value.ok);
  put(json, "changed", value.changed);
  put(json, "source", value.source);
  put(json, "cause", value.cause);
  put(json, "changed_paths", value.changed_paths);
  put(json, "revision", value.revision);
  put(json, "error", value.error);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, ConfigResult& value) {
  take(json, "request_id", value.request_id);
  take(json, "ok", value.ok);
  take(json, "changed", value.changed);
  take(json, "source", value.source);
  take(json, "cause", value.cause);
  take(json, "changed_paths", value.changed_paths);
  take(json, "revision", value.revision);
  take(json, "error", value.error);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const BrokerSecurity& value) {
  json = nlohmann::json::object();
  put(json, "address", value.address);
  put(json, "user", value.user);
  put(json, "refused", value.refused);
  put(json, "max_attempts_per_minute", value.max_attempts_per_minute);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, BrokerSecurity& value) {
  take(json, "address", value.address);
  take(json, "user", value.user);
  take(json, "refused", value.refused);
  take(json, "max_attempts_per_minute", value.max_attempts_per_minute);
  take(json, "at", value.at);
}
void to_json(nlohmann::json& json, const BrokerDroppedCount& value) { json = value.figure; }
void from_json(const nlohmann::json& json, BrokerDroppedCount& value) { json.get_to(value.figure); }

}  // namespace intercom::contract
