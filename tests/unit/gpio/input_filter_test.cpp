#include "input_filter.hpp"

#include <gtest/gtest.h>

namespace intercom::gpio {
namespace {

using namespace std::chrono_literals;
const TimePoint t0{};  // a fake clock: tests pass time in

TEST(InputFilter, LowTriggerIsActiveOnLowLevel) {
  InputFilter filter({.trigger = ActiveLevel::low, .debounce = 0ms}, Level::high);
  EXPECT_FALSE(filter.active());
  EXPECT_EQ(filter.on_level(Level::low, t0), true);
  EXPECT_TRUE(filter.active());
  EXPECT_EQ(filter.on_level(Level::high, t0 + 1ms), false);
}

TEST(InputFilter, HighTriggerIsActiveOnHighLevel) {
  InputFilter filter({.trigger = ActiveLevel::high, .debounce = 0ms}, Level::low);
  EXPECT_FALSE(filter.active());
  EXPECT_EQ(filter.on_level(Level::high, t0), true);
  EXPECT_TRUE(filter.active());
  EXPECT_EQ(filter.level(), Level::high);
}

TEST(InputFilter, ABouncingContactGivesExactlyOneChange) {
  InputFilter filter({.trigger = ActiveLevel::low, .debounce = 50ms}, Level::high);
  int changes = 0;
  // 12 edges, 3 ms apart, ending low: a contact closing with bounce.
  TimePoint now = t0;
  for (int i = 0; i < 12; ++i) {
    if (filter.on_level(i % 2 == 0 ? Level::low : Level::high, now)) ++changes;
    now += 3ms;
  }
  if (filter.on_level(Level::low, now)) ++changes;
  EXPECT_EQ(changes, 0);  // nothing before it settles
  ASSERT_TRUE(filter.deadline());
  EXPECT_EQ(*filter.deadline(), now + 50ms);
  EXPECT_FALSE(filter.on_time(now + 49ms));
  EXPECT_EQ(filter.on_time(now + 50ms), true);
  EXPECT_FALSE(filter.deadline());
  EXPECT_FALSE(filter.on_time(now + 500ms));
}

TEST(InputFilter, AGlitchShorterThanTheDebounceGivesNothing) {
  InputFilter filter({.trigger = ActiveLevel::high, .debounce = 50ms}, Level::low);
  EXPECT_FALSE(filter.on_level(Level::high, t0));
  EXPECT_FALSE(filter.on_level(Level::low, t0 + 10ms));
  EXPECT_FALSE(filter.deadline());
  EXPECT_FALSE(filter.on_time(t0 + 100ms));
  EXPECT_FALSE(filter.active());
}

TEST(InputFilter, DelayedOnAndOffAddToTheDebounce) {
  InputFilter filter({.trigger = ActiveLevel::high, .debounce = 20ms, .delayed_on = 1000ms, .delayed_off = 200ms},
                     Level::low);
  filter.on_level(Level::high, t0);
  EXPECT_EQ(*filter.deadline(), t0 + 1020ms);
  EXPECT_FALSE(filter.on_time(t0 + 1019ms));
  EXPECT_EQ(filter.on_time(t0 + 1020ms), true);
  filter.on_level(Level::low, t0 + 2000ms);
  EXPECT_EQ(*filter.deadline(), t0 + 2220ms);
  EXPECT_EQ(filter.on_time(t0 + 2220ms), false);
}

TEST(InputFilter, APressShorterThanDelayedOnIsIgnored) {
  InputFilter filter({.trigger = ActiveLevel::high, .debounce = 20ms, .delayed_on = 500ms}, Level::low);
  filter.on_level(Level::high, t0);
  filter.on_level(Level::low, t0 + 300ms);
  EXPECT_FALSE(filter.on_time(t0 + 1s));
  EXPECT_FALSE(filter.active());
}

}  // namespace
}  // namespace intercom::gpio
