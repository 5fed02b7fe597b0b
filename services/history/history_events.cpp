#include "history_events.hpp"

#include <chrono>

#include "intercom/util/date_time.hpp"

namespace intercom::history {
namespace {

using nlohmann::json;

/// The payload's own time, or when it arrived.
std::int64_t ms_at(const std::string& iso, std::int64_t received_ms) {
  const auto at = parse_rfc3339(iso);
  return at ? std::chrono::duration_cast<std::chrono::milliseconds>(at->time_since_epoch()).count() : received_ms;
}

HistoryEvent base(std::int64_t at_ms, const char* kind, const std::string& topic, std::string summary) {
  return {.at_ms = at_ms, .kind = kind, .source = topic, .summary = std::move(summary)};
}

}  // namespace

HistoryEvent event_of(const contract::InputState& state, const std::string& name, const std::string& topic, std::int64_t received_ms) {
  auto event = base(ms_at(state.since, received_ms), "input", topic,
                    name + (state.label ? " (" + *state.label + ")" : "") + (state.active ? " active" : " inactive"));
  event.port = name;
  event.detail = {{"active", state.active}, {"level", state.level}};
  return event;
}

HistoryEvent event_of(const contract::OutputState& state, const std::string& name, const std::string& topic, std::int64_t received_ms) {
  auto summary = name + (state.label ? " (" + *state.label + ")" : "") + (state.active ? " on (" + state.mode + ")" : " off");
  if (state.cause) summary += ", by " + *state.cause;
  auto event = base(ms_at(state.since, received_ms), "output", topic, std::move(summary));
  event.port = name;
  event.cause = state.cause;
  event.detail = {{"active", state.active}, {"mode", state.mode}};
  if (state.remaining_ms > 0) event.detail["remaining_ms"] = state.remaining_ms;
  if (state.request_id) event.detail["request_id"] = *state.request_id;
  return event;
}

HistoryEvent event_of(const contract::CallState& call, const std::string& topic, std::int64_t received_ms) {
  std::string summary = "call " + call.state;
  if (call.direction && call.peer) summary += (*call.direction == "incoming" ? " from " : " to ") + *call.peer;
  if (call.end_reason) summary += " (" + *call.end_reason + ")";
  auto event = base(ms_at(call.since, received_ms), "call", topic, std::move(summary));
  event.detail = {{"state", call.state}};
  if (call.call_id) event.detail["call_id"] = *call.call_id;
  if (call.direction) event.detail["direction"] = *call.direction;
  if (call.peer) event.detail["peer"] = *call.peer;
  if (call.end_reason) event.detail["end_reason"] = *call.end_reason;
  return event;
}

HistoryEvent event_of(const contract::RulesCode& code, const std::string& topic, std::int64_t received_ms) {
  std::string summary = "code " + code.result;
  if (code.rule) summary += " (rule " + *code.rule + ")";
  if (code.result != "accepted") summary += ", " + std::to_string(code.failures) + " wrong in a row";
  auto event = base(ms_at(code.at, received_ms), "code", topic, std::move(summary));
  if (code.rule) event.cause = "rule:" + *code.rule;
  event.detail = {{"result", code.result}, {"call_id", code.call_id}, {"failures", code.failures}};
  if (code.locked_until) event.detail["locked_until"] = *code.locked_until;
  return event;
}

HistoryEvent event_of(const contract::AccessEvent& access, const std::string& topic, std::int64_t received_ms) {
  const auto who = access.user ? *access.user + " (" + access.user_id.value_or("") + ")" : std::string("nobody known");
  std::string summary;
  if (access.result == "alarm")
    summary = "door " + access.door + (access.reason == "forced" ? " forced open" : " held open") + " (contact " + access.reader + ")";
  else if (access.credential == "exit")
    summary = "exit button " + access.reader + " opened " + access.door;
  else if (access.result == "granted")
    summary = "access granted to " + who + ": " + access.credential + " at " + access.reader + ", " + access.door;
  else
    summary = "access refused: " + access.credential + " at " + access.reader + ", " + access.reason.value_or("") + ", " + who;
  if (access.locked_until) summary += "; the reader is locked";
  auto event = base(ms_at(access.at, received_ms), "access", topic, std::move(summary));
  event.port = access.door;
  // The cause the door's output state says for a grant: the history finds who opened it by either.
  if (access.user_id) event.cause = "access:" + *access.user_id;
  event.detail = {{"result", access.result}, {"reader", access.reader}, {"credential", access.credential}, {"failures", access.failures}};
  if (access.reason) event.detail["reason"] = *access.reason;
  if (access.user_id) event.detail["user_id"] = *access.user_id;
  if (access.user) event.detail["user"] = *access.user;
  if (access.locked_until) event.detail["locked_until"] = *access.locked_until;
  if (access.request_id) event.detail["request_id"] = *access.request_id;
  return event;
}

HistoryEvent event_of(const contract::MessageReceived& message, const std::string& topic, std::int64_t received_ms) {
  auto event = base(ms_at(message.at, received_ms), "message", topic,
                    std::string(message.trusted ? "" : "untrusted ") + (message.alert ? "ALERT=" + *message.alert : "message") + " from " +
                        message.from + " (" + message.transport + ")");
  event.detail = {{"direction", "in"}, {"from", message.from}, {"transport", message.transport}, {"text", message.text},
                  {"trusted", message.trusted}};
  if (message.alert) event.detail["alert"] = *message.alert;
  if (message.untrusted_reason) event.detail["untrusted_reason"] = *message.untrusted_reason;
  return event;
}

HistoryEvent event_of(const contract::MessageResult& result, const std::string& topic, std::int64_t received_ms) {
  std::string summary = "message to " + (result.alias ? *result.alias + " (" + result.to + ")" : result.to) + " " + result.state;
  if (result.reason) summary += ": " + *result.reason;
  auto event = base(received_ms, "message", topic, std::move(summary));
  event.detail = {{"direction", "out"}, {"to", result.to}, {"state", result.state}, {"delivered", result.delivered},
                  {"attempts", result.attempts}};
  if (result.transport) event.detail["transport"] = *result.transport;
  if (result.request_id) event.detail["request_id"] = *result.request_id;
  return event;
}

HistoryEvent event_of(const contract::RulesFired& fired, const std::string& topic, std::int64_t received_ms) {
  auto event = base(ms_at(fired.at, received_ms), "rule", topic, "rule " + fired.rule + " fired by " + fired.trigger.kind);
  event.cause = "rule:" + fired.rule;
  event.detail = {{"rule", fired.rule}, {"trigger", fired.trigger}, {"actions", fired.actions}};
  return event;
}

HistoryEvent event_of(const contract::WebLogin& login, const std::string& topic, std::int64_t received_ms) {
  auto event = base(ms_at(login.at, received_ms), "login", topic, "page login " + login.result + " from " + login.client);
  event.detail = {{"result", login.result}, {"client", login.client}, {"failures", login.failures}};
  if (login.blocked_until) event.detail["blocked_until"] = *login.blocked_until;
  return event;
}

HistoryEvent event_of(const contract::ConfigResult& result, const std::string& service, const std::string& topic, std::int64_t received_ms) {
  std::string summary = service + " configuration ";
  // The path only: a reason may quote what was given, and a refused value may be a secret.
  if (!result.ok) summary += "refused" + (result.error ? " at " + (result.error->path.empty() ? "/" : result.error->path) : std::string());
  else summary += result.changed.value_or(true) ? "changed (revision " + std::to_string(result.revision) + ")" : "unchanged";
  summary += result.source == "file" ? ", from its file" : result.cause ? ", by " + *result.cause : ", over the bus";
  if (result.changed_paths) {
    summary += ":";
    for (std::size_t i = 0; i < result.changed_paths->size() && i < 5; ++i) summary += " " + (*result.changed_paths)[i];
    if (result.changed_paths->size() > 5) summary += " and " + std::to_string(result.changed_paths->size() - 5) + " more";
  }
  auto event = base(ms_at(result.at, received_ms), "config", topic, std::move(summary));
  event.cause = result.cause;
  event.detail = {{"service", service}, {"ok", result.ok}, {"source", result.source}, {"revision", result.revision}};
  if (result.changed_paths) event.detail["changed_paths"] = *result.changed_paths;
  if (result.request_id) event.detail["request_id"] = *result.request_id;
  if (result.error) event.detail["error"] = {{"path", result.error->path}};
  return event;
}

HistoryEvent event_of(const contract::ServiceStatus& status, const std::string& service, const std::string& topic, std::int64_t received_ms) {
  auto event = base(ms_at(status.at.value_or(""), received_ms), "service", topic,
                    service + " " + status.state + (status.reason ? " (" + *status.reason + ")" : ""));
  event.detail = {{"service", service}, {"state", status.state}};
  if (status.version) event.detail["version"] = *status.version;
  return event;
}

}  // namespace intercom::history
