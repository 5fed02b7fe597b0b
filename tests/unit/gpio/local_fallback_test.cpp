// The linkages gpio carries out itself: only while the bus or the access service is away; a
// release the fallback started ends when its input does, whoever is back.
#include <gtest/gtest.h>

#include "local_fallback.hpp"

namespace intercom::gpio {
namespace {

LocalFallback door() {
  return LocalFallback({{LocalLinkage::Kind::exit, "in3", "out1"}, {LocalLinkage::Kind::release, "in4", "out1"}});
}

TEST(LocalFallback, TheExitButtonPulsesTheLockOnlyWhileTheBusOrAccessIsAway) {
  auto fallback = door();
  EXPECT_TRUE(fallback.in_force()) << "nothing heard yet: away";
  fallback.set_bus_connected(true);
  EXPECT_EQ(fallback.why(), "the access service is offline");
  auto actions = fallback.on_input("in3", true);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].linkage->output, "out1");
  EXPECT_EQ(actions[0].command.action, OutputAction::pulse);
  EXPECT_EQ(actions[0].command.cause, "local:exit");
  EXPECT_FALSE(actions[0].only_if_cause);
  EXPECT_TRUE(fallback.on_input("in3", false).empty()) << "the release of the button does nothing";
  fallback.set_access_online(true);
  EXPECT_FALSE(fallback.in_force());
  EXPECT_TRUE(fallback.on_input("in3", true).empty()) << "access opens for the exit button";
  fallback.set_bus_connected(false);
  EXPECT_EQ(fallback.why(), "the bus is away");
  EXPECT_EQ(fallback.on_input("in3", true).size(), 1u);
}

TEST(LocalFallback, AReleaseHoldsTheLockWhileItsInputIsActiveAndEndsOnlyWhatItStarted) {
  auto fallback = door();
  auto on = fallback.on_input("in4", true);
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].command.action, OutputAction::on);
  EXPECT_EQ(on[0].command.cause, "local:release");
  fallback.set_bus_connected(true);
  fallback.set_access_online(true);
  EXPECT_TRUE(fallback.on_input("in4", true).empty()) << "with everyone back, rules decide";
  const auto off = fallback.on_input("in4", false);
  ASSERT_EQ(off.size(), 1u) << "the end is carried out whoever is back";
  EXPECT_EQ(off[0].command.action, OutputAction::off);
  EXPECT_EQ(off[0].only_if_cause, "local:release");
}

TEST(LocalFallback, AnInputWithoutALinkageDoesNothing) {
  auto fallback = door();
  EXPECT_TRUE(fallback.on_input("in1", true).empty());
  fallback.reconfigure({});
  EXPECT_TRUE(fallback.on_input("in3", true).empty());
}

}  // namespace
}  // namespace intercom::gpio
