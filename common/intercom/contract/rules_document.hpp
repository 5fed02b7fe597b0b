#pragma once
/// The rules file as typed values: the rules service's configuration (schemas/config/rules.schema.json)
/// and the "config" of <root>/rules/config, which the other services read (discovery makes an event
/// entity per rule id; the web page edits the rules it owns and keeps every other one as it is).
/// A member the file may leave out is optional and written back only when it was there, so that a
/// valid file reads and writes back to the same JSON. The schema stays the authority: a document is
/// validated before it is read here, and reading checks only what the types need.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/call_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/message_payloads.hpp"

namespace intercom::contract {

using Names = std::vector<std::string>;

/// {"type":"input"}: the input becomes active, inactive, or changes (default active).
struct InputTrigger {
  std::string input;
  std::optional<std::string> becomes;
  bool operator==(const InputTrigger&) const = default;
};
/// {"type":"while_input"}: state-bound, while the input is active.
struct WhileInputTrigger {
  std::string input;
  std::optional<std::int64_t> min_hold_ms;
  bool operator==(const WhileInputTrigger&) const = default;
};
/// {"type":"message"}: a trusted ALERT=<alert>.
struct MessageTrigger {
  std::string alert;
  bool operator==(const MessageTrigger&) const = default;
};
/// {"type":"dtmf"}: a code entered during a call (a secret: "********" in a redacted document).
struct DtmfTrigger {
  std::string code;
  std::optional<Names> callers;
  bool operator==(const DtmfTrigger&) const = default;
};
/// {"type":"call"}: the call enters or leaves states.
struct CallTrigger {
  std::optional<Names> enters;
  std::optional<Names> leaves;
  bool operator==(const CallTrigger&) const = default;
};
/// {"type":"while_call"}: state-bound, while the call is in one of the states.
struct WhileCallTrigger {
  Names states;
  std::optional<std::int64_t> min_hold_ms;
  bool operator==(const WhileCallTrigger&) const = default;
};
/// {"type":"access"}: a credential was checked at a door (the access service's event); each member
/// given narrows it: granted or refused, the refusal's reasons, the doors, the users.
struct AccessTrigger {
  std::optional<std::string> result;
  std::optional<Names> reasons;
  std::optional<Names> doors;
  std::optional<Names> users;
  bool operator==(const AccessTrigger&) const = default;
};
using RuleTrigger = std::variant<InputTrigger, WhileInputTrigger, MessageTrigger, DtmfTrigger, CallTrigger, WhileCallTrigger, AccessTrigger>;

/// The trigger's "type" as the file spells it.
std::string_view type_of(const RuleTrigger& trigger);

struct InputCondition {
  std::string input;
  std::optional<bool> active;
  bool operator==(const InputCondition&) const = default;
};
struct OutputCondition {
  std::string output;
  std::optional<bool> active;
  bool operator==(const OutputCondition&) const = default;
};
struct CallCondition {
  Names call;  ///< the call is in one of these states
  bool operator==(const CallCondition&) const = default;
};
struct TimeCondition {
  std::optional<Names> days;        ///< mon .. sun
  std::optional<std::string> from;  ///< HH:MM
  std::optional<std::string> to;    ///< HH:MM (24:00 is the day's end)
  bool operator==(const TimeCondition&) const = default;
};
/// {"profile": name}: a time profile of the access service holds (or not, with "active": false).
struct ProfileCondition {
  std::string profile;
  std::optional<bool> active;
  bool operator==(const ProfileCondition&) const = default;
};
using RuleCondition = std::variant<InputCondition, OutputCondition, CallCondition, TimeCondition, ProfileCondition>;

/// {"output": name, "action": ..., "duration_ms": ...}: the output's command, its name beside it.
struct OutputAction {
  std::string output;
  OutputCommand command;
  bool operator==(const OutputAction&) const = default;
};
struct SendMessageAction {
  MessageSend send_message;
  bool operator==(const SendMessageAction&) const = default;
};
struct CallAction {
  CallCommand call;
  bool operator==(const CallAction&) const = default;
};
/// {"publish": {...}}: the rule's own payload on <root>/rules/out/<name> or on a topic of its own.
struct PublishAction {
  std::optional<std::string> name;
  std::optional<std::string> topic;
  nlohmann::json payload = nlohmann::json::object();
  std::optional<bool> retain;
  bool operator==(const PublishAction&) const = default;
};
struct DelayAction {
  std::int64_t delay_ms = 0;
  bool operator==(const DelayAction&) const = default;
};
using RuleAction = std::variant<OutputAction, SendMessageAction, CallAction, PublishAction, DelayAction>;

struct Rule {
  std::string id;
  std::optional<std::string> description;
  std::optional<bool> enabled;
  RuleTrigger trigger;
  std::optional<std::vector<RuleCondition>> conditions;
  std::vector<RuleAction> actions;

  /// Whether the rule is in force (a rule is unless it says "enabled": false).
  bool is_enabled() const { return enabled.value_or(true); }
  bool operator==(const Rule&) const = default;
};

/// The "dtmf" section: how codes are collected and how wrong ones lock code entry.
struct DtmfSection {
  std::optional<std::int64_t> inter_digit_timeout_ms;
  std::optional<std::int64_t> max_failures;
  std::optional<std::int64_t> lockout_s;
  std::optional<std::int64_t> max_digits;
  std::optional<std::string> access_reader;  ///< a code no rule has goes to access as a PIN at this reader
  bool operator==(const DtmfSection&) const = default;
};

struct RulesDocument {
  std::optional<nlohmann::json> bus;  ///< how the rules service reaches the broker: not the rules' business
  std::optional<DtmfSection> dtmf;
  std::optional<std::vector<Rule>> rules;

  /// The rules (none when the file has no list).
  const std::vector<Rule>& rule_list() const;
  /// The list to edit, made if the file had none.
  std::vector<Rule>& rule_list();
  bool operator==(const RulesDocument&) const = default;
};

/// Each reads and writes its JSON form; reading throws (nlohmann::json::exception, or
/// std::invalid_argument for a trigger, condition or action of no known form) on what does not read.
void to_json(nlohmann::json& json, const RuleTrigger& value);
void from_json(const nlohmann::json& json, RuleTrigger& value);
void to_json(nlohmann::json& json, const RuleCondition& value);
void from_json(const nlohmann::json& json, RuleCondition& value);
void to_json(nlohmann::json& json, const RuleAction& value);
void from_json(const nlohmann::json& json, RuleAction& value);
void to_json(nlohmann::json& json, const Rule& value);
void from_json(const nlohmann::json& json, Rule& value);
void to_json(nlohmann::json& json, const DtmfSection& value);
void from_json(const nlohmann::json& json, DtmfSection& value);
void to_json(nlohmann::json& json, const RulesDocument& value);
void from_json(const nlohmann::json& json, RulesDocument& value);

/// The rules of a document from the bus that read as rules. The document is another service's:
/// what does not read as a rule (no id, an unknown trigger) is left out, never trusted.
std::vector<Rule> readable_rules(const nlohmann::json& rules_config);

/// The rules of the document, as it has them, but those with one of these ids: what does not read
/// as a rule is among them, as it is.
std::vector<nlohmann::json> rules_other_than(const nlohmann::json& rules_config, const std::vector<std::string>& ids);

/// The ids of the rules, each once, in the document's order, read from each rule's id alone; a
/// rule without a string id, or with an empty one, is left out.
std::vector<std::string> rule_ids_of(const nlohmann::json& rules_config);

/// The ids of the enabled rules with an action that sends a message to `recipient` (an alias of
/// the sms service, a SIP URI or a number).
std::vector<std::string> rules_sending_to(const nlohmann::json& rules_config, const std::string& recipient);

}  // namespace intercom::contract
