// The history's events on disk: kept in order, read back newest first a page at a time through
// every filter, bounded by count and age, and still there after the file is opened again.
#include "event_store.hpp"

#include <filesystem>
#include <unistd.h>

#include <gtest/gtest.h>

namespace intercom::history {
namespace {

class EventStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path directory = std::filesystem::temp_directory_path() / ("history-test-" + std::to_string(::getpid()));
  std::filesystem::path file = directory / "history.db";

  void SetUp() override { std::filesystem::create_directories(directory); }
  void TearDown() override { std::filesystem::remove_all(directory); }

  static HistoryEvent event(std::int64_t at, const char* kind, std::optional<std::string> port, std::optional<std::string> cause,
                            std::string summary) {
    return {.at_ms = at, .kind = kind, .source = "intercom/d1/test", .port = std::move(port), .cause = std::move(cause),
            .summary = std::move(summary), .detail = {{"n", at}}};
  }

  /// 30 events: out1 pulsed by a rule every third, in1 changes, calls.
  static std::vector<HistoryEvent> thirty() {
    std::vector<HistoryEvent> events;
    for (int i = 0; i < 30; ++i) {
      if (i % 3 == 0) events.push_back(event(1000 + i, "output", "out1", "rule:dtmf-out1", "out1 on (pulse)"));
      else if (i % 3 == 1) events.push_back(event(1000 + i, "input", "in1", std::nullopt, "in1 active"));
      else events.push_back(event(1000 + i, "call", std::nullopt, std::nullopt, "call ringing from sip:100_%@pbx"));
    }
    return events;
  }

  static std::vector<std::int64_t> times_of(const HistoryPage& page) {
    std::vector<std::int64_t> times;
    for (const auto& e : page.events) times.push_back(e.at_ms);
    return times;
  }
};

TEST_F(EventStoreTest, EventsGetIncreasingIdsAndComeBackNewestFirstAsTheyWere) {
  EventStore store(file);
  auto events = thirty();
  store.append(events);
  EXPECT_EQ(events.front().id, 1);
  EXPECT_EQ(events.back().id, 30);
  const auto page = store.query(HistoryFilter{.limit = 3});
  ASSERT_EQ(page.events.size(), 3u);
  EXPECT_EQ(page.events[0], events[29]);
  EXPECT_EQ(page.events[2], events[27]);
  EXPECT_EQ(page.next, 28);
  EXPECT_EQ(store.count(), 30u);
  EXPECT_EQ(store.integrity(), "ok");
}

TEST_F(EventStoreTest, PagesFollowOneAnotherWithoutGapOrOverlapToTheLast) {
  EventStore store(file);
  auto events = thirty();
  store.append(events);
  std::vector<std::int64_t> seen;
  HistoryFilter filter{.limit = 7};
  int pages = 0;
  while (true) {
    const auto page = store.query(filter);
    ++pages;
    for (const auto& e : page.events) seen.push_back(e.id);
    if (!page.next) break;
    filter.after = page.next;
  }
  EXPECT_EQ(pages, 5);
  ASSERT_EQ(seen.size(), 30u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 30 - static_cast<std::int64_t>(i));
}

TEST_F(EventStoreTest, EachFilterTakesWhatItSays) {
  EventStore store(file);
  auto events = thirty();
  store.append(events);
  EXPECT_EQ(store.query({.kinds = {"output"}, .limit = 100}).events.size(), 10u);
  EXPECT_EQ(store.query({.kinds = {"output", "input"}, .limit = 100}).events.size(), 20u);
  EXPECT_EQ(store.query({.port = "in1", .limit = 100}).events.size(), 10u);
  EXPECT_EQ(store.query({.cause = "rule:dtmf-out1", .limit = 100}).events.size(), 10u);
  EXPECT_EQ(store.query({.cause = "rule:dtmf", .limit = 100}).events.size(), 0u) << "a cause is matched whole";
  EXPECT_EQ(times_of(store.query({.from_ms = 1027, .limit = 100})), (std::vector<std::int64_t>{1029, 1028, 1027}));
  EXPECT_EQ(times_of(store.query({.from_ms = 1003, .to_ms = 1004, .limit = 100})), (std::vector<std::int64_t>{1004, 1003}));
  // A text is found as typed: % and _ are not wildcards.
  EXPECT_EQ(store.query({.text = "100_%@", .limit = 100}).events.size(), 10u);
  EXPECT_EQ(store.query({.text = "100%", .limit = 100}).events.size(), 0u);
  EXPECT_EQ(store.query({.text = "pulse", .limit = 100}).events.size(), 10u);
}

TEST_F(EventStoreTest, PruningKeepsTheNewestWithinTheCountAndDropsWhatIsTooOld) {
  EventStore store(file);
  auto events = thirty();
  store.append(events);
  EXPECT_EQ(store.prune(1000, 1010), 10u) << "the ten before 1010";
  EXPECT_EQ(store.prune(15, 0), 5u);
  EXPECT_EQ(store.count(), 15u);
  EXPECT_EQ(times_of(store.query({.limit = 100})).back(), 1015) << "the oldest kept";
  EXPECT_EQ(store.prune(15, 0), 0u);
}

TEST_F(EventStoreTest, EventsSurviveTheFileBeingOpenedAgainAndIdsGoOnFromThere) {
  {
    EventStore store(file);
    auto events = thirty();
    store.append(events);
    store.prune(5, 0);
  }
  EventStore again(file);
  EXPECT_EQ(again.count(), 5u);
  std::vector<HistoryEvent> more{event(2000, "rule", std::nullopt, "rule:r", "rule r fired")};
  again.append(more);
  EXPECT_EQ(more[0].id, 31) << "an id is never given twice, pruned or not";
  EXPECT_EQ(again.integrity(), "ok");
}

TEST_F(EventStoreTest, AFileThatCannotBeADatabaseIsRefusedNamingIt) {
  std::filesystem::create_directories(file);  // a directory where the file should be
  try {
    EventStore store(file);
    FAIL() << "opened";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find(file.string()), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace intercom::history
