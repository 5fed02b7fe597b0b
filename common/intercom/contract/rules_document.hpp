#pragma once
/// The rules file as the other services read it: the "config" of <root>/rules/config, the rules
/// service's configuration in force (schemas/config/rules.schema.json). discovery makes an event
/// entity per rule id; the web page lists the rules that would lose their recipient. The document
/// on the bus is another service's: what does not read as a rule is left out, never trusted.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace intercom::contract {

/// The ids of the rules, each once, in the document's order; a rule without a string id (or with
/// an empty one) is left out.
std::vector<std::string> rule_ids_of(const nlohmann::json& rules_config);

/// The ids of the enabled rules with an action that sends a message to `recipient` (an alias of
/// the sms service, a SIP URI or a number).
std::vector<std::string> rules_sending_to(const nlohmann::json& rules_config, const std::string& recipient);

}  // namespace intercom::contract
