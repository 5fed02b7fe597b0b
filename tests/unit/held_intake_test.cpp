#include "intercom/bus/held_intake.hpp"

#include <gtest/gtest.h>

namespace intercom {
namespace {

using namespace std::chrono_literals;

IncomingMessage command(const std::string& payload) { return {.topic = "intercom/d1/output/out1/set", .payload = payload}; }

TEST(HeldIntakeTest, GivesBackWhatItHeldInOrder) {
  HeldIntake held(10);
  const auto now = HeldIntake::Clock::now();
  ASSERT_TRUE(held.hold(command("1"), std::nullopt));
  ASSERT_TRUE(held.hold(command("2"), now + 30s));
  EXPECT_EQ(held.size(), 2u);
  EXPECT_EQ(held.next(now)->message.payload, "1");
  EXPECT_EQ(held.next(now)->message.payload, "2");
  EXPECT_FALSE(held.next(now));
  EXPECT_TRUE(held.empty());
}

TEST(HeldIntakeTest, AMessagePastItsExpiryComesBackMarkedExpiredAndCounted) {
  HeldIntake held(10);
  const auto start = HeldIntake::Clock::now();
  held.hold(command("open the door"), start + 30s);
  held.hold(command("no expiry"), std::nullopt);
  held.hold(command("later"), start + 60s);
  const auto expired = held.next(start + 31s);
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->message.payload, "open the door");
  EXPECT_TRUE(expired->expired) << "to acknowledge, not to carry out";
  EXPECT_EQ(held.take_expired(), 1u);
  EXPECT_EQ(held.take_expired(), 0u);
  const auto next = held.next(start + 31s);
  EXPECT_EQ(next->message.payload, "no expiry");
  EXPECT_FALSE(next->expired);
  EXPECT_FALSE(held.next(start + 31s)->expired);
}

TEST(HeldIntakeTest, AfterTheConnectionEndsOnlyWhatTheBrokerWillNotSendAgainIsKept) {
  HeldIntake held(10);
  auto qos1 = command("qos 1");
  qos1.packet_id = 7;
  held.hold(qos1, std::nullopt);
  held.hold(command("qos 0"), std::nullopt);
  EXPECT_EQ(held.forget_unacknowledged(), 1u);
  EXPECT_EQ(held.size(), 1u);
  EXPECT_EQ(held.next(HeldIntake::Clock::now())->message.payload, "qos 0");
}

TEST(HeldIntakeTest, RefusesMoreThanItsLimit) {
  HeldIntake held(2);
  EXPECT_TRUE(held.hold(command("1"), std::nullopt));
  EXPECT_TRUE(held.hold(command("2"), std::nullopt));
  EXPECT_TRUE(held.full());
  EXPECT_FALSE(held.hold(command("3"), std::nullopt));
  EXPECT_EQ(held.size(), 2u);
}

}  // namespace
}  // namespace intercom
