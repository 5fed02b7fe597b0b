#include "intercom/contract/access_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const AccessCredential& value) {
  json = nlohmann::json::object();
  put(json, "reader", value.reader);
  put(json, "kind", value.kind);
  put(json, "value", value.value);
  put(json, "bits", value.bits);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, AccessCredential& value) {
  take(json, "reader", value.reader);
  take(json, "kind", value.kind);
  take(json, "value", value.value);
  take(json, "bits", value.bits);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const AccessEvent& value) {
  json = nlohmann::json::object();
  put(json, "result", value.result);
  put(json, "reason", value.reason);
  put(json, "door", value.door);
  put(json, "credential", value.credential);
  put(json, "reader", value.reader);
  put(json, "user_id", value.user_id);
  put(json, "user", value.user);
  put(json, "failures", value.failures);
  put(json, "locked_until", value.locked_until);
  put(json, "request_id", value.request_id);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, AccessEvent& value) {
  take(json, "result", value.result);
  take(json, "reason", value.reason);
  take(json, "door", value.door);
  take(json, "credential", value.credential);
  take(json, "reader", value.reader);
  take(json, "user_id", value.user_id);
  take(json, "user", value.user);
  take(json, "failures", value.failures);
  take(json, "locked_until", value.locked_until);
  take(json, "request_id", value.request_id);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const AccessUserRecord& value) {
  json = nlohmann::json::object();
  put(json, "id", value.id);
  put(json, "name", value.name);
  put(json, "callers", value.callers);
  put(json, "doors", value.doors);
  put(json, "valid_from", value.valid_from);
  put(json, "valid_until", value.valid_until);
  put(json, "profile", value.profile);
  put(json, "enabled", value.enabled);
}

void from_json(const nlohmann::json& json, AccessUserRecord& value) {
  take(json, "id", value.id);
  take(json, "name", value.name);
  take(json, "callers", value.callers);
  take(json, "doors", value.doors);
  take(json, "valid_from", value.valid_from);
  take(json, "valid_until", value.valid_until);
  take(json, "profile", value.profile);
  take(json, "enabled", value.enabled);
}

void to_json(nlohmann::json& json, const AccessUsersCommand& value) {
  json = nlohmann::json::object();
  put(json, "request_id", value.request_id);
  put(json, "action", value.action);
  put(json, "user", value.user);
  put(json, "user_id", value.user_id);
  put(json, "kind", value.kind);
  put(json, "value", value.value);
  put(json, "label", value.label);
  put(json, "credential_id", value.credential_id);
  put(json, "reader", value.reader);
  put(json, "timeout_s", value.timeout_s);
  put(json, "after", value.after);
  put(json, "limit", value.limit);
  put(json, "cause", value.cause);
  put(json, "import_id", value.import_id);
  put(json, "part", value.part);
  put(json, "parts", value.parts);
  put(json, "csv", value.csv);
}

void from_json(const nlohmann::json& json, AccessUsersCommand& value) {
  take(json, "request_id", value.request_id);
  take(json, "action", value.action);
  take(json, "user", value.user);
  take(json, "user_id", value.user_id);
  take(json, "kind", value.kind);
  take(json, "value", value.value);
  take(json, "label", value.label);
  take(json, "credential_id", value.credential_id);
  take(json, "reader", value.reader);
  take(json, "timeout_s", value.timeout_s);
  take(json, "after", value.after);
  take(json, "limit", value.limit);
  take(json, "cause", value.cause);
  take(json, "import_id", value.import_id);
  take(json, "part", value.part);
  take(json, "parts", value.parts);
  take(json, "csv", value.csv);
}

void to_json(nlohmann::json& json, const AccessCredentialShown& value) {
  json = nlohmann::json::object();
  put(json, "id", value.id);
  put(json, "kind", value.kind);
  put(json, "label", value.label);
}

void from_json(const nlohmann::json& json, AccessCredentialShown& value) {
  take(json, "id", value.id);
  take(json, "kind", value.kind);
  take(json, "label", value.label);
}

void to_json(nlohmann::json& json, const AccessUserShown& value) {
  json = nlohmann::json::object();
  put(json, "id", value.id);
  put(json, "name", value.name);
  put(json, "callers", value.callers);
  put(json, "doors", value.doors);
  put(json, "valid_from", value.valid_from);
  put(json, "valid_until", value.valid_until);
  put(json, "profile", value.profile);
  put(json, "enabled", value.enabled);
  put(json, "credentials", value.credentials);
}

void from_json(const nlohmann::json& json, AccessUserShown& value) {
  take(json, "id", value.id);
  take(json, "name", value.name);
  take(json, "callers", value.callers);
  take(json, "doors", value.doors);
  take(json, "valid_from", value.valid_from);
  take(json, "valid_until", value.valid_until);
  take(json, "profile", value.profile);
  take(json, "enabled", value.enabled);
  take(json, "credentials", value.credentials);
}

void to_json(nlohmann::json& json, const AccessUsersResultError& value) {
  json = nlohmann::json::object();
  put(json, "path", value.path);
  put(json, "reason", value.reason);
}

void from_json(const nlohmann::json& json, AccessUsersResultError& value) {
  take(json, "path", value.path);
  take(json, "reason", value.reason);
}

void to_json(nlohmann::json& json, const AccessUsersImported& value) {
  json = nlohmann::json::object();
  put(json, "users_added", value.users_added);
  put(json, "users_changed", value.users_changed);
  put(json, "credentials_added", value.credentials_added);
}

void from_json(const nlohmann::json& json, AccessUsersImported& value) {
  take(json, "users_added", value.users_added);
  take(json, "users_changed", value.users_changed);
  take(json, "credentials_added", value.credentials_added);
}

void to_json(nlohmann::json& json, const AccessUsersResult& value) {
  json = nlohmann::json::object();
  put(json, "request_id", value.request_id);
  put(json, "action", value.action);
  put(json, "ok", value.ok);
  put(json, "users", value.users);
  put(json, "next", value.next);
  put(json, "total", value.total);
  put(json, "credential_id", value.credential_id);
  put(json, "error", value.error);
  put(json, "parts_received", value.parts_received);
  put(json, "imported", value.imported);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, AccessUsersResult& value) {
  take(json, "request_id", value.request_id);
  take(json, "action", value.action);
  take(json, "ok", value.ok);
  take(json, "users", value.users);
  take(json, "next", value.next);
  take(json, "total", value.total);
  take(json, "credential_id", value.credential_id);
  take(json, "error", value.error);
  take(json, "parts_received", value.parts_received);
  take(json, "imported", value.imported);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const AccessProfile& value) {
  json = nlohmann::json::object();
  put(json, "active", value.active);
  put(json, "since", value.since);
}

void from_json(const nlohmann::json& json, AccessProfile& value) {
  take(json, "active", value.active);
  take(json, "since", value.since);
}

void to_json(nlohmann::json& json, const AccessDoor& value) {
  json = nlohmann::json::object();
  put(json, "open", value.open);
  put(json, "forced", value.forced);
  put(json, "held_open", value.held_open);
  put(json, "contact", value.contact);
  put(json, "exit", value.exit);
  put(json, "label", value.label);
  put(json, "since", value.since);
}

void from_json(const nlohmann::json& json, AccessDoor& value) {
  take(json, "open", value.open);
  take(json, "forced", value.forced);
  take(json, "held_open", value.held_open);
  take(json, "contact", value.contact);
  take(json, "exit", value.exit);
  take(json, "label", value.label);
  take(json, "since", value.since);
}

}  // namespace intercom::contract
