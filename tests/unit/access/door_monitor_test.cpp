// One door as access control watches it: the exit button opens, a door opened with the lock shut
// is forced, one left open is held open, closing ends the alarms and relocks if so set.
#include <gtest/gtest.h>

#include "door_monitor.hpp"

namespace intercom::access {
namespace {

using namespace std::chrono_literals;

const TimePoint t0 = TimePoint{} + 1h;

DoorSettings front(std::chrono::seconds held_open = 30s, bool relock = false) {
  return {.label = "Front door", .lock = "out1", .contact = "in1", .exit = "in3", .held_open = held_open, .grace = 2s, .relock_on_close = relock};
}

TEST(DoorMonitor, TheDoorOpenedWithTheLockShutIsForcedUntilItCloses) {
  DoorMonitor door(front());
  door.contact(false, true, t0);
  const auto opened = door.contact(true, false, t0 + 1s);
  EXPECT_EQ(opened.alarms, std::vector<std::string>{"forced"});
  EXPECT_TRUE(opened.state_changed);
  EXPECT_TRUE(door.state().forced);
  EXPECT_FALSE(opened.open_for_exit);
  const auto closed = door.contact(false, false, t0 + 5s);
  EXPECT_TRUE(closed.alarms.empty());
  EXPECT_FALSE(door.state().forced);
  EXPECT_EQ(door.state().open, false);
}

TEST(DoorMonitor, OpenedWhileTheLockIsOpenOrJustAfterItIsNotForced) {
  DoorMonitor door(front());
  door.contact(false, true, t0);
  door.lock(true, true, t0);
  EXPECT_TRUE(door.contact(true, false, t0 + 1s).alarms.empty());
  door.contact(false, false, t0 + 3s);
  door.lock(false, false, t0 + 5s);
  EXPECT_TRUE(door.contact(true, false, t0 + 6s).alarms.empty()) << "1 s after the lock shut: within grace";
  door.contact(false, false, t0 + 7s);
  EXPECT_EQ(door.contact(true, false, t0 + 8s).alarms, std::vector<std::string>{"forced"}) << "3 s after: forced";
}

TEST(DoorMonitor, TheExitButtonOpensTheLockAndTheDoorMayOpenBeforeTheLocksStateArrives) {
  DoorMonitor door(front());
  door.contact(false, true, t0);
  const auto pressed = door.exit(true, false, t0 + 1s);
  EXPECT_TRUE(pressed.open_for_exit);
  EXPECT_FALSE(door.exit(false, false, t0 + 1200ms).open_for_exit) << "the release opens nothing";
  EXPECT_TRUE(door.contact(true, false, t0 + 1500ms).alarms.empty());
}

TEST(DoorMonitor, WhatWasTrueBeforeThisStartIsKnownNotActedOn) {
  DoorMonitor door(front());
  EXPECT_FALSE(door.exit(true, true, t0).open_for_exit) << "a retained press opens nothing";
  const auto found_open = door.contact(true, true, t0);
  EXPECT_TRUE(found_open.alarms.empty()) << "a door found open was not seen forced";
  EXPECT_EQ(door.state().open, true);
  ASSERT_TRUE(door.deadline());
  EXPECT_EQ(*door.deadline(), t0 + 30s) << "held open counts from when it was found open";
}

TEST(DoorMonitor, ADoorLeftOpenIsHeldOpenOnceAndClosingEndsIt) {
  DoorMonitor door(front(10s));
  door.contact(false, true, t0);
  door.lock(true, true, t0);
  door.contact(true, false, t0 + 1s);
  ASSERT_TRUE(door.deadline());
  EXPECT_TRUE(door.on_time(t0 + 10s).alarms.empty()) << "not before";
  const auto held = door.on_time(t0 + 11s);
  EXPECT_EQ(held.alarms, std::vector<std::string>{"held_open"});
  EXPECT_TRUE(door.state().held_open);
  EXPECT_FALSE(door.deadline()) << "raised once";
  const auto closed = door.contact(false, false, t0 + 20s);
  EXPECT_TRUE(closed.state_changed);
  EXPECT_FALSE(door.state().held_open);
}

TEST(DoorMonitor, NewSettingsKeepWhatTheDoorIsUnlessTheContactIsAnother) {
  DoorMonitor door(front());
  door.contact(false, true, t0);
  door.contact(true, false, t0 + 1s);
  ASSERT_TRUE(door.state().forced);
  door.change_settings(front(5s));
  EXPECT_EQ(door.state(), (DoorState{.open = true, .forced = true, .held_open = false})) << "still forced open";
  EXPECT_EQ(door.deadline(), t0 + 6s) << "held open 5 s after it opened, not after the change";
  EXPECT_EQ(door.on_time(t0 + 6s).alarms, std::vector<std::string>{"held_open"});
  auto other = front(5s);
  other.contact = "in2";
  door.change_settings(other);
  EXPECT_EQ(door.state(), DoorState{}) << "another contact: not known yet";
  EXPECT_FALSE(door.deadline());
}

TEST(DoorMonitor, NoHeldOpenAlarmWhenItsTimeIsZero) {
  DoorMonitor door(front(0s));
  door.contact(true, true, t0);
  EXPECT_FALSE(door.deadline());
}

TEST(DoorMonitor, ClosingRelocksAPulseOnlyWhenSetAndOnlyAfterTheDoorOpenedForIt) {
  DoorMonitor door(front(30s, true));
  door.contact(false, true, t0);
  door.lock(true, true, t0);
  EXPECT_FALSE(door.contact(false, false, t0 + 1s).relock) << "it never opened";
  door.contact(true, false, t0 + 2s);
  EXPECT_TRUE(door.contact(false, false, t0 + 4s).relock);

  DoorMonitor held(front(30s, true));
  held.contact(false, true, t0);
  held.lock(true, false, t0);  // "on": held open by a rule, a schedule, not a grant's pulse
  held.contact(true, false, t0 + 1s);
  EXPECT_FALSE(held.contact(false, false, t0 + 2s).relock);

  DoorMonitor unset(front(30s, false));
  unset.contact(false, true, t0);
  unset.lock(true, true, t0);
  unset.contact(true, false, t0 + 1s);
  EXPECT_FALSE(unset.contact(false, false, t0 + 2s).relock);
}

}  // namespace
}  // namespace intercom::access
