// Keys of a Wiegand keypad gathered into a PIN: # submits, * starts again, a quiet time discards.
#include <gtest/gtest.h>

#include "keypad_entry.hpp"

namespace intercom::gpio {
namespace {

using namespace std::chrono_literals;

const TimePoint t0{};

/// Keys one after the other, 500 ms apart; returns every PIN submitted and every discard.
std::pair<std::vector<std::string>, std::vector<std::string>> type(KeypadEntry& keypad, const std::string& keys, TimePoint start = t0) {
  std::vector<std::string> pins, discarded;
  auto at = start;
  for (const char key : keys) {
    const auto outcome = keypad.key(key, at);
    if (outcome.pin) pins.push_back(*outcome.pin);
    if (outcome.discarded) discarded.push_back(*outcome.discarded);
    at += 500ms;
  }
  return {pins, discarded};
}

TEST(KeypadEntry, DigitsThenHashSubmitTheDigits) {
  KeypadEntry keypad;
  const auto [pins, discarded] = type(keypad, "4711#");
  EXPECT_EQ(pins, std::vector<std::string>{"4711"});
  EXPECT_TRUE(discarded.empty());
  EXPECT_FALSE(keypad.deadline()) << "nothing under way after a submit";
}

TEST(KeypadEntry, StarStartsAgainAndAHashAloneSubmitsNothing) {
  KeypadEntry keypad;
  const auto [pins, discarded] = type(keypad, "99*4711##");
  EXPECT_EQ(pins, std::vector<std::string>{"4711"});
  EXPECT_TRUE(discarded.empty());
}

TEST(KeypadEntry, AnUnfinishedPinIsDiscardedAfterTheQuietTimeAndSaidSo) {
  KeypadEntry keypad(KeypadSettings{.key_timeout = 10s});
  type(keypad, "47");
  ASSERT_TRUE(keypad.deadline());
  EXPECT_EQ(*keypad.deadline(), t0 + 500ms + 10s) << "from the last key";
  EXPECT_FALSE(keypad.on_time(t0 + 10s).discarded) << "not before";
  const auto outcome = keypad.on_time(*keypad.deadline());
  ASSERT_TRUE(outcome.discarded);
  EXPECT_NE(outcome.discarded->find("2 digit(s)"), std::string::npos) << *outcome.discarded;
  EXPECT_FALSE(outcome.pin);
  // The next PIN does not begin with the discarded digits.
  EXPECT_EQ(type(keypad, "11#", t0 + 20s).first, std::vector<std::string>{"11"});
}

TEST(KeypadEntry, AKeyAfterTheQuietTimeStartsANewPinEvenIfTheTimerWasLate) {
  KeypadEntry keypad(KeypadSettings{.key_timeout = 10s});
  type(keypad, "47");
  const auto late = keypad.key('1', t0 + 30s);
  ASSERT_TRUE(late.discarded) << "the old digits are discarded, and said";
  EXPECT_EQ(type(keypad, "2#", t0 + 31s).first, std::vector<std::string>{"12"});
}

TEST(KeypadEntry, ThirteenDigitsAreDiscardedNotCutToTwelve) {
  KeypadEntry keypad;
  const auto [pins, discarded] = type(keypad, "1234567890123#");
  EXPECT_TRUE(pins.empty()) << pins.front();
  ASSERT_EQ(discarded.size(), 1u);
  EXPECT_NE(discarded.front().find("more than 12"), std::string::npos) << discarded.front();
}

TEST(KeypadEntry, AKeypadWithoutHashSubmitsAtItsDigitCount) {
  KeypadEntry keypad(KeypadSettings{.submit_after = 4});
  EXPECT_EQ(type(keypad, "12345678").first, (std::vector<std::string>{"1234", "5678"}));
}

}  // namespace
}  // namespace intercom::gpio
