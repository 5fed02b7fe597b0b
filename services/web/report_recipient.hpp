#pragma once
/// Where an alarm report may go, checked when the page saves it rather than when the input
/// triggers: an alias of the sms service's configuration, a SIP URI or a phone number in
/// international form, as the sms service sends (intercom/util/message_address.hpp). Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intercom::web {

/// Why a report cannot go to `to`, or nothing if it can. `aliases`: the sms service's aliases, or
/// nothing while its configuration is not known (then only an address is accepted).
std::optional<std::string> report_recipient_problem(std::string_view to, const std::optional<std::vector<std::string>>& aliases);

}  // namespace intercom::web
