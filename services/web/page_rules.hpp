#pragma once
/// The rules the page owns, known by their ids (linkage_form.hpp lists them), and how the page
/// finds them and their parts in a rules document. A document from the bus is another service's:
/// what does not read as the page's rule is not one. Pure.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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

/// The rules of a rules document (an empty array when it has none).
const nlohmann::json& rules_of(const nlohmann::json& rules_config);
/// The rule with this id if its trigger is of this type: the page's rule for that setting.
const nlohmann::json* page_rule(const nlohmann::json& rules_config, const std::string& id, std::string_view trigger_type);
/// Whether the rule is there and not switched off.
bool rule_enabled(const nlohmann::json* rule);
/// The first action of the rule that drives this output.
const nlohmann::json* output_action(const nlohmann::json& rule, const std::string& output);
/// The first action of the rule that sends a message (its "send_message" object).
const nlohmann::json* send_message_action(const nlohmann::json& rule);

/// The ids of the rules the page owns in this document (those it recognises by id and trigger).
std::vector<std::string> owned_ids(const nlohmann::json& gpio_config, const nlohmann::json& rules_config);

}  // namespace intercom::web
