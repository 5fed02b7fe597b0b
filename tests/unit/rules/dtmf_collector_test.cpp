#include "dtmf_collector.hpp"

#include <gtest/gtest.h>

namespace intercom::rules {
namespace {

using namespace std::chrono_literals;
const TimePoint t0{};

DtmfCollector make_collector() {
  return DtmfCollector({.inter_digit_timeout = 3000ms, .max_failures = 5, .lockout = 30s, .max_digits = 8},
                       {{"1234", "open"}, {"4321", "reset"}, {"1234", "log"}});
}

std::optional<CodeCheck> enter(DtmfCollector& collector, const std::string& keys, TimePoint at, const std::string& call = "c1") {
  std::optional<CodeCheck> last;
  for (char key : keys)
    if (auto check = collector.on_digit(call, key, at)) last = check;
  return last;
}

TEST(DtmfCollector, HashSubmitsAtOnceAndEveryMatchingRuleIsNamed) {
  auto collector = make_collector();
  EXPECT_FALSE(enter(collector, "1234", t0));
  const auto check = enter(collector, "#", t0);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->result, CodeCheck::Result::accepted);
  EXPECT_EQ(check->rules, (std::vector<std::string>{"open", "log"}));
  EXPECT_EQ(check->call_id, "c1");
}

TEST(DtmfCollector, TheInterDigitTimeoutSubmits) {
  auto collector = make_collector();
  enter(collector, "432", t0);
  collector.on_digit("c1", '1', t0 + 1s);
  EXPECT_EQ(*collector.deadline(), t0 + 4s);
  EXPECT_TRUE(collector.on_time(t0 + 3999ms).empty());
  const auto checks = collector.on_time(t0 + 4s);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].rules, std::vector<std::string>{"reset"});
}

TEST(DtmfCollector, StarClearsAndAnEmptyHashDoesNothing) {
  auto collector = make_collector();
  EXPECT_FALSE(enter(collector, "99*", t0));
  EXPECT_EQ(enter(collector, "1234#", t0)->result, CodeCheck::Result::accepted);
  EXPECT_FALSE(enter(collector, "#", t0));
}

TEST(DtmfCollector, CallsAreCollectedSeparately) {
  auto collector = make_collector();
  enter(collector, "12", t0, "a");
  enter(collector, "43", t0, "b");
  enter(collector, "34", t0, "a");
  EXPECT_EQ(enter(collector, "#", t0, "a")->result, CodeCheck::Result::accepted);
}

TEST(DtmfCollector, AnEndedCallDropsItsDigits) {
  auto collector = make_collector();
  enter(collector, "12", t0);
  collector.end_call("c1");
  EXPECT_FALSE(collector.deadline());
  EXPECT_EQ(enter(collector, "34#", t0)->result, CodeCheck::Result::rejected);
}

TEST(DtmfCollector, FiveWrongCodesLockEvenTheRightCodeForThirtySeconds) {
  auto collector = make_collector();
  for (int i = 1; i <= 4; ++i) {
    const auto check = enter(collector, "0000#", t0);
    EXPECT_EQ(check->result, CodeCheck::Result::rejected);
    EXPECT_EQ(check->failures, i);
    EXPECT_FALSE(check->locked_until);
  }
  const auto fifth = enter(collector, "0000#", t0 + 1s);
  EXPECT_EQ(fifth->failures, 5);
  ASSERT_TRUE(fifth->locked_until);
  EXPECT_EQ(*fifth->locked_until, t0 + 31s);
  EXPECT_TRUE(collector.locked(t0 + 10s));
  const auto locked = enter(collector, "1234#", t0 + 10s);
  EXPECT_EQ(locked->result, CodeCheck::Result::locked);
  EXPECT_TRUE(locked->rules.empty());
  // Field use: locked refusals said "failures": 0. They carry the count that led to the lock.
  EXPECT_EQ(locked->failures, 5);
  EXPECT_FALSE(collector.locked(t0 + 31s));
  EXPECT_EQ(enter(collector, "1234#", t0 + 31s)->result, CodeCheck::Result::accepted);
}

// A code overheard is useless from another phone: from a caller not named, the right code is a
// wrong one, and counts towards the lockout.
TEST(DtmfCollector, ACodeLimitedToSomeCallersIsWrongFromAnyoneElse) {
  DtmfCollector collector({.max_failures = 2, .lockout = 30s},
                          {{"1234", "open", {"sip:100@pbx.local*", "sip:security*@pbx.local"}}, {"4321", "reset"}});
  collector.set_caller("c1", "sip:200@pbx.local");
  const auto stranger = enter(collector, "1234#", t0, "c1");
  EXPECT_EQ(stranger->result, CodeCheck::Result::rejected);
  EXPECT_EQ(stranger->failures, 1);
  EXPECT_EQ(enter(collector, "4321#", t0, "c1")->result, CodeCheck::Result::accepted) << "a code open to anyone";
  collector.set_caller("c2", "sip:security-desk@pbx.local");
  EXPECT_EQ(enter(collector, "1234#", t0, "c2")->rules, std::vector<std::string>{"open"});
  collector.set_caller("c3", "sip:100@pbx.local:5060");
  EXPECT_EQ(enter(collector, "1234#", t0, "c3")->result, CodeCheck::Result::accepted);
  EXPECT_EQ(enter(collector, "1234#", t0, "c4")->result, CodeCheck::Result::rejected) << "caller unknown";
}

TEST(DtmfCollector, ARightCodeResetsTheFailureCount) {
  auto collector = make_collector();
  for (int i = 0; i < 4; ++i) enter(collector, "0#", t0);
  enter(collector, "1234#", t0);
  EXPECT_EQ(enter(collector, "0#", t0)->failures, 1);
}

TEST(DtmfCollector, MaxDigitsSubmits) {
  auto collector = make_collector();
  const auto check = enter(collector, "12345678", t0);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->result, CodeCheck::Result::rejected);
}

TEST(DtmfCollector, AReconfigureKeepsTheLockout) {
  auto collector = make_collector();
  for (int i = 0; i < 5; ++i) enter(collector, "0#", t0);
  collector.reconfigure({.lockout = 30s}, {{"9999", "new"}});
  EXPECT_EQ(enter(collector, "9999#", t0 + 1s)->result, CodeCheck::Result::locked);
}

TEST(DtmfCollector, ACodeNoRuleHasIsForwardedAsAPinWhenAccessTakesThemAndStillCountsAsWrong) {
  DtmfCollector collector({.inter_digit_timeout = 3000ms, .max_failures = 3, .lockout = 30s, .max_digits = 16, .access_reader = "call"},
                          {{"1234", "open"}});
  const auto pin = enter(collector, "2580#", t0);
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->result, CodeCheck::Result::forwarded);
  EXPECT_EQ(pin->pin, "2580");
  EXPECT_EQ(pin->failures, 1) << "wrong until access grants it";
  collector.pin_granted();
  EXPECT_EQ(enter(collector, "9999#", t0)->failures, 1) << "a grant starts the count again";
  // Not a PIN's shape (3 digits, A-D): rejected here, nothing forwarded.
  const auto short_code = enter(collector, "999#", t0);
  EXPECT_EQ(short_code->result, CodeCheck::Result::rejected);
  EXPECT_FALSE(short_code->pin);
  EXPECT_EQ(enter(collector, "12AB#", t0)->result, CodeCheck::Result::rejected);
  // Three wrong in a row (PINs guessed included): locked, and a PIN is not forwarded while locked.
  EXPECT_TRUE(collector.locked(t0));
  const auto locked = enter(collector, "2580#", t0 + 1s);
  EXPECT_EQ(locked->result, CodeCheck::Result::locked);
  EXPECT_FALSE(locked->pin);
  // A rule's code is the rule's, never forwarded.
  EXPECT_EQ(enter(collector, "1234#", t0 + 31s)->result, CodeCheck::Result::accepted);
}

TEST(DtmfCollector, WithoutAnAccessReaderEveryCodeNoRuleHasIsRejected) {
  auto collector = make_collector();
  const auto check = enter(collector, "2580#", t0);
  EXPECT_EQ(check->result, CodeCheck::Result::rejected);
  EXPECT_FALSE(check->pin);
}

}  // namespace
}  // namespace intercom::rules
