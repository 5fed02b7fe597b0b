#pragma once
/// The page's edits of a rules document: its rules switched on (made if missing) or off (kept, with
/// their codes and texts, for later), their triggers and output actions set, and where each edited
/// part came from in the form, so that a refusal of the document can be shown next to its field.
/// Pure.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "linkage_form.hpp"

namespace intercom::web {

/// The longest a pulse may be, in ms (24 h), as output commands allow.
inline constexpr long long kMaxPulseMs = 86400000;

/// An edit of the rules document, remembering where each page rule went.
class RulesEdit {
 public:
  explicit RulesEdit(const nlohmann::json& rules_config);

  /// The rule with this id, or nothing.
  nlohmann::json* find(const std::string& id);
  /// Switches the rule off if it is there (it keeps its code and texts for later).
  void disable(const std::string& id);
  /// The rule with this id, switched on, made if missing.
  nlohmann::json& enable(const std::string& id, const std::string& description);
  /// Remembers that the rule with this id came from the form's section and fields: JSON pointer
  /// suffix → field.
  void map_fields(const std::string& id, const std::string& section, std::vector<std::pair<std::string, std::string>> fields);

  const nlohmann::json& document() const { return document_; }
  std::vector<std::pair<std::string, std::string>>& fields() { return fields_; }

 private:
  nlohmann::json document_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// Makes the rule drive the output with this action, keeping the rest of its actions (a delay, a
/// report) and what it says of the output already (a pulse's duration) when the action is the same.
void drive_output(nlohmann::json& rule, const std::string& output, const std::string& action);

/// The trigger object of the rule set to this type, keeping its other keys if the type was the same.
nlohmann::json& trigger_of(nlohmann::json& rule, const char* type);

/// A linkage's own pulse length from the form's "pulses" section: 0 is the output's duration.
std::optional<FormError> set_pulse_length(nlohmann::json& rule, const std::string& output, const nlohmann::json& form, const char* section);

}  // namespace intercom::web
