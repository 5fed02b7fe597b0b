#include "intercom/contract/io_payloads.hpp"

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {

void to_json(nlohmann::json& json, const InputState& value) {
  json = nlohmann::json::object();
  put(json, "active", value.active);
  put(json, "level", value.level);
  put(json, "since", value.since);
  put(json, "seq", value.seq);
  put(json, "label", value.label);
  put(json, "fallback", value.fallback);
}

void from_json(const nlohmann::json& json, InputState& value) {
  take(json, "active", value.active);
  take(json, "level", value.level);
  take(json, "since", value.since);
  take(json, "seq", value.seq);
  take(json, "label", value.label);
  take(json, "fallback", value.fallback);
}

void to_json(nlohmann::json& json, const OutputState& value) {
  json = nlohmann::json::object();
  put(json, "active", value.active);
  put(json, "mode", value.mode);
  put(json, "remaining_ms", value.remaining_ms);
  put(json, "since", value.since);
  put(json, "cause", value.cause);
  put(json, "request_id", value.request_id);
  put(json, "label", value.label);
}

void from_json(const nlohmann::json& json, OutputState& value) {
  take(json, "active", value.active);
  take(json, "mode", value.mode);
  take(json, "remaining_ms", value.remaining_ms);
  take(json, "since", value.since);
  take(json, "cause", value.cause);
  take(json, "request_id", value.request_id);
  take(json, "label", value.label);
}

void to_json(nlohmann::json& json, const OutputCommand& value) {
  json = nlohmann::json::object();
  put(json, "action", value.action);
  put(json, "duration_ms", value.duration_ms);
  put(json, "on_ms", value.on_ms);
  put(json, "off_ms", value.off_ms);
  put(json, "count", value.count);
  put(json, "cause", value.cause);
  put(json, "request_id", value.request_id);
}

void from_json(const nlohmann::json& json, OutputCommand& value) {
  take(json, "action", value.action);
  take(json, "duration_ms", value.duration_ms);
  take(json, "on_ms", value.on_ms);
  take(json, "off_ms", value.off_ms);
  take(json, "count", value.count);
  take(json, "cause", value.cause);
  take(json, "request_id", value.request_id);
}

void to_json(nlohmann::json& json, const SimInputLevel& value) {
  json = nlohmann::json::object();
  put(json, "level", value.level);
}

void from_json(const nlohmann::json& json, SimInputLevel& value) {
  take(json, "level", value.level);
}

void to_json(nlohmann::json& json, const GpioFallback& value) {
  json = nlohmann::json::object();
  put(json, "linkage", value.linkage);
  put(json, "input", value.input);
  put(json, "output", value.output);
  put(json, "action", value.action);
  put(json, "why", value.why);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, GpioFallback& value) {
  take(json, "linkage", value.linkage);
  take(json, "input", value.input);
  take(json, "output", value.output);
  take(json, "action", value.action);
  take(json, "why", value.why);
  take(json, "at", value.at);
}

void to_json(nlohmann::json& json, const SimWiegandFrame& value) {
  json = nlohmann::json::object();
  put(json, "bits", value.bits);
  put(json, "pulse_us", value.pulse_us);
  put(json, "interval_us", value.interval_us);
}

void from_json(const nlohmann::json& json, SimWiegandFrame& value) {
  take(json, "bits", value.bits);
  take(json, "pulse_us", value.pulse_us);
  take(json, "interval_us", value.interval_us);
}

void to_json(nlohmann::json& json, const SimOutputLevel& value) {
  json = nlohmann::json::object();
  put(json, "level", value.level);
  put(json, "at", value.at);
}

void from_json(const nlohmann::json& json, SimOutputLevel& value) {
  take(json, "level", value.level);
  take(json, "at", value.at);
}
}  // namespace intercom::contract
