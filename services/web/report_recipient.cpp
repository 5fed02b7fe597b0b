#include "report_recipient.hpp"

#include <algorithm>

#include "intercom/util/message_address.hpp"

namespace intercom::web {

std::optional<std::string> report_recipient_problem(std::string_view to, const std::optional<std::vector<std::string>>& aliases) {
  if (classify_address(to)) return std::nullopt;
  if (aliases && std::find(aliases->begin(), aliases->end(), to) != aliases->end()) return std::nullopt;
  const auto quoted = "\"" + std::string(to.substr(0, 100)) + "\"";
  if (!aliases)
    return quoted + " is no SIP URI or phone number, and the sms service is not running, so its aliases cannot be checked: "
                    "start it, or give a SIP URI (sip:alarm@pbx.example) or a number in international form (+44...)";
  std::string known;
  for (const auto& alias : *aliases) known += (known.empty() ? "" : ", ") + alias;
  return quoted + " is not an alias of the sms service (" + (known.empty() ? std::string("it has none") : "it has " + known) +
         "), a SIP URI (sip:alarm@pbx.example) or a phone number in international form (+44...): a report there could not be delivered";
}

}  // namespace intercom::web
