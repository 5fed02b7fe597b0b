#include "intercom/contract/message_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const MessageReceived& value) {
  json = nlohmann::json::object();
  put(json, "from", value.from);
  put(json, "transport", value.transport);
  put(json, "text", value.text);
  put(json, "alert", value.alert);
  put(json, "trusted", value.trusted);
  put(json, "untrusted_reason", value.untrusted_reason);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, MessageReceived& value) {
  take(json, "from", value.from);
  take(json, "transport", value.transport);
  take(json, "text", value.text);
  take(json, "alert", value.alert);
  take(json, "trusted", value.trusted);
  take(json, "untrusted_reason", value.untrusted_reason);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const MessageSend& value) {
  json = nlohmann::json::object();
  put(json, "to", value.to);
  put(json, "text", value.text);
  put(json, "transport", value.transport);
  put(json, "cause", value.cause);
  put(json, "request_id", value.request_id);
}

void from_json(const nlohmann::json& json, MessageSend& value) {
  take(json, "to", value.to);
  take(json, "text", value.text);
  take(json, "transport", value.transport);
  take(json, "cause", value.cause);
  take(json, "request_id", value.request_id);
}

void to_json(nlohmann::json& json, const MessageResult& value) {
  json = nlohmann::json::object();
  put(json, "request_id", value.request_id);
  put(json, "to", value.to);
  put(json, "alias", value.alias);
  put(json, "transport", value.transport);
  put(json, "state", value.state);
  put(json, "delivered", value.delivered);
  put(json, "attempts", value.attempts);
  put(json, "reason", value.reason);
  put(json, "detail", value.detail);
  put(json, "next_attempt_at", value.next_attempt_at);
  put(json, "cause", value.cause);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, MessageResult& value) {
  take(json, "request_id", value.request_id);
  take(json, "to", value.to);
  take(json, "alias", value.alias);
  take(json, "transport", value.transport);
  take(json, "state", value.state);
  take(json, "delivered", value.delivered);
  take(json, "attempts", value.attempts);
  take(json, "reason", value.reason);
  take(json, "detail", value.detail);
  take(json, "next_attempt_at", value.next_attempt_at);
  take(json, "cause", value.cause);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const SipMessageReceived& value) {
  json = nlohmann::json::object();
  put(json, "from", value.from);
  put(json, "text", value.text);
  put(json, "source", value.source);
  put(json, "route", value.route);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, SipMessageReceived& value) {
  take(json, "from", value.from);
  take(json, "text", value.text);
  take(json, "source", value.source);
  take(json, "route", value.route);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const SipMessageSend& value) {
  json = nlohmann::json::object();
  put(json, "to", value.to);
  put(json, "text", value.text);
  put(json, "request_id", value.request_id);
}

void from_json(const nlohmann::json& json, SipMessageSend& value) {
  take(json, "to", value.to);
  take(json, "text", value.text);
  take(json, "request_id", value.request_id);
}

void to_json(nlohmann::json& json, const SipMessageResult& value) {
  json = nlohmann::json::object();
  put(json, "request_id", value.request_id);
  put(json, "to", value.to);
  put(json, "delivered", value.delivered);
  put(json, "reason", value.reason);
  put(json, "permanent", value.permanent);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, SipMessageResult& value) {
  take(json, "request_id", value.request_id);
  take(json, "to", value.to);
  take(json, "delivered", value.delivered);
  take(json, "reason", value.reason);
  take(json, "permanent", value.permanent);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const SmsModem& value) {
  json = nlohmann::json::object();
  put(json, "state", value.state);
  put(json, "device", value.device);
  put(json, "reason", value.reason);
  put(json, "since", value.since);
}

void from_json(const nlohmann::json& json, SmsModem& value) {
  take(json, "state", value.state);
  take(json, "device", value.device);
  take(json, "reason", value.reason);
  take(json, "since", value.since);
}

void to_json(nlohmann::json& json, const SmsOutbox& value) {
  json = nlohmann::json::object();
  put(json, "pending", value.pending);
  put(json, "sip", value.sip);
  put(json, "gsm", value.gsm);
  put(json, "oldest_at", value.oldest_at);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, SmsOutbox& value) {
  take(json, "pending", value.pending);
  take(json, "sip", value.sip);
  take(json, "gsm", value.gsm);
  take(json, "oldest_at", value.oldest_at);
  take(json, "at", value.at);
}
}  // namespace intercom::contract
