#include "intercom/contract/rules_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const FiredTrigger& value) {
  json = nlohmann::json::object();
  put(json, "topic", value.topic);
  put(json, "kind", value.kind);
}

void from_json(const nlohmann::json& json, FiredTrigger& value) {
  take(json, "topic", value.topic);
  take(json, "kind", value.kind);
}

void to_json(nlohmann::json& json, const FiredAction& value) {
  json = nlohmann::json::object();
  put(json, "topic", value.topic);
  put(json, "action", value.action);
  put(json, "request_id", value.request_id);
}

void from_json(const nlohmann::json& json, FiredAction& value) {
  take(json, "topic", value.topic);
  take(json, "action", value.action);
  take(json, "request_id", value.request_id);
}

void to_json(nlohmann::json& json, const RulesFired& value) {
  json = nlohmann::json::object();
  put(json, "rule", value.rule);
  put(json, "trigger", value.trigger);
  put(json, "actions", value.actions);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, RulesFired& value) {
  take(json, "rule", value.rule);
  take(json, "trigger", value.trigger);
  take(json, "actions", value.actions);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const RulesCode& value) {
  json = nlohmann::json::object();
  put(json, "result", value.result);
  put(json, "call_id", value.call_id);
  put(json, "rule", value.rule);
  put(json, "failures", value.failures);
  put(json, "locked_until", value.locked_until);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, RulesCode& value) {
  take(json, "result", value.result);
  take(json, "call_id", value.call_id);
  take(json, "rule", value.rule);
  take(json, "failures", value.failures);
  take(json, "locked_until", value.locked_until);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const RulesCommand& value) {
  json = nlohmann::json::object();
  put(json, "action", value.action);
  put(json, "request_id", value.request_id);
}

void from_json(const nlohmann::json& json, RulesCommand& value) {
  take(json, "action", value.action);
  take(json, "request_id", value.request_id);
}

void to_json(nlohmann::json& json, const RulesReloaded& value) {
  json = nlohmann::json::object();
  put(json, "ok", value.ok);
  put(json, "rules", value.rules);
  put(json, "error", value.error);
  put(json, "request_id", value.request_id);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, RulesReloaded& value) {
  take(json, "ok", value.ok);
  take(json, "rules", value.rules);
  take(json, "error", value.error);
  take(json, "request_id", value.request_id);
  take(json, "at", value.at);
}
void to_json(nlohmann::json& json, const RulesOut& value) { json = value.fields; }
void from_json(const nlohmann::json& json, RulesOut& value) { value.fields = json; }

}  // namespace intercom::contract
