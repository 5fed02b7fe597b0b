#include "intercom/contract/topics.hpp"

#include <gtest/gtest.h>

namespace intercom {
namespace {

TEST(Topics, FillsRootServiceAndName) {
  const Topics topics("door1");
  EXPECT_EQ(topics.root(), "intercom/door1");
  EXPECT_EQ(topics.make(topic::service_status, {.service = "gpio"}), "intercom/door1/gpio/status");
  EXPECT_EQ(topics.make(topic::output_command, {.name = "out1"}), "intercom/door1/output/out1/set");
  EXPECT_EQ(topics.make(topic::call_state), "intercom/door1/call");
  EXPECT_EQ(topics.make(topic::output_command, {.name = "+"}), "intercom/door1/output/+/set");
}

TEST(Topics, RefusesAMissingPlaceholder) {
  const Topics topics("door1");
  EXPECT_THROW(topics.make(topic::output_state), std::invalid_argument);
  EXPECT_THROW(topics.make(topic::service_error), std::invalid_argument);
}

TEST(Topics, ExtractsTheNameOfAConcreteTopic) {
  const Topics topics("door1");
  EXPECT_EQ(topics.name_in(topic::output_command, "intercom/door1/output/lock/set"), "lock");
  EXPECT_EQ(topics.name_in(topic::sim_input_level, "intercom/door1/sim/input/in2/level"), "in2");
  EXPECT_EQ(topics.name_in(topic::service_status, "intercom/door1/telephony/status"), "telephony");
  EXPECT_FALSE(topics.name_in(topic::output_command, "intercom/door1/output/lock"));
  EXPECT_FALSE(topics.name_in(topic::output_command, "intercom/door2/output/lock/set"));
  EXPECT_FALSE(topics.name_in(topic::output_command, "intercom/door1/input/lock/set"));
}

TEST(TopicFilter, MatchesAsTheBrokerDoes) {
  EXPECT_TRUE(topic_matches_filter("a/+/c", "a/b/c"));
  EXPECT_FALSE(topic_matches_filter("a/+/c", "a/b/d"));
  EXPECT_FALSE(topic_matches_filter("a/+", "a/b/c"));
  EXPECT_TRUE(topic_matches_filter("a/#", "a/b/c"));
  EXPECT_TRUE(topic_matches_filter("a/#", "a"));  // '#' includes the parent level
  EXPECT_TRUE(topic_matches_filter("#", "a/b"));
  EXPECT_FALSE(topic_matches_filter("#", "$SYS/broker"));
  EXPECT_TRUE(topic_matches_filter("a/b", "a/b"));
  EXPECT_FALSE(topic_matches_filter("a/b", "a/b/c"));
  EXPECT_TRUE(topic_matches_filter("+/+", "/x"));  // an empty level is a level
}

TEST(TopicSpecs, CommandsAreNeverRetainedStatesAlwaysAre) {
  for (const auto& spec : all_topic_specs()) {
    EXPECT_EQ(spec.qos, 1) << spec.pattern;
    if (std::string_view(spec.pattern).ends_with("/set")) {
      EXPECT_EQ(spec.kind, TopicKind::command) << spec.pattern;
    }
  }
}

}  // namespace
}  // namespace intercom
