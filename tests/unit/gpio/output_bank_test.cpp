#include "output_bank.hpp"

#include <gtest/gtest.h>

namespace intercom::gpio {
namespace {

using namespace std::chrono_literals;
const TimePoint t0{};

OutputBank make_bank() {
  return OutputBank({{.name = "up", .interlock = "shutter"},
                     {.name = "down", .interlock = "shutter"},
                     {.name = "lock", .pulse = 1000ms}});
}

TEST(OutputBank, InterlockSwitchesThePartnerOffFirst) {
  auto bank = make_bank();
  bank.apply("up", {.action = OutputAction::on}, t0);
  const auto result = bank.apply("down", {.action = OutputAction::on}, t0 + 1s);
  ASSERT_EQ(result.changed, (std::vector<std::string>{"up", "down"}));
  EXPECT_FALSE(bank.at("up").active());
  EXPECT_EQ(bank.at("up").cause(), "interlock:down");
  EXPECT_TRUE(bank.at("down").active());
  // Outputs outside the group are left alone.
  bank.apply("lock", {.action = OutputAction::on}, t0);
  EXPECT_TRUE(bank.at("down").active());
}

TEST(OutputBank, ARedeliveredRequestIsNotAppliedTwice) {
  auto bank = make_bank();
  auto first = bank.apply("lock", {.action = OutputAction::toggle, .request_id = "abc"}, t0);
  EXPECT_FALSE(first.duplicate);
  auto again = bank.apply("lock", {.action = OutputAction::toggle, .request_id = "abc"}, t0 + 1ms);
  EXPECT_TRUE(again.duplicate);
  EXPECT_TRUE(again.changed.empty());
  EXPECT_TRUE(bank.at("lock").active());
  // Commands without a request id are never taken for duplicates.
  bank.apply("lock", {.action = OutputAction::toggle}, t0);
  bank.apply("lock", {.action = OutputAction::toggle}, t0);
  EXPECT_TRUE(bank.at("lock").active());
}

TEST(OutputBank, ForgetsTheOldestRequestIdsBeyondItsMemory) {
  auto bank = make_bank();
  for (std::size_t i = 0; i <= OutputBank::kRememberedRequests; ++i)
    bank.apply("lock", {.action = OutputAction::on, .request_id = "r" + std::to_string(i)}, t0);
  EXPECT_FALSE(bank.apply("lock", {.action = OutputAction::on, .request_id = "r0"}, t0).duplicate);
  EXPECT_TRUE(bank.apply("lock", {.action = OutputAction::on, .request_id = "r5"}, t0).duplicate);
}

TEST(OutputBank, UnknownOutputIsRefused) {
  auto bank = make_bank();
  EXPECT_THROW(bank.apply("nope", {.action = OutputAction::on}, t0), std::invalid_argument);
}

TEST(OutputBank, TimersFireForDueOutputsOnly) {
  auto bank = make_bank();
  bank.apply("lock", {.action = OutputAction::pulse}, t0);
  bank.apply("up", {.action = OutputAction::pulse, .duration = 3000ms}, t0);
  EXPECT_EQ(*bank.next_deadline(), t0 + 1000ms);
  EXPECT_EQ(bank.on_time(t0 + 1000ms), std::vector<std::string>{"lock"});
  EXPECT_EQ(*bank.next_deadline(), t0 + 3000ms);
  EXPECT_EQ(bank.all_off("shutdown", t0 + 2000ms), std::vector<std::string>{"up"});
  EXPECT_FALSE(bank.next_deadline());
}

TEST(OutputBank, ANameTwiceIsAnError) {
  EXPECT_THROW(OutputBank({{.name = "a"}, {.name = "a"}}), std::invalid_argument);
}

}  // namespace
}  // namespace intercom::gpio

namespace intercom::gpio {
namespace {

TEST(OutputBank, WhatADeadRulesServiceHeldIsReleasedAndItsPulsesRunOn) {
  OutputBank bank({{.name = "light"}, {.name = "siren"}, {.name = "lock", .pulse = 5000ms}, {.name = "fan"}});
  bank.apply("light", {.action = OutputAction::on, .cause = "rule:follow-in1"}, t0);
  bank.apply("siren", {.action = OutputAction::blink, .cause = "rule:while-ringing"}, t0);
  bank.apply("lock", {.action = OutputAction::pulse, .cause = "rule:dtmf-out1"}, t0);
  bank.apply("fan", {.action = OutputAction::on, .cause = "operator"}, t0);
  const auto released = bank.release_held("rule:", "rules offline", t0 + 1s);
  EXPECT_EQ(released, (std::vector<std::string>{"light", "siren"}));
  EXPECT_FALSE(bank.at("light").active());
  EXPECT_EQ(bank.at("light").cause(), "rules offline");
  EXPECT_TRUE(bank.at("lock").active()) << "a pulse ends by itself";
  EXPECT_TRUE(bank.at("fan").active()) << "not the rules service's";
  EXPECT_TRUE(bank.release_held("rule:", "rules offline", t0 + 2s).empty()) << "twice is nothing more";
}

}  // namespace
}  // namespace intercom::gpio
