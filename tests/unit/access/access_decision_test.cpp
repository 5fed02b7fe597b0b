// The door's one rule: who, which door, when; a credential found by its hash, a caller by their
// number or address; brute force locked out.
#include "access_decision.hpp"
#include "credential_lockout.hpp"

#include <gtest/gtest.h>

namespace intercom::access {
namespace {

using namespace std::chrono;

AccessMoment moment(std::int64_t wall_ms, int weekday, int hour) {
  return {wall_ms, {2026y / 12 / 4, weekday, hour * 60}};
}

TimeProfiles office_hours() {
  return parse_time_profiles({{"office", {{{"days", {"mon", "tue", "wed", "thu", "fri"}}, {"from", "08:00"}, {"to", "18:00"}}}}},
                             nlohmann::json::array());
}

AccessUser user(std::string profile = "") {
  return {.id = "anna", .name = "Anna", .callers = {"sip:anna@pbx.example", "+49 (151) 123-456"}, .doors = {"out1"},
          .valid_from_ms = 1000, .valid_until_ms = 5000, .profile = std::move(profile), .enabled = true};
}

std::string outcome(const AccessDecision& decision) { return decision.granted() ? "granted" : refusal_name(*decision.refusal); }

TEST(AccessDecision, EachReasonToRefuse) {
  const auto profiles = office_hours();
  const auto friday_noon = moment(2000, 5, 12);
  auto anna = user("office");
  EXPECT_EQ(outcome(decide(&anna, "out1", profiles, friday_noon)), "granted");
  EXPECT_EQ(outcome(decide(nullptr, "out1", profiles, friday_noon)), "unknown");
  EXPECT_EQ(outcome(decide(&anna, "out2", profiles, friday_noon)), "wrong_door");
  EXPECT_EQ(outcome(decide(&anna, "out1", profiles, moment(999, 5, 12))), "not_yet_valid");
  EXPECT_EQ(outcome(decide(&anna, "out1", profiles, moment(5000, 5, 12))), "expired") << "the end is exclusive";
  EXPECT_EQ(outcome(decide(&anna, "out1", profiles, moment(2000, 6, 12))), "outside_profile") << "Saturday";
  EXPECT_EQ(outcome(decide(&anna, "out1", profiles, moment(2000, 5, 19))), "outside_profile");
  anna.enabled = false;
  EXPECT_EQ(outcome(decide(&anna, "out1", profiles, friday_noon)), "disabled");
  auto lost = user("weekend");
  EXPECT_EQ(outcome(decide(&lost, "out1", profiles, friday_noon)), "no_profile") << "a profile not configured opens nothing";
  auto always = user();
  always.valid_from_ms.reset();
  always.valid_until_ms.reset();
  EXPECT_EQ(outcome(decide(&always, "out1", profiles, moment(0, 0, 3))), "granted");
}

TEST(AccessDirectory, ACredentialByItsHashACallerByNumberOrAddress) {
  AccessDirectory directory({{user()}, {{7, "anna", CredentialKind::card, "h-card", "fob"}, {8, "ghost", CredentialKind::pin, "h-ghost", ""}}});
  const auto match = directory.find("h-card");
  ASSERT_TRUE(match);
  EXPECT_EQ(match->user->name, "Anna");
  EXPECT_EQ(match->credential->id, 7);
  EXPECT_FALSE(directory.find("h-other"));
  EXPECT_FALSE(directory.find("h-ghost")) << "a credential whose user is gone is nobody's";
  ASSERT_NE(directory.find_caller("\"Anna\" <sip:ANNA@pbx.example;transport=tcp>"), nullptr);
  ASSERT_NE(directory.find_caller("tel:+49151123456"), nullptr);
  ASSERT_NE(directory.find_caller("sip:+49151123456@gsm-gateway.lan"), nullptr) << "a mobile's call through a gateway";
  EXPECT_EQ(directory.find_caller("sip:ben@pbx.example"), nullptr);
  EXPECT_EQ(directory.find_caller("+49151123457"), nullptr);
  EXPECT_EQ(directory.find_caller(""), nullptr);
}

TEST(CredentialLockout, WrongCredentialsInARowLockTheSourceAGrantResetsIt) {
  CredentialLockout lockout({3, 30s});
  const TimePoint t0{};
  EXPECT_FALSE(lockout.failed("keypad", t0));
  lockout.granted("keypad");
  EXPECT_EQ(lockout.failures("keypad"), 0);
  EXPECT_FALSE(lockout.failed("keypad", t0));
  EXPECT_FALSE(lockout.failed("keypad", t0));
  EXPECT_FALSE(lockout.locked_until("keypad", t0));
  EXPECT_TRUE(lockout.failed("keypad", t0 + 1s)) << "the third in a row locks";
  EXPECT_EQ(lockout.locked_until("keypad", t0 + 2s), t0 + 31s);
  EXPECT_FALSE(lockout.locked_until("reader", t0 + 2s)) << "another source is not locked";
  EXPECT_FALSE(lockout.failed("keypad", t0 + 3s)) << "already locked";
  EXPECT_FALSE(lockout.locked_until("keypad", t0 + 31s));
  EXPECT_FALSE(lockout.failed("keypad", t0 + 32s)) << "a new count after the lockout";
  EXPECT_EQ(lockout.failures("keypad"), 1);
}

}  // namespace
}  // namespace intercom::access
