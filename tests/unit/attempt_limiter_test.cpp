#include "attempt_limiter.hpp"

#include <gtest/gtest.h>

namespace intercom::broker {
namespace {

using namespace std::chrono_literals;
using Clock = AttemptLimiter::Clock;

TEST(AttemptLimiter, AnAddressMayTryUpToTheLimitInAMinute) {
  AttemptLimiter limiter(3);
  const auto start = Clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.attempt("192.0.2.7", start + i * 1s).allowed) << i;
  const auto refused = limiter.attempt("192.0.2.7", start + 3s);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.report_refused, 1u) << "the first refusal is reported";
  EXPECT_FALSE(limiter.attempt("192.0.2.7", start + 4s).report_refused) << "not every one";
}

TEST(AttemptLimiter, OtherAddressesAreNotAffected) {
  AttemptLimiter limiter(2);
  const auto start = Clock::time_point{} + 1h;
  for (int i = 0; i < 10; ++i) limiter.attempt("192.0.2.66", start + i * 10ms);
  EXPECT_TRUE(limiter.attempt("192.0.2.10", start + 1s).allowed);
}

TEST(AttemptLimiter, AGuesserThatKeepsTryingStaysRefusedOneThatWaitsIsLetIn) {
  AttemptLimiter limiter(2);
  const auto start = Clock::time_point{} + 1h;
  auto now = start;
  for (int i = 0; i < 200; ++i, now += 1s) limiter.attempt("192.0.2.66", now);
  EXPECT_FALSE(limiter.attempt("192.0.2.66", now).allowed) << "every second for 200 s: still refused";
  EXPECT_TRUE(limiter.attempt("192.0.2.66", now + 61s).allowed) << "after a quiet minute";
}

TEST(AttemptLimiter, RefusalsAreReportedEveryNth) {
  AttemptLimiter limiter(1, 16, 10);
  const auto start = Clock::time_point{} + 1h;
  int reports = 0;
  for (int i = 0; i < 31; ++i)
    if (limiter.attempt("192.0.2.66", start + i * 1ms).report_refused) ++reports;
  EXPECT_EQ(reports, 4) << "refusals 1, 10, 20 and 30";
}

TEST(AttemptLimiter, MemoryStaysBoundedUnderAScanFromManyAddresses) {
  AttemptLimiter limiter(5, 100);
  const auto start = Clock::time_point{} + 1h;
  for (int i = 0; i < 10000; ++i) limiter.attempt("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), start);
  EXPECT_EQ(limiter.addresses(), 100u);
  // The most recent one is still counted.
  for (int i = 0; i < 5; ++i) limiter.attempt("10.0.39.15", start);
  EXPECT_FALSE(limiter.attempt("10.0.39.15", start).allowed);
}

}  // namespace
}  // namespace intercom::broker
