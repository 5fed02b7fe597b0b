// Which calls ring, and how a flood of declined ones is reported: once, then counted.
#include "call_screen.hpp"

#include <gtest/gtest.h>

namespace intercom::telephony {
namespace {

using namespace std::chrono_literals;

const SipOrigin kScanner{"192.0.2.66", "unknown"};
const SipOrigin kPbx{"192.0.2.10", "pbx"};

TEST(CallScreen, AHostThatMayNotCallIsDeclinedOnceSomeoneIsTrusted) {
  EXPECT_TRUE(CallScreen(true, true).declines(kScanner));
  EXPECT_FALSE(CallScreen(true, true).declines(kPbx));
  EXPECT_FALSE(CallScreen(true, false).declines(kScanner)) << "no registrar, no peer hosts: nobody to tell callers apart by";
  EXPECT_FALSE(CallScreen(false, true).declines(kScanner)) << "sip.calls_from anyone";
}

TEST(CallScreen, AFloodIsReportedOnceAnIntervalWithItsCount) {
  CallScreen screen(true, true, 10s);
  const auto start = std::chrono::steady_clock::time_point{} + 1h;
  const auto first = screen.declined(kScanner, "sip:100@192.0.2.66", start);
  ASSERT_TRUE(first);
  EXPECT_NE(first->find("declined a call from sip:100@192.0.2.66 (it came from 192.0.2.66)"), std::string::npos) << *first;
  for (int i = 1; i < 500; ++i) EXPECT_FALSE(screen.declined(kScanner, "sip:" + std::to_string(i) + "@x", start + 1ms * i));
  EXPECT_TRUE(screen.has_unreported());
  EXPECT_FALSE(screen.flush(start + 5s)) << "not before the interval";
  const auto summary = screen.flush(start + 10s);
  ASSERT_TRUE(summary);
  EXPECT_NE(summary->find("declined 499 calls since the last report"), std::string::npos) << *summary;
  EXPECT_NE(summary->find("500 declined since the start"), std::string::npos) << *summary;
  EXPECT_FALSE(screen.has_unreported());
  EXPECT_FALSE(screen.flush(start + 60s)) << "nothing new, nothing said";
}

}  // namespace
}  // namespace intercom::telephony
