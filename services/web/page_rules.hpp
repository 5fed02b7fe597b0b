#pragma once
/// The rules the page owns, known by their ids (linkage_form.hpp lists them), and how the page
/// finds them and their parts in the rules document. Pure.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/rules_document.hpp"

namespace intercom::web {

/// A rule's id with the trigger type that makes it the page's.
struct PageRuleId {
  std::string id;
  std::string_view trigger_type;
};

/// The rules of an output's linkages, in the order the page shows them.
std::vector<PageRuleId> output_rule_ids(const std::string& output);
/// The rule of an input's alarm report.
PageRuleId input_report_id(const std::string& input);

/// The rule with this id if its trigger is of this type: the page's rule for that setting.
const contract::Rule* page_rule(const contract::RulesDocument& rules, const std::string& id, std::string_view trigger_type);
/// The page's rule's trigger, of the type page_rule checked.
template <class Trigger>
const Trigger& trigger_of(const contract::Rule& rule) {
  return std::get<Trigger>(rule.trigger);
}
/// Whether the rule is there and not switched off.
bool rule_enabled(const contract::Rule* rule);
/// The first action of the rule that drives this output.
const contract::OutputAction* output_action(const contract::Rule& rule, const std::string& output);
/// The first message the rule sends.
const contract::MessageSend* send_message_action(const contract::Rule& rule);

/// The ids of the rules the page owns in this document (those it recognises by id and trigger).
std::vector<std::string> owned_ids(const nlohmann::json& gpio_config, const contract::RulesDocument& rules);

/// The rules document as the page reads it to show it: a document from the bus is another
/// service's, and what does not read as a rule is not the page's (the page lists it as it is).
contract::RulesDocument shown_rules(const nlohmann::json& rules_config);

}  // namespace intercom::web
