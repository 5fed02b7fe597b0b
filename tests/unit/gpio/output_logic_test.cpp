#include "output_logic.hpp"

#include <gtest/gtest.h>

namespace intercom::gpio {
namespace {

using namespace std::chrono_literals;
const TimePoint t0{};

OutputCommand command(OutputAction action, std::optional<milliseconds> duration = std::nullopt) {
  return OutputCommand{.action = action, .duration = duration, .cause = "test", .request_id = "r"};
}

TEST(OutputLogic, StartsOffAtItsInactiveLevel) {
  OutputLogic no({.name = "a", .polarity = Polarity::normally_open});
  OutputLogic nc({.name = "b", .polarity = Polarity::normally_closed});
  EXPECT_FALSE(no.active());
  EXPECT_EQ(no.level(), Level::low);
  EXPECT_EQ(nc.level(), Level::high);
  EXPECT_FALSE(no.deadline());
}

TEST(OutputLogic, OnOffAndToggleDriveTheLevelByPolarity) {
  OutputLogic no({.name = "a", .polarity = Polarity::normally_open});
  OutputLogic nc({.name = "b", .polarity = Polarity::normally_closed});
  for (auto* output : {&no, &nc}) output->apply(command(OutputAction::on), t0);
  EXPECT_EQ(no.level(), Level::high);
  EXPECT_EQ(nc.level(), Level::low);
  EXPECT_EQ(no.mode(), Mode::on);
  EXPECT_FALSE(no.deadline());  // "on" without a cap stays on
  no.apply(command(OutputAction::toggle), t0);
  EXPECT_FALSE(no.active());
  no.apply(command(OutputAction::toggle), t0);
  EXPECT_TRUE(no.active());
  no.apply(command(OutputAction::off), t0);
  EXPECT_EQ(no.level(), Level::low);
  EXPECT_EQ(no.cause(), "test");
  EXPECT_EQ(no.request_id(), "r");
}

TEST(OutputLogic, PulseUsesTheDefaultDurationAndEndsByTimer) {
  OutputLogic output({.name = "lock", .pulse = 5000ms});
  output.apply(command(OutputAction::pulse), t0);
  EXPECT_EQ(output.mode(), Mode::pulse);
  EXPECT_EQ(output.remaining(t0 + 1000ms), 4000ms);
  EXPECT_EQ(*output.deadline(), t0 + 5000ms);
  EXPECT_FALSE(output.on_time(t0 + 4999ms));
  EXPECT_TRUE(output.active());
  EXPECT_TRUE(output.on_time(t0 + 5000ms));
  EXPECT_FALSE(output.active());
  EXPECT_EQ(output.cause(), kCauseTimer);
  EXPECT_EQ(output.request_id(), "r");  // the state says which request ended
}

TEST(OutputLogic, PulseTakesTheCommandsDuration) {
  OutputLogic output({.name = "lock"});
  output.apply(command(OutputAction::pulse, 300ms), t0);
  EXPECT_EQ(*output.deadline(), t0 + 300ms);
}

TEST(OutputLogic, RetriggerRestart) {
  OutputLogic output({.name = "o", .retrigger = Retrigger::restart});
  output.apply(command(OutputAction::pulse, 1000ms), t0);
  EXPECT_TRUE(output.apply(command(OutputAction::pulse, 1000ms), t0 + 600ms));
  EXPECT_EQ(*output.deadline(), t0 + 1600ms);
}

TEST(OutputLogic, RetriggerExtend) {
  OutputLogic output({.name = "o", .retrigger = Retrigger::extend});
  output.apply(command(OutputAction::pulse, 1000ms), t0);
  EXPECT_TRUE(output.apply(command(OutputAction::pulse, 1000ms), t0 + 600ms));
  EXPECT_EQ(*output.deadline(), t0 + 2000ms);
  EXPECT_EQ(output.remaining(t0 + 600ms), 1400ms);
}

TEST(OutputLogic, RetriggerIgnore) {
  OutputLogic output({.name = "o", .retrigger = Retrigger::ignore});
  output.apply(command(OutputAction::pulse, 1000ms), t0);
  EXPECT_FALSE(output.apply(command(OutputAction::pulse, 5000ms), t0 + 600ms));
  EXPECT_EQ(*output.deadline(), t0 + 1000ms);
}

TEST(OutputLogic, SafetyCapEndsAnOnAndShortensAPulse) {
  OutputLogic output({.name = "siren", .max_on = 10000ms});
  output.apply(command(OutputAction::on), t0);
  EXPECT_EQ(*output.deadline(), t0 + 10000ms);
  EXPECT_EQ(output.remaining(t0), 10000ms);
  // Re-sending "on" does not restart the cap.
  output.apply(command(OutputAction::on), t0 + 9000ms);
  EXPECT_EQ(*output.deadline(), t0 + 10000ms);
  EXPECT_TRUE(output.on_time(t0 + 10000ms));
  EXPECT_FALSE(output.active());
  EXPECT_EQ(output.cause(), kCauseSafetyCap);

  output.apply(command(OutputAction::pulse, 60000ms), t0 + 20000ms);
  EXPECT_EQ(*output.deadline(), t0 + 30000ms);
}

TEST(OutputLogic, ExtendCannotOutrunTheCap) {
  OutputLogic output({.name = "o", .max_on = 1500ms, .retrigger = Retrigger::extend});
  output.apply(command(OutputAction::pulse, 1000ms), t0);
  output.apply(command(OutputAction::pulse, 1000ms), t0 + 500ms);
  EXPECT_EQ(*output.deadline(), t0 + 1500ms);
}

TEST(OutputLogic, BlinkFlipsTheLineButStaysActiveAndEndsAfterCount) {
  OutputLogic output({.name = "light"});
  OutputCommand blink{.action = OutputAction::blink, .on_time = 100ms, .off_time = 200ms, .count = 2};
  output.apply(blink, t0);
  EXPECT_EQ(output.mode(), Mode::blink);
  EXPECT_EQ(output.level(), Level::high);
  EXPECT_EQ(*output.deadline(), t0 + 100ms);
  EXPECT_FALSE(output.on_time(t0 + 100ms));
  EXPECT_EQ(output.level(), Level::low);
  EXPECT_TRUE(output.active());
  EXPECT_EQ(*output.deadline(), t0 + 300ms);
  output.on_time(t0 + 300ms);
  EXPECT_EQ(output.level(), Level::high);
  // 2 cycles: on 0-100, off 100-300, on 300-400, then done.
  EXPECT_EQ(*output.deadline(), t0 + 400ms);
  EXPECT_TRUE(output.on_time(t0 + 400ms));
  EXPECT_FALSE(output.active());
  EXPECT_EQ(output.level(), Level::low);
}

TEST(OutputLogic, BlinkUntilOffRunsUntilOffOrTheCap) {
  OutputLogic output({.name = "light", .max_on = 1000ms});
  output.apply({.action = OutputAction::blink}, t0);
  EXPECT_EQ(output.remaining(t0), 1000ms);
  for (auto t = t0 + 500ms; t < t0 + 1000ms; t += 500ms) output.on_time(t);
  EXPECT_TRUE(output.on_time(t0 + 1000ms));
  EXPECT_FALSE(output.active());
  OutputLogic free_running({.name = "light2"});
  free_running.apply({.action = OutputAction::blink, .duration = 2000ms}, t0);
  EXPECT_EQ(free_running.remaining(t0), 2000ms);
  free_running.apply({.action = OutputAction::off}, t0 + 700ms);
  EXPECT_EQ(free_running.level(), Level::low);
  EXPECT_FALSE(free_running.deadline());
}

TEST(OutputLogic, ForceOffReportsWhetherAnythingChanged) {
  OutputLogic output({.name = "o"});
  EXPECT_FALSE(output.force_off("shutdown", t0));
  output.apply(command(OutputAction::on), t0);
  EXPECT_TRUE(output.force_off("shutdown", t0));
  EXPECT_EQ(output.cause(), "shutdown");
}

}  // namespace
}  // namespace intercom::gpio
