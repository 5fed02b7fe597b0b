#include "intercom/bus/backoff.hpp"

#include <gtest/gtest.h>

namespace intercom {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, GrowsWithJitterUpToTheMaximumAndResets) {
  Backoff backoff(milliseconds(100), milliseconds(1000), 42);
  const auto first = backoff.next();
  EXPECT_GE(first, milliseconds(100));
  EXPECT_LE(first, milliseconds(125));
  const auto second = backoff.next();
  EXPECT_GE(second, milliseconds(200));
  EXPECT_LE(second, milliseconds(250));
  for (int i = 0; i < 10; ++i) EXPECT_LE(backoff.next(), milliseconds(1000));
  EXPECT_EQ(backoff.next(), milliseconds(1000));
  backoff.reset();
  EXPECT_LE(backoff.next(), milliseconds(125));
}

TEST(Backoff, DifferentSeedsSpreadAFleet) {
  Backoff a(milliseconds(1000), milliseconds(60000), 1), b(milliseconds(1000), milliseconds(60000), 2);
  bool differ = false;
  for (int i = 0; i < 5; ++i) differ = differ || a.next() != b.next();
  EXPECT_TRUE(differ);
}

TEST(Backoff, DoublingWithoutJitterFromACount) {
  using std::chrono::seconds;
  EXPECT_EQ(Backoff::doubling(1, seconds(5), seconds(300)), seconds(5));
  EXPECT_EQ(Backoff::doubling(2, seconds(5), seconds(300)), seconds(10));
  EXPECT_EQ(Backoff::doubling(4, seconds(5), seconds(300)), seconds(40));
  EXPECT_EQ(Backoff::doubling(10, seconds(5), seconds(300)), seconds(300));
  EXPECT_EQ(Backoff::doubling(1000, seconds(5), seconds(300)), seconds(300)) << "no overflow on a long count";
}

}  // namespace
}  // namespace intercom
