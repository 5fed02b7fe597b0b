#include "intercom/contract/history_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const HistoryQuery& value) {
  json = nlohmann::json::object();
  put(json, "request_id", value.request_id);
  put(json, "from", value.from);
  put(json, "to", value.to);
  put(json, "kinds", value.kinds);
  put(json, "input", value.input);
  put(json, "output", value.output);
  put(json, "cause", value.cause);
  put(json, "text", value.text);
  put(json, "limit", value.limit);
  put(json, "after", value.after);
}

void from_json(const nlohmann::json& json, HistoryQuery& value) {
  take(json, "request_id", value.request_id);
  take(json, "from", value.from);
  take(json, "to", value.to);
  take(json, "kinds", value.kinds);
  take(json, "input", value.input);
  take(json, "output", value.output);
  take(json, "cause", value.cause);
  take(json, "text", value.text);
  take(json, "limit", value.limit);
  take(json, "after", value.after);
}

void to_json(nlohmann::json& json, const HistoryRecord& value) {
  json = nlohmann::json::object();
  put(json, "id", value.id);
  put(json, "at", value.at);
  put(json, "kind", value.kind);
  put(json, "source", value.source);
  put(json, "port", value.port);
  put(json, "cause", value.cause);
  put(json, "summary", value.summary);
  put(json, "detail", value.detail);
}

void from_json(const nlohmann::json& json, HistoryRecord& value) {
  take(json, "id", value.id);
  take(json, "at", value.at);
  take(json, "kind", value.kind);
  take(json, "source", value.source);
  take(json, "port", value.port);
  take(json, "cause", value.cause);
  take(json, "summary", value.summary);
  take(json, "detail", value.detail);
}

void to_json(nlohmann::json& json, const HistoryResultError& value) {
  json = nlohmann::json::object();
  put(json, "path", value.path);
  put(json, "reason", value.reason);
}

void from_json(const nlohmann::json& json, HistoryResultError& value) {
  take(json, "path", value.path);
  take(json, "reason", value.reason);
}

void to_json(nlohmann::json& json, const HistoryResult& value) {
  json = nlohmann::json::object();
  put(json, "request_id", value.request_id);
  put(json, "ok", value.ok);
  put(json, "events", value.events);
  put(json, "next", value.next);
  put(json, "error", value.error);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, HistoryResult& value) {
  take(json, "request_id", value.request_id);
  take(json, "ok", value.ok);
  take(json, "events", value.events);
  take(json, "next", value.next);
  take(json, "error", value.error);
  take(json, "at", value.at);
}

}  // namespace intercom::contract
