#include "binary_filters.hpp"

#include <gtest/gtest.h>

#include "input_filter.hpp"

namespace intercom::gpio {
namespace {

using namespace std::chrono_literals;
const TimePoint t0{};

TEST(InvertFilter, PassesTheOppositeAtOnce) {
  InvertFilter filter(/*initial_input=*/true);
  EXPECT_FALSE(filter.value());
  const auto passed = filter.on_value(false, t0 + 5ms);
  ASSERT_TRUE(passed);
  EXPECT_TRUE(passed->value);
  EXPECT_EQ(passed->at, t0 + 5ms);
  EXPECT_FALSE(filter.on_value(false, t0 + 6ms)) << "no change, nothing passed";
}

TEST(SettleFilter, AValueMustHoldEitherWay) {
  auto filter = settle_filter(50ms, false);
  EXPECT_FALSE(filter->on_value(true, t0));
  EXPECT_EQ(*filter->deadline(), t0 + 50ms);
  EXPECT_FALSE(filter->on_value(false, t0 + 10ms)) << "a glitch";
  EXPECT_FALSE(filter->deadline());
  filter->on_value(true, t0 + 20ms);
  const auto passed = filter->on_time(t0 + 500ms);  // woken late: the time it took effect is kept
  ASSERT_TRUE(passed);
  EXPECT_EQ(passed->at, t0 + 70ms);
  filter->on_value(false, t0 + 600ms);
  EXPECT_EQ(filter->on_time(t0 + 650ms)->value, false);
}

TEST(DelayedOnFilter, OnlyBecomingTrueWaits) {
  auto filter = delayed_on_filter(1s, false);
  EXPECT_FALSE(filter->on_value(true, t0));
  EXPECT_FALSE(filter->on_time(t0 + 999ms));
  EXPECT_TRUE(filter->on_time(t0 + 1s)->value);
  const auto off = filter->on_value(false, t0 + 2s);
  ASSERT_TRUE(off) << "becoming false passes at once";
  EXPECT_FALSE(off->value);
  filter->on_value(true, t0 + 3s);
  EXPECT_FALSE(filter->on_value(false, t0 + 3500ms)) << "a press shorter than the delay";
  EXPECT_FALSE(filter->on_time(t0 + 10s));
}

TEST(DelayedOffFilter, OnlyBecomingFalseWaits) {
  auto filter = delayed_off_filter(200ms, false);
  EXPECT_TRUE(filter->on_value(true, t0)->value) << "becoming true passes at once";
  EXPECT_FALSE(filter->on_value(false, t0 + 1s));
  EXPECT_FALSE(filter->on_value(true, t0 + 1100ms)) << "back before the delay: it never went off";
  filter->on_value(false, t0 + 2s);
  EXPECT_EQ(filter->on_time(t0 + 2200ms)->value, false);
}

TEST(InputFilterChain, LowTriggerSettleAndBothDelaysChained) {
  InputFilter filter({.trigger = ActiveLevel::low, .debounce = 20ms, .delayed_on = 1s, .delayed_off = 200ms}, Level::high);
  EXPECT_FALSE(filter.active());
  filter.on_level(Level::low, t0);  // the contact closes: active, after 20 ms + 1 s
  EXPECT_EQ(*filter.deadline(), t0 + 1020ms);
  EXPECT_EQ(filter.on_time(t0 + 1020ms), true);
  EXPECT_EQ(filter.level(), Level::low);
  filter.on_level(Level::high, t0 + 2s);
  EXPECT_EQ(*filter.deadline(), t0 + 2220ms);
  // A chain woken late still measures every delay from the edge before it.
  EXPECT_EQ(filter.on_time(t0 + 5s), false);
  EXPECT_EQ(filter.level(), Level::high);
}

TEST(InputFilterChain, ABounceShorterThanTheDebounceDoesNotRestartDelayedOn) {
  InputFilter filter({.trigger = ActiveLevel::high, .debounce = 20ms, .delayed_on = 500ms}, Level::low);
  filter.on_level(Level::high, t0);
  filter.on_time(t0 + 20ms);  // settled: delayed_on starts
  filter.on_level(Level::low, t0 + 100ms);
  filter.on_level(Level::high, t0 + 105ms);  // a 5 ms bounce, inside the debounce
  EXPECT_EQ(filter.on_time(t0 + 520ms), true);
}

}  // namespace
}  // namespace intercom::gpio
