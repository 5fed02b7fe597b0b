#include "input_sequence.hpp"

#include <gtest/gtest.h>

namespace intercom::rules {
namespace {

TEST(InputSequenceTest, EdgesInTurnLoseNothing) {
  InputSequence sequence;
  for (std::uint64_t seq = 0; seq < 100; ++seq) EXPECT_FALSE(sequence.on_input("in1", seq, seq == 0));
}

TEST(InputSequenceTest, AJumpIsTheEdgesThatNeverArrived) {
  InputSequence sequence;
  sequence.on_input("in1", 7, true);
  sequence.on_input("in1", 8, false);
  const auto missing = sequence.on_input("in1", 12, false);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->input, "in1");
  EXPECT_EQ(missing->count(), 3u);
  EXPECT_EQ(missing->last_seen, 8u);
  EXPECT_EQ(missing->next_seen, 12u);
  EXPECT_FALSE(sequence.on_input("in1", 13, false)) << "counting goes on from the jump";
}

TEST(InputSequenceTest, EachInputCountsAlone) {
  InputSequence sequence;
  sequence.on_input("in1", 1, false);
  sequence.on_input("in2", 40, false);
  EXPECT_FALSE(sequence.on_input("in1", 2, false));
  EXPECT_FALSE(sequence.on_input("in2", 41, false));
}

TEST(InputSequenceTest, AReplayARepublishAndARestartedGpioAreNoLoss) {
  InputSequence sequence;
  EXPECT_FALSE(sequence.on_input("in1", 50, true)) << "the first one, retained: where counting starts";
  EXPECT_FALSE(sequence.on_input("in1", 50, false)) << "republished after a reconnect";
  EXPECT_FALSE(sequence.on_input("in1", 0, false)) << "a new gpio counts from 0";
  EXPECT_FALSE(sequence.on_input("in1", 90, true)) << "a replay after our own reconnect: we were away, the broker kept no edge";
  sequence.forget();
  EXPECT_FALSE(sequence.on_input("in1", 5, false)) << "forgotten: where counting starts";
}

TEST(InputSequenceTest, TheFirstLiveMessageOfAnInputIsNoLoss) {
  InputSequence sequence;
  EXPECT_FALSE(sequence.on_input("in1", 12, false));
}

}  // namespace
}  // namespace intercom::rules
