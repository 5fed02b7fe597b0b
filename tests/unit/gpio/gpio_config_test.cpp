#include "gpio_config.hpp"

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"

namespace intercom::gpio {
namespace {

using namespace std::chrono_literals;

nlohmann::json config_with(nlohmann::json inputs, nlohmann::json outputs) {
  return {{"backend", "simulated"}, {"inputs", std::move(inputs)}, {"outputs", std::move(outputs)}};
}

nlohmann::json input(const std::string& name, int offset) {
  return {{"name", name}, {"line", {{"chip", "c"}, {"offset", offset}}}, {"trigger", "low"}, {"bias", "pull-up"},
          {"debounce_ms", 30}, {"delayed_on_ms", 0}, {"delayed_off_ms", 100}};
}

nlohmann::json output(const std::string& name, int offset) {
  return {{"name", name}, {"line", {{"chip", "c"}, {"offset", offset}}}, {"level", "NC"}, {"pulse_ms", 2500},
          {"retrigger", "extend"}, {"max_on_ms", 60000}, {"interlock", "g"}};
}

TEST(GpioConfig, ParsesInputsAndOutputs) {
  const auto config = parse_gpio_config(config_with({input("in1", 0)}, {output("out1", 8)}));
  ASSERT_EQ(config.inputs.size(), 1u);
  EXPECT_EQ(config.inputs[0].filter.trigger, ActiveLevel::low);
  EXPECT_EQ(config.inputs[0].bias, Bias::pull_up);
  EXPECT_EQ(config.inputs[0].filter.debounce, 30ms);
  EXPECT_EQ(config.inputs[0].filter.delayed_off, 100ms);
  ASSERT_EQ(config.outputs.size(), 1u);
  EXPECT_EQ(config.outputs[0].settings.polarity, Polarity::normally_closed);
  EXPECT_EQ(config.outputs[0].settings.pulse, 2500ms);
  EXPECT_EQ(config.outputs[0].settings.retrigger, Retrigger::extend);
  EXPECT_EQ(config.outputs[0].settings.max_on, 60000ms);
  EXPECT_EQ(config.outputs[0].line.to_string(), "c:8");
}

TEST(GpioConfig, ANameUsedTwiceIsNamedWithItsPath) {
  try {
    parse_gpio_config(config_with({input("x", 0)}, {output("x", 1)}));
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("/outputs/0/name"), std::string::npos) << error.what();
  }
}

TEST(GpioConfig, TwoEntriesOnOneLineAreRefused) {
  EXPECT_THROW(parse_gpio_config(config_with({input("a", 3)}, {output("b", 3)})), ConfigError);
}

TEST(GpioConfig, ParsesEveryCommand) {
  const auto blink = parse_output_command(
      {{"action", "blink"}, {"on_ms", 100}, {"off_ms", 300}, {"count", 3}, {"cause", "c"}, {"request_id", "r"}});
  EXPECT_EQ(blink.action, OutputAction::blink);
  EXPECT_EQ(blink.on_time, 100ms);
  EXPECT_EQ(blink.off_time, 300ms);
  EXPECT_EQ(blink.count, 3);
  EXPECT_EQ(blink.request_id, "r");
  EXPECT_EQ(parse_output_command({{"action", "on"}}).action, OutputAction::on);
  EXPECT_EQ(parse_output_command({{"action", "off"}}).action, OutputAction::off);
  EXPECT_EQ(parse_output_command({{"action", "toggle"}}).action, OutputAction::toggle);
  const auto pulse = parse_output_command({{"action", "pulse"}, {"duration_ms", 700}});
  EXPECT_EQ(pulse.action, OutputAction::pulse);
  EXPECT_EQ(pulse.duration, 700ms);
}

}  // namespace
}  // namespace intercom::gpio
