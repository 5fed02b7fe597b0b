#pragma once
/// The page's edits of the rules document: its rules switched on (made if missing) or off (kept,
/// with their codes and texts, for later), their triggers and output actions set, and where each
/// edited part came from in the form, so that a refusal of the document can be shown next to its
/// field. Every rule and member the page does not edit stays as it was. Pure.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/rules_document.hpp"
#include "linkage_form.hpp"

namespace intercom::web {

/// The longest a pulse may be, in ms (24 h), as output commands allow.
inline constexpr long long kMaxPulseMs = 86400000;

/// An edit of the rules document, remembering where each page rule went.
class RulesEdit {
 public:
  explicit RulesEdit(contract::RulesDocument rules) : document_(std::move(rules)) {}

  /// The rule with this id, or nothing.
  contract::Rule* find(const std::string& id);
  /// Switches the rule off if it is there (it keeps its code and texts for later).
  void disable(const std::string& id);
  /// The rule with this id, switched on, made if missing.
  contract::Rule& enable(const std::string& id, const std::string& description);
  /// Remembers that the rule with this id came from the form's section and fields: JSON pointer
  /// suffix → field.
  void map_fields(const std::string& id, const std::string& section, std::vector<std::pair<std::string, std::string>> fields);

  const contract::RulesDocument& document() const { return document_; }
  std::vector<std::pair<std::string, std::string>>& fields() { return fields_; }

 private:
  contract::RulesDocument document_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// Makes the rule drive the output with this action, keeping the rest of its actions (a delay, a
/// report) and what it says of the output already (a pulse's duration) when the action is the same.
void drive_output(contract::Rule& rule, const std::string& output, const std::string& action);

/// The rule's trigger, made one of this type if it was another (keeping its members if it was the same).
template <class Trigger>
Trigger& set_trigger(contract::Rule& rule) {
  if (!std::holds_alternative<Trigger>(rule.trigger)) rule.trigger = Trigger{};
  return std::get<Trigger>(rule.trigger);
}

/// A linkage's own pulse length from the form's "pulses" section: 0 is the output's duration.
std::optional<FormError> set_pulse_length(contract::Rule& rule, const std::string& output, const nlohmann::json& form, const char* section);

}  // namespace intercom::web
