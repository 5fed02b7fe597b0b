#pragma once
/// The guide's per-port settings, as the page shows them, and the configuration documents that put
/// an edited port in force. An input's settings are in the gpio configuration (label, trigger mode,
/// debounce) and in one rule (the alarm report); an output's are in gpio (label, NO/NC, duration)
/// and in the rules of its four triggers, one to one as services/rules/README.md maps them. The
/// page owns the rules it writes, known by their ids:
///
///   alarm-report-<input>                         input → send_message (the report to the server)
///   message-<output>, message-<output>-reset     remote message trigger and reset message
///   input-link-<output>                          input trigger
///   dtmf-<output>, dtmf-<output>-reset           remote DTMF trigger and reset code
///   call-state-<output>                          call-state trigger, reset by state
///   after-hangup-<output>                        trigger after hang-up, with its delay
///
/// A rule with such an id but another trigger, and every other rule, is not the page's: listed
/// read-only. A trigger switched off keeps its rule with "enabled": false (so a code is not lost).
/// Both documents come redacted (DTMF codes "********"); an unchanged code is sent back redacted
/// and the rules service keeps it. Pure.
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "field_map.hpp"
#include "linkage_view.hpp"

namespace intercom::web {

/// A form the page cannot send as it is: the form field (as "dtmf.code") and why.
struct FormError {
  std::string field;
  std::string reason;
};

/// The documents to send, each only if it changed, and which form field each part of them came from.
struct LinkageChange {
  std::optional<nlohmann::json> gpio;
  std::optional<nlohmann::json> rules;
  /// (JSON pointer prefix in the service's document, form field), per service.
  FieldMap gpio_fields;
  FieldMap rules_fields;

  /// The form field a config result's error path points into ("" when none does).
  std::string field_of(const std::string& service, const std::string& pointer) const;
};

using LinkageResult = std::variant<LinkageChange, FormError>;

/// An output's form: {"label","level","pulse_ms","message":{"enabled","trigger","reset"},
/// "input":{"enabled","input"}, "dtmf":{"enabled","code","reset_enabled","reset_code"},
/// "call_state":{"enabled","states","action"}, "after_hangup":{"enabled","delay_ms"},
/// "pulses":{"message","input","dtmf","after_hangup"}}; a section or field left out stays as it is.
/// Codes are given only to change them (4 to 32 keys; the reset code another than the trigger
/// code). Alert names are stored in capitals, as received alerts are compared. A pulse length in
/// "pulses" is that linkage's own, in ms (taken with its trigger's section); 0 is the output's
/// duration. A value out of its range is refused in the form's own units (seconds for durations).
LinkageResult output_change(const nlohmann::json& gpio_config, const nlohmann::json& rules_config,
                            const std::string& output, const nlohmann::json& form);

/// An input's form: {"label","trigger","debounce_ms","report":{"enabled","message","to"}}. The
/// report's recipient must be one the sms service can deliver to: one of `sms_aliases` (nothing:
/// the sms configuration is not known), a SIP URI or a phone number.
LinkageResult input_change(const nlohmann::json& gpio_config, const nlohmann::json& rules_config,
                           const std::string& input, const nlohmann::json& form,
                           const std::optional<std::vector<std::string>>& sms_aliases);

}  // namespace intercom::web
