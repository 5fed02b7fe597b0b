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

nlohmann::json reader(const std::string& name, int d0, int d1) {
  return {{"name", name}, {"d0", {{"chip", "c"}, {"offset", d0}}}, {"d1", {{"chip", "c"}, {"offset", d1}}},
          {"bias", "pull-up"}, {"key_timeout_ms", 5000}, {"pin_digits", 4}};
}

TEST(GpioConfig, ParsesReadersWithTheirTwoLinesAndKeypadSettings) {
  auto json = config_with({input("in1", 0)}, {});
  json["readers"] = {reader("reader1", 4, 5)};
  const auto config = parse_gpio_config(json);
  ASSERT_EQ(config.readers.size(), 1u);
  EXPECT_EQ(config.readers[0].d0.to_string(), "c:4");
  EXPECT_EQ(config.readers[0].d1.to_string(), "c:5");
  EXPECT_EQ(config.readers[0].bias, Bias::pull_up);
  EXPECT_EQ(config.readers[0].keypad.key_timeout, 5000ms);
  EXPECT_EQ(config.readers[0].keypad.submit_after, 4);
  EXPECT_EQ(reader_line_name("reader1", WiegandLine::d1), "reader1.d1");
}

TEST(GpioConfig, AReaderOnAnInputsLineOrOnOneLineTwiceIsRefusedWithItsPath) {
  auto on_input = config_with({input("in1", 4)}, {});
  on_input["readers"] = {reader("reader1", 4, 5)};
  try {
    parse_gpio_config(on_input);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("/readers/0/d0"), std::string::npos) << error.what();
  }
  auto same = config_with({}, {});
  same["readers"] = {reader("reader1", 6, 6)};
  try {
    parse_gpio_config(same);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("/readers/0/d1"), std::string::npos) << error.what();
  }
  auto named = config_with({input("reader1", 0)}, {});
  named["readers"] = {reader("reader1", 6, 7)};
  EXPECT_THROW(parse_gpio_config(named), ConfigError);
}

TEST(GpioConfig, AFallbackLinkageNamesAnInputAndAnOutputOfTheConfigOrIsRefusedWithItsPath) {
  auto json = config_with({input("in3", 0)}, {output("out1", 8)});
  json["fallback"] = {{"exit", {{{"input", "in3"}, {"output", "out1"}}}}, {"release", {{{"input", "in3"}, {"output", "out1"}}}}};
  const auto config = parse_gpio_config(json);
  ASSERT_EQ(config.fallback.size(), 2u);
  EXPECT_EQ(config.fallback[0], (LocalLinkage{LocalLinkage::Kind::exit, "in3", "out1"}));
  EXPECT_EQ(config.fallback[1].kind, LocalLinkage::Kind::release);
  json["fallback"]["release"][0]["output"] = "out7";
  try {
    parse_gpio_config(json);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("/fallback/release/0/output"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("no output named out7"), std::string::npos) << error.what();
  }
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
