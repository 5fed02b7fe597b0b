#pragma once
/// The rules file as the engine runs it: the contract's RulesDocument (read from JSON the schema
/// validated) with its defaults filled in, times as minutes and codes checked against each other. Pure.
#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/call_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "intercom/contract/rules_payloads.hpp"

namespace intercom::rules {

using std::chrono::milliseconds;

struct DtmfSettings {
  milliseconds inter_digit_timeout{3000};
  int max_failures = 5;
  std::chrono::seconds lockout{30};
  std::size_t max_digits = 16;
  std::string access_reader;  ///< a code no rule has, of 4 to 12 digits, goes to access as a PIN keyed here; empty: none
};

enum class TriggerType { input, while_input, message, dtmf, call, while_call, access };
enum class Edge { active, inactive, changed };

struct RuleTrigger {
  TriggerType type = TriggerType::input;
  std::string input;                 ///< input, while_input
  Edge becomes = Edge::active;       ///< input
  std::string alert;                 ///< message
  std::string code;                  ///< dtmf
  std::vector<std::string> callers;  ///< dtmf: who may use the code (SIP URIs with '*'); empty: anyone
  std::vector<std::string> enters;   ///< call
  std::vector<std::string> leaves;   ///< call
  std::vector<std::string> states;   ///< while_call
  /// access: each, when given, narrows which checks fire the rule; empty: any
  std::string access_result;               ///< granted or refused
  std::vector<std::string> access_reasons;
  std::vector<std::string> access_doors;
  std::vector<std::string> access_users;
  /// while_input, while_call: how long the state must hold before the rule acts; a state that ends
  /// sooner does nothing (an auto-answered call rings for a millisecond: no relay click).
  milliseconds min_hold{0};
};

/// What min_hold is when the rule does not say: a quarter second for call states, none for inputs
/// (the gpio service's debounce and delays already filter them).
inline constexpr milliseconds kDefaultCallStateMinHold{250};

struct TimeWindow {
  std::vector<int> days;  ///< 0 = Sunday .. 6 = Saturday, as struct tm; empty = every day
  int from_minute = 0;    ///< minutes after midnight
  int to_minute = 24 * 60;
};

struct Condition {
  enum class Kind { input, output, call, time, profile } kind = Kind::input;
  std::string name;                 ///< input, output or time profile
  bool active = true;               ///< input, output, profile
  std::vector<std::string> states;  ///< call
  TimeWindow window;                ///< time
};

/// What an action sends: an output's command, a message, a call's command, or a rule's own payload.
using ActionCommand = std::variant<contract::OutputCommand, contract::MessageSend, contract::CallCommand, contract::RulesOut>;

struct RuleAction {
  enum class Kind { output, send_message, call, publish, delay } kind = Kind::output;
  std::string name;          ///< output name, or the publish name (<root>/rules/out/<name>)
  std::string topic;         ///< publish: an explicit topic instead of a name
  bool retain = false;       ///< publish
  /// What the action sends, as configured: the engine adds cause and request_id to a command.
  ActionCommand command;
  milliseconds delay{0};     ///< delay
};

struct Rule {
  std::string id;
  std::string description;
  bool enabled = true;
  RuleTrigger trigger;
  std::vector<Condition> conditions;
  std::vector<RuleAction> actions;

  bool state_bound() const {
    return trigger.type == TriggerType::while_input || trigger.type == TriggerType::while_call;
  }
};

struct RulesConfig {
  DtmfSettings dtmf;
  std::vector<Rule> rules;
};

/// Throws intercom::ConfigError with the JSON path for what the schema cannot say: a rule id used
/// twice; a state-bound rule with an output action other than on or blink (at the state's end the
/// service switches it off again); a call trigger with neither enters nor leaves; a time window
/// whose days or hours cannot be read.
RulesConfig parse_rules_config(const nlohmann::json& config);

/// Refuses (ConfigError::at the action or condition) a rules file that names an output not in
/// `known`, the outputs gpio has.
void refuse_unknown_outputs(const RulesConfig& config, const std::vector<std::string>& known);

}  // namespace intercom::rules
