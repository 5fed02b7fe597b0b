#include "login_throttle.hpp"

#include <gtest/gtest.h>

namespace intercom::web {
namespace {

using namespace std::chrono_literals;

class Throttle : public ::testing::Test {
 protected:
  LoginThrottle throttle{{.max_failures = 5, .block = 300s, .max_clients = 3}};
  LoginThrottle::Clock::time_point now{};
};

TEST_F(Throttle, TheFifthFailureInARowBlocksThatClientForAWhile) {
  for (int i = 1; i <= 4; ++i) {
    const auto failure = throttle.failed("192.0.2.7", now);
    EXPECT_EQ(failure.failures, i);
    EXPECT_FALSE(failure.blocked_until);
    EXPECT_FALSE(throttle.blocked_until("192.0.2.7", now));
  }
  const auto fifth = throttle.failed("192.0.2.7", now);
  ASSERT_TRUE(fifth.blocked_until);
  EXPECT_EQ(*fifth.blocked_until, now + 300s);
  EXPECT_TRUE(throttle.blocked_until("192.0.2.7", now + 299s));
  EXPECT_FALSE(throttle.blocked_until("198.51.100.1", now)) << "another client is not blocked";
  EXPECT_FALSE(throttle.blocked_until("192.0.2.7", now + 300s)) << "the block ends";
}

TEST_F(Throttle, ASuccessClearsTheCountAndAnEndedBlockGivesFreshTries) {
  for (int i = 0; i < 4; ++i) throttle.failed("192.0.2.7", now);
  throttle.succeeded("192.0.2.7");
  EXPECT_EQ(throttle.failed("192.0.2.7", now).failures, 1);
  for (int i = 0; i < 4; ++i) throttle.failed("192.0.2.7", now);
  ASSERT_TRUE(throttle.blocked_until("192.0.2.7", now));
  EXPECT_EQ(throttle.failed("192.0.2.7", now + 301s).failures, 1) << "after the block, counting starts again";
}

TEST_F(Throttle, ManyClientsCannotFillMemoryAndTheOldestIsForgottenFirst) {
  throttle.failed("a", now);
  throttle.failed("b", now + 1s);
  throttle.failed("c", now + 2s);
  throttle.failed("d", now + 3s);
  EXPECT_EQ(throttle.remembered(), 3u);
  EXPECT_EQ(throttle.failed("a", now + 4s).failures, 1) << "a was forgotten";
}

}  // namespace
}  // namespace intercom::web
