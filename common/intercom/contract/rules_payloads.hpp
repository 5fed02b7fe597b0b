#pragma once
/// The rules service's own topics: a rule fired, a DTMF code checked, a reload asked and done.
/// One type per payload, next to its topic; schemas/bus/ stays the authority (the bus validates
/// every payload against it), tests/unit/contract_test.cpp keeps the two equal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

struct FiredTrigger {
  std::string topic;
  std::string kind;
  bool operator==(const FiredTrigger&) const = default;
};
void to_json(nlohmann::json& json, const FiredTrigger& value);
void from_json(const nlohmann::json& json, FiredTrigger& value);

struct FiredAction {
  std::string topic;
  /// what the command does: an output's action (pulse, on, off, toggle, blink), send (a message), a call's
  /// action (dial, answer, hangup), publish
  std::optional<std::string> action;
  std::optional<std::string> request_id;
  bool operator==(const FiredAction&) const = default;
};
void to_json(nlohmann::json& json, const FiredAction& value);
void from_json(const nlohmann::json& json, FiredAction& value);

/// A rule fired, with what triggered it and the commands it sent (event)
struct RulesFired {
  static constexpr const TopicSpec& spec = topic::rules_fired;
  std::string rule;
  FiredTrigger trigger;
  std::vector<FiredAction> actions;
  std::string at;  ///< ISO 8601
  bool operator==(const RulesFired&) const = default;
};
void to_json(nlohmann::json& json, const RulesFired& value);
void from_json(const nlohmann::json& json, RulesFired& value);

/// A DTMF code entered during a call was checked (event). The digits are never published.
struct RulesCode {
  static constexpr const TopicSpec& spec = topic::rules_code;
  std::string result;  ///< accepted | rejected | locked; locked: refused unchecked because of a lockout
  std::string call_id;
  std::optional<std::string> rule;  ///< the rule whose code matched (accepted only)
  std::int64_t failures = 0;  ///< wrong codes in a row
  std::optional<std::string> locked_until;  ///< ISO 8601; present while code entry is locked
  std::string at;  ///< ISO 8601
  bool operator==(const RulesCode&) const = default;
};
void to_json(nlohmann::json& json, const RulesCode& value);
void from_json(const nlohmann::json& json, RulesCode& value);

/// Command for the rules service (never retained)
struct RulesCommand {
  static constexpr const TopicSpec& spec = topic::rules_command;
  std::string action;  ///< reload; reload: read the rules file again (as SIGHUP does)
  std::optional<std::string> request_id;
  bool operator==(const RulesCommand&) const = default;
};
void to_json(nlohmann::json& json, const RulesCommand& value);
void from_json(const nlohmann::json& json, RulesCommand& value);

/// Result of reading the rules file again (event); on failure the previous rules stay in force
struct RulesReloaded {
  static constexpr const TopicSpec& spec = topic::rules_reloaded;
  bool ok = false;
  std::int64_t rules = 0;  ///< rules in force now
  std::optional<std::string> error;  ///< why the file was refused: names the file and the JSON path
  std::optional<std::string> request_id;
  std::string at;  ///< ISO 8601
  bool operator==(const RulesReloaded&) const = default;
};
void to_json(nlohmann::json& json, const RulesReloaded& value);
void from_json(const nlohmann::json& json, RulesReloaded& value);

/// A payload a rule publishes for SCADA or home automation (event): whatever object the rule
/// configures, so it stays JSON.
struct RulesOut {
  static constexpr const TopicSpec& spec = topic::rules_out;
  nlohmann::json fields = nlohmann::json::object();
  bool operator==(const RulesOut&) const = default;
};
void to_json(nlohmann::json& json, const RulesOut& value);
void from_json(const nlohmann::json& json, RulesOut& value);

}  // namespace intercom::contract
