#include "broker_drops.hpp"

#include <gtest/gtest.h>

namespace intercom::rules {
namespace {

TEST(BrokerDropWatchTest, NothingDroppedIsNothingToReport) {
  BrokerDropWatch watch;
  EXPECT_FALSE(watch.on_figure("0"));
  EXPECT_FALSE(watch.on_figure("0"));
}

TEST(BrokerDropWatchTest, ReportsWhatIsNewEachTime) {
  BrokerDropWatch watch;
  EXPECT_FALSE(watch.on_figure("0"));
  const auto first = watch.on_figure("1345");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->new_drops, 1345u);
  EXPECT_EQ(first->total, 1345u);
  EXPECT_FALSE(first->since_start);
  EXPECT_FALSE(watch.on_figure("1345")) << "the same figure again";
  EXPECT_EQ(watch.on_figure("1400")->new_drops, 55u);
}

TEST(BrokerDropWatchTest, AFigureAlreadyThereAtStartIsReportedAsSinceTheBrokerStarted) {
  BrokerDropWatch watch;
  const auto drops = watch.on_figure("12");
  ASSERT_TRUE(drops);
  EXPECT_TRUE(drops->since_start);
  EXPECT_EQ(drops->new_drops, 12u);
}

TEST(BrokerDropWatchTest, ARestartedBrokerCountsAgain) {
  BrokerDropWatch watch;
  watch.on_figure("500");
  EXPECT_FALSE(watch.on_figure("0"));
  EXPECT_EQ(watch.on_figure("7")->new_drops, 7u);
}

TEST(BrokerDropWatchTest, TextThatIsNotAFigureIsIgnored) {
  BrokerDropWatch watch;
  EXPECT_FALSE(watch.on_figure(""));
  EXPECT_FALSE(watch.on_figure("12x"));
  EXPECT_FALSE(watch.on_figure("-3"));
}

}  // namespace
}  // namespace intercom::rules
