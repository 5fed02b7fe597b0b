#include "send_plan.hpp"

#include <gtest/gtest.h>

namespace intercom::sms {
namespace {

const std::map<std::string, std::vector<std::string>> kAliases{
    {"alarm-server", {"sip:alarm@pbx.local", "+49 151 9999 9999"}}, {"nobody", {"not an address"}}};

/// Both transports configured; GSM texts over 160 characters refused, as the modem would.
std::optional<std::string> both_transports(const std::string& transport, const std::string&, const std::string& text) {
  if (transport == "gsm" && text.size() > 160) return "too long for a text";
  return std::nullopt;
}

TEST(SendPlan, AnAliasSendsToEachOfItsAddressesOverItsOwnTransport) {
  const auto plan = plan_send({"alarm-server", "ALERT=IN1_ACTIVE"}, kAliases, false, both_transports);
  ASSERT_EQ(plan.kind, SendPlan::Kind::send) << plan.reason;
  ASSERT_EQ(plan.sends.size(), 2u);
  EXPECT_EQ(plan.sends[0].to, "sip:alarm@pbx.local");
  EXPECT_EQ(plan.sends[0].transport, "sip");
  EXPECT_EQ(plan.sends[1].to, "+4915199999999");
  EXPECT_EQ(plan.sends[1].transport, "gsm");
  EXPECT_EQ(plan.sends[1].alias, "alarm-server");
}

TEST(SendPlan, AnAddressItselfNeedsNoAlias) {
  const auto plan = plan_send({"0049 151 1234 5678", "hello"}, kAliases, false, both_transports);
  ASSERT_EQ(plan.kind, SendPlan::Kind::send);
  EXPECT_EQ(plan.sends.at(0).to, "+4915112345678");
  EXPECT_EQ(plan.sends.at(0).alias, "");
}

TEST(SendPlan, ACommandIsSentWholeOrNotAtAll) {
  // The SIP address is fine, the GSM one is not: nothing is planned.
  const auto plan = plan_send({"alarm-server", std::string(161, 'x')}, kAliases, false, both_transports);
  EXPECT_EQ(plan.kind, SendPlan::Kind::refused);
  EXPECT_TRUE(plan.sends.empty());
  EXPECT_EQ(plan.reason, "too long for a text");
  EXPECT_EQ(plan_send({"nobody", "x"}, kAliases, false, both_transports).reason,
            "\"not an address\" is not a configured alias, a SIP URI or a phone number in international form");
}

TEST(SendPlan, ATransportAskedForMustReachEveryAddress) {
  const auto plan = plan_send({"alarm-server", "x", "gsm"}, kAliases, false, both_transports);
  EXPECT_EQ(plan.kind, SendPlan::Kind::refused);
  EXPECT_EQ(plan.reason, "transport gsm asked for, but sip:alarm@pbx.local is reached over sip");
}

TEST(SendPlan, AMissingTransportIsNamed) {
  const auto no_modem = [](const std::string& transport, const std::string&, const std::string&) -> std::optional<std::string> {
    if (transport == "gsm") return "no modem is configured (config: modem)";
    return std::nullopt;
  };
  EXPECT_EQ(plan_send({"+4915112345678", "x"}, kAliases, false, no_modem).reason, "no modem is configured (config: modem)");
}

TEST(SendPlan, ARequestIdTakenBeforeIsADuplicateNotARefusal) {
  EXPECT_EQ(plan_send({"alarm-server", "x", "auto", "r-1"}, kAliases, true, both_transports).kind, SendPlan::Kind::duplicate);
  EXPECT_EQ(plan_send({"alarm-server", "x", "auto", ""}, kAliases, true, both_transports).kind, SendPlan::Kind::send)
      << "without an id nothing can be a duplicate";
}

}  // namespace
}  // namespace intercom::sms
