#include "intercom/contract/call_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const CallState& value) {
  json = nlohmann::json::object();
  put(json, "state", value.state);
  put(json, "call_id", value.call_id);
  put(json, "direction", value.direction);
  put(json, "peer", value.peer);
  put(json, "since", value.since);
  put(json, "end_reason", value.end_reason);
}

void from_json(const nlohmann::json& json, CallState& value) {
  take(json, "state", value.state);
  take(json, "call_id", value.call_id);
  take(json, "direction", value.direction);
  take(json, "peer", value.peer);
  take(json, "since", value.since);
  take(json, "end_reason", value.end_reason);
}

void to_json(nlohmann::json& json, const CallDtmf& value) {
  json = nlohmann::json::object();
  put(json, "call_id", value.call_id);
  put(json, "digit", value.digit);
  put(json, "source", value.source);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, CallDtmf& value) {
  take(json, "call_id", value.call_id);
  take(json, "digit", value.digit);
  take(json, "source", value.source);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const CallCommand& value) {
  json = nlohmann::json::object();
  put(json, "action", value.action);
  put(json, "uri", value.uri);
  put(json, "digits", value.digits);
  put(json, "call_id", value.call_id);
  put(json, "cause", value.cause);
  put(json, "request_id", value.request_id);
}

void from_json(const nlohmann::json& json, CallCommand& value) {
  take(json, "action", value.action);
  take(json, "uri", value.uri);
  take(json, "digits", value.digits);
  take(json, "call_id", value.call_id);
  take(json, "cause", value.cause);
  take(json, "request_id", value.request_id);
}

void to_json(nlohmann::json& json, const CallControl& value) {
  json = nlohmann::json::object();
  put(json, "action", value.action);
  put(json, "cause", value.cause);
  put(json, "request_id", value.request_id);
}

void from_json(const nlohmann::json& json, CallControl& value) {
  take(json, "action", value.action);
  take(json, "cause", value.cause);
  take(json, "request_id", value.request_id);
}

void to_json(nlohmann::json& json, const SimCallCommand& value) {
  json = nlohmann::json::object();
  put(json, "action", value.action);
  put(json, "from", value.from);
  put(json, "call_id", value.call_id);
  put(json, "digits", value.digits);
  put(json, "text", value.text);
}

void from_json(const nlohmann::json& json, SimCallCommand& value) {
  take(json, "action", value.action);
  take(json, "from", value.from);
  take(json, "call_id", value.call_id);
  take(json, "digits", value.digits);
  take(json, "text", value.text);
}

void to_json(nlohmann::json& json, const TelephonyRegistration& value) {
  json = nlohmann::json::object();
  put(json, "state", value.state);
  put(json, "registrar", value.registrar);
  put(json, "reason", value.reason);
  put(json, "since", value.since);
}

void from_json(const nlohmann::json& json, TelephonyRegistration& value) {
  take(json, "state", value.state);
  take(json, "registrar", value.registrar);
  take(json, "reason", value.reason);
  take(json, "since", value.since);
}

void to_json(nlohmann::json& json, const AudioSide& value) {
  json = nlohmann::json::object();
  put(json, "device", value.device);
  put(json, "state", value.state);
  put(json, "reason", value.reason);
}

void from_json(const nlohmann::json& json, AudioSide& value) {
  take(json, "device", value.device);
  take(json, "state", value.state);
  take(json, "reason", value.reason);
}

void to_json(nlohmann::json& json, const TelephonyAudio& value) {
  json = nlohmann::json::object();
  put(json, "sound_card", value.sound_card);
  put(json, "capture", value.capture);
  put(json, "playback", value.playback);
  put(json, "since", value.since);
}

void from_json(const nlohmann::json& json, TelephonyAudio& value) {
  take(json, "sound_card", value.sound_card);
  take(json, "capture", value.capture);
  take(json, "playback", value.playback);
  take(json, "since", value.since);
}
}  // namespace intercom::contract
