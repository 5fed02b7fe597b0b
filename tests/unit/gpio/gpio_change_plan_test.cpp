#include "gpio_change_plan.hpp"

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"
#include "output_bank.hpp"

namespace intercom::gpio {
namespace {

using Names = std::vector<std::string>;

GpioConfig two_of_each() {
  GpioConfig config;
  config.backend = "simulated";
  config.inputs = {{"in1", "Door", {"sim", 0, ""}, Bias::as_is, {ActiveLevel::low}},
                   {"in2", "Button", {"sim", 1, ""}, Bias::as_is, {ActiveLevel::high}}};
  config.outputs = {{{"out1", "Lock"}, {"sim", 8, ""}}, {{"out2", "Light"}, {"sim", 9, ""}}};
  return config;
}

TEST(GpioChangePlan, TheSameConfigurationKeepsEverything) {
  const auto plan = plan_gpio_change(two_of_each(), two_of_each());
  EXPECT_EQ(plan.outputs_kept, (Names{"out1", "out2"}));
  EXPECT_EQ(plan.inputs_kept, (Names{"in1", "in2"}));
  EXPECT_TRUE(plan.outputs_renewed.empty() && plan.outputs_removed.empty() && plan.outputs_added.empty());
  EXPECT_TRUE(plan.inputs_renewed.empty() && plan.inputs_removed.empty() && plan.inputs_added.empty());
}

TEST(GpioChangePlan, ATriggerModeChangeRenewsThatInputOnly) {
  auto next = two_of_each();
  next.inputs[0].filter.trigger = ActiveLevel::high;
  const auto plan = plan_gpio_change(two_of_each(), next);
  EXPECT_EQ(plan.inputs_renewed, Names{"in1"});
  EXPECT_EQ(plan.inputs_kept, Names{"in2"});
  EXPECT_EQ(plan.outputs_kept, (Names{"out1", "out2"}));
}

TEST(GpioChangePlan, AnOutputOnAnotherLineOrLevelIsRenewedOneGoneIsRemovedANewOneAdded) {
  auto next = two_of_each();
  next.outputs[0].line.offset = 10;
  next.outputs[1].settings.polarity = Polarity::normally_closed;
  next.outputs.push_back({{"out3", "Siren"}, {"sim", 11, ""}});
  next.inputs.pop_back();
  const auto plan = plan_gpio_change(two_of_each(), next);
  EXPECT_EQ(plan.outputs_renewed, (Names{"out1", "out2"}));
  EXPECT_EQ(plan.outputs_added, Names{"out3"});
  EXPECT_EQ(plan.inputs_removed, Names{"in2"});
}

TEST(GpioChangePlan, TheBackendChangesOnlyAtARestart) {
  auto next = two_of_each();
  next.backend = "libgpiod";
  try {
    plan_gpio_change(two_of_each(), next);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/backend");
  }
}

TEST(OutputBankReconfigure, AKeptOutputKeepsItsStateAndTimerAndARenewedOneStartsOff) {
  const auto t0 = TimePoint{} + std::chrono::seconds(100);
  OutputBank bank({{"out1", "Lock"}, {"out2", "Light"}});
  bank.apply("out1", {OutputAction::pulse, std::chrono::milliseconds(3000)}, t0);
  bank.apply("out2", {OutputAction::on}, t0);
  bank.reconfigure({{"out1", "Lock"}, {"out2", "Light", Polarity::normally_closed}}, {"out1"});
  EXPECT_TRUE(bank.at("out1").active());
  EXPECT_EQ(bank.next_deadline(), t0 + std::chrono::milliseconds(3000)) << "the pulse ends when it would have";
  EXPECT_FALSE(bank.at("out2").active());
  EXPECT_EQ(bank.at("out2").settings().polarity, Polarity::normally_closed);
}

}  // namespace
}  // namespace intercom::gpio
