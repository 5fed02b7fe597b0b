#include "send_plan.hpp"

#include "intercom/util/message_address.hpp"

namespace intercom::sms {
namespace {

SendPlan refused(std::string reason) { return {SendPlan::Kind::refused, {}, std::move(reason)}; }

}  // namespace

SendPlan plan_send(const SendRequest& request, const std::map<std::string, std::vector<std::string>>& aliases,
                   bool request_id_taken, const TransportCheck& can_take) {
  SendPlan plan;
  if (!request.request_id.empty() && request_id_taken) {
    plan.kind = SendPlan::Kind::duplicate;
    return plan;
  }
  const auto alias = aliases.find(request.to);
  const auto addresses = alias != aliases.end() ? alias->second : std::vector<std::string>{request.to};
  for (const auto& address : addresses) {
    const auto where = classify_address(address);
    if (!where) {
      return refused("\"" + address + "\" is not a configured alias, a SIP URI or a phone number in international form");
    }
    if (request.transport != "auto" && request.transport != where->transport) {
      return refused("transport " + request.transport + " asked for, but " + address + " is reached over " + where->transport);
    }
    if (auto refusal = can_take(where->transport, where->to, request.text)) return refused(*refusal);
    plan.sends.push_back({where->to, where->transport, alias != aliases.end() ? request.to : ""});
  }
  plan.kind = SendPlan::Kind::send;
  return plan;
}

}  // namespace intercom::sms
