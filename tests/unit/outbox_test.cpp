#include "intercom/bus/outbox.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace intercom {
namespace {

OutgoingMessage state(const std::string& topic, const std::string& payload) {
  return {.topic = topic, .payload = payload, .retained = true, .latest_wins = true};
}
OutgoingMessage event(const std::string& topic, const std::string& payload) { return {.topic = topic, .payload = payload}; }

/// "topic=payload" of everything waiting, in the order it goes out.
std::vector<std::string> drain(Outbox& outbox) {
  std::vector<std::string> out;
  while (auto message = outbox.pop()) out.push_back(message->topic + "=" + message->payload);
  return out;
}

TEST(OutboxTest, KeepsTheOrderOfPublishing) {
  Outbox outbox(10);
  outbox.push(event("e", "1"));
  outbox.push(state("s", "a"));
  outbox.push(event("e", "2"));
  EXPECT_EQ(drain(outbox), (std::vector<std::string>{"e=1", "s=a", "e=2"}));
  EXPECT_TRUE(outbox.empty());
}

TEST(OutboxTest, ANewerStateReplacesTheWaitingOneInItsPlace) {
  Outbox outbox(10);
  outbox.push(state("out2", "on"));
  outbox.push(event("error", "1"));
  outbox.push(state("out2", "off"));
  outbox.push(state("out1", "on"));
  outbox.push(state("out2", "on again"));
  EXPECT_EQ(outbox.states_waiting(), 2u);
  EXPECT_EQ(drain(outbox), (std::vector<std::string>{"out2=on again", "error=1", "out1=on"}));
}

TEST(OutboxTest, AStateSentAlreadyIsNotReplacedByTheNextOne) {
  Outbox outbox(10);
  outbox.push(state("out1", "on"));
  ASSERT_EQ(outbox.pop()->payload, "on");
  outbox.push(state("out1", "off"));
  EXPECT_EQ(drain(outbox), (std::vector<std::string>{"out1=off"}));
}

TEST(OutboxTest, TwentyThousandTogglesHoldOneSlotAndThePulseBehindThemComesNext) {
  Outbox outbox(100);
  for (int i = 0; i < 20000; ++i) outbox.push(state("output/out2", std::to_string(i)));
  outbox.push(state("output/out1", "pulse"));
  EXPECT_EQ(drain(outbox), (std::vector<std::string>{"output/out2=19999", "output/out1=pulse"}));
}

TEST(OutboxTest, BelowItsThresholdEveryStateWaitsItsTurnAndPastItTheNewestIsReplaced) {
  Outbox outbox(100, 3);
  outbox.push(state("out1", "on"));
  outbox.push(state("out1", "off"));
  outbox.push(event("error", "1"));
  EXPECT_EQ(outbox.states_waiting(), 2u);
  outbox.push(state("out1", "on again"));  // three wait: replaces "off", the newest, in its place
  outbox.push(state("out2", "on"));        // no state of out2 waits: it takes a slot
  EXPECT_EQ(drain(outbox), (std::vector<std::string>{"out1=on", "out1=on again", "error=1", "out2=on"}));
  EXPECT_TRUE(outbox.empty());
  // Once out1's newest state left, a new one takes its own slot again.
  outbox.push(state("out1", "a"));
  EXPECT_EQ(outbox.states_waiting(), 1u);
}

TEST(OutboxTest, AFloodOfTogglesPastTheThresholdHoldsNoMoreSlots) {
  Outbox outbox(100, 1000);
  for (int i = 0; i < 20000; ++i) outbox.push(state("output/out2", std::to_string(i)));
  outbox.push(state("output/out1", "pulse"));
  EXPECT_EQ(outbox.states_waiting(), 1001u);
  const auto out = drain(outbox);
  EXPECT_EQ(out.at(998), "output/out2=998");
  EXPECT_EQ(out.at(999), "output/out2=19999");
  EXPECT_EQ(out.at(1000), "output/out1=pulse");
}

TEST(OutboxTest, EventsAreNeverReplacedNorDroppedBelowTheLimit) {
  Outbox outbox(30000);
  for (int i = 0; i < 30000; ++i) outbox.push(event("input/in1", std::to_string(i)));
  EXPECT_EQ(outbox.events_waiting(), 30000u);
  EXPECT_EQ(outbox.take_dropped(), 0u);
  int expected = 0;
  while (auto message = outbox.pop()) EXPECT_EQ(message->payload, std::to_string(expected++));
  EXPECT_EQ(expected, 30000);
}

TEST(OutboxTest, PastTheLimitTheOldestEventGoesCountedAndNoState) {
  Outbox outbox(3);
  outbox.push(state("s", "first"));
  for (int i = 1; i <= 5; ++i) outbox.push(event("e", std::to_string(i)));
  outbox.push(state("s", "last"));
  EXPECT_EQ(outbox.events_waiting(), 3u);
  EXPECT_EQ(outbox.take_dropped(), 2u);
  EXPECT_EQ(outbox.take_dropped(), 0u) << "the count starts again";
  EXPECT_EQ(drain(outbox), (std::vector<std::string>{"s=last", "e=3", "e=4", "e=5"}));
}

TEST(OutboxTest, DroppingSkipsStatesAndEventsAlreadyGone) {
  Outbox outbox(2);
  outbox.push(event("e", "1"));
  outbox.push(state("a", "x"));
  outbox.push(event("e", "2"));
  outbox.push(state("b", "y"));
  outbox.push(event("e", "3"));  // 1 goes
  outbox.push(event("e", "4"));  // 2 goes
  outbox.push(state("a", "z"));
  EXPECT_EQ(outbox.take_dropped(), 2u);
  EXPECT_EQ(drain(outbox), (std::vector<std::string>{"a=z", "b=y", "e=3", "e=4"}));
}

TEST(OutboxTest, WithNoRoomForEventsEachIsCountedAndStatesStillWait) {
  Outbox outbox(0);
  outbox.push(event("e", "1"));
  outbox.push(state("s", "x"));
  EXPECT_EQ(outbox.take_dropped(), 1u);
  EXPECT_EQ(drain(outbox), (std::vector<std::string>{"s=x"}));
}

TEST(OutboxTest, ReplacingAndDroppingKeepWorkingAfterManyPops) {
  Outbox outbox(5);
  for (int round = 0; round < 1000; ++round) {
    outbox.push(state("s", std::to_string(round)));
    outbox.push(event("e", std::to_string(round)));
    outbox.push(state("s", std::to_string(round) + "b"));
    if (round % 3 == 0) {
      const auto out = drain(outbox);
      ASSERT_FALSE(out.empty());
      EXPECT_EQ(out.front(), "s=" + std::to_string(round) + "b");
    }
  }
  EXPECT_LE(outbox.events_waiting(), 5u);
}

}  // namespace
}  // namespace intercom
