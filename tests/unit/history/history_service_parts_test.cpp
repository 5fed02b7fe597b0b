// The history service's pure parts: which replayed states are news, what a call's end says of the
// call, and a page that fits a bus message.
#include <gtest/gtest.h>

#include "call_ledger.hpp"
#include "history_page.hpp"
#include "replay_guard.hpp"

namespace intercom::history {
namespace {

using nlohmann::json;

TEST(ReplayGuard, AReplayedStateIsKeptOnlyWhenNewerThanTheNewestKeptFromItsTopic) {
  ReplayGuard guard({{"intercom/d1/input/in1", 1000}});
  EXPECT_FALSE(guard.keep("intercom/d1/input/in1", 1000, true)) << "the state kept before the restart, replayed";
  EXPECT_FALSE(guard.keep("intercom/d1/input/in1", 900, true));
  EXPECT_TRUE(guard.keep("intercom/d1/input/in1", 1500, true)) << "it changed while the history was away";
  EXPECT_FALSE(guard.keep("intercom/d1/input/in1", 1500, true)) << "the same replay again (a reconnect)";
  EXPECT_TRUE(guard.keep("intercom/d1/input/in1", 1500, false)) << "a live message is always news";
  EXPECT_TRUE(guard.keep("intercom/d1/output/out1", 10, true)) << "a topic never seen";
  EXPECT_FALSE(guard.keep("intercom/d1/output/out1", 10, true));
}

HistoryEvent call_event(std::int64_t at_ms) { return {.at_ms = at_ms, .kind = "call", .source = "intercom/d1/call", .summary = "call"}; }

contract::CallState call(const std::string& state, const std::string& id) {
  return {.state = state, .call_id = id, .since = "2026-12-01T10:00:00.000Z"};
}

TEST(CallLedger, TheEndOfACallSaysWhetherItWasAnsweredAndHowLongItLasted) {
  CallLedger ledger;
  auto ringing = call_event(1000);
  ledger.note(call("ringing", "c1"), ringing);
  EXPECT_FALSE(ringing.detail.contains("answered"));
  auto talking = call_event(4000);
  ledger.note(call("talking", "c1"), talking);
  auto ended = call_event(34500);
  ledger.note(call("idle", "c1"), ended);
  EXPECT_EQ(ended.detail["answered"], true);
  EXPECT_DOUBLE_EQ(ended.detail["duration_s"].get<double>(), 30.5);
  EXPECT_NE(ended.summary.find("answered, talked 30 s"), std::string::npos) << ended.summary;

  auto rang = call_event(50000);
  ledger.note(call("ringing", "c2"), rang);
  auto missed = call_event(62000);
  ledger.note(call("idle", "c2"), missed);
  EXPECT_EQ(missed.detail["answered"], false);
  EXPECT_DOUBLE_EQ(missed.detail["duration_s"].get<double>(), 12.0);
  EXPECT_NE(missed.summary.find("not answered, rang 12 s"), std::string::npos) << missed.summary;

  auto unknown = call_event(70000);
  ledger.note(call("idle", "c-before-start"), unknown);
  EXPECT_FALSE(unknown.detail.contains("answered")) << "a call begun before the history knows nothing of its start";
}

TEST(HistoryPage, APageEndsBeforeItOutgrowsABusMessageAndItsCursorPointsAtTheRest) {
  HistoryPage page;
  for (std::int64_t id = 100; id > 0; --id)
    page.events.push_back({.id = id, .at_ms = 1764583200000 + id, .kind = "message", .source = "intercom/d1/message/received",
                           .summary = std::string(900, 'x'), .detail = {{"n", id}}});
  const auto whole = page_result("q1", page, "2026-12-01T10:00:00.000Z", 1000000);
  EXPECT_EQ(whole.events.size(), 100u);
  EXPECT_FALSE(whole.next);
  EXPECT_EQ(whole.events.front().at, "2025-12-01T10:00:00.100Z");

  const auto cut = page_result("q1", page, "2026-12-01T10:00:00.000Z", 10 * 1024);
  ASSERT_FALSE(cut.events.empty());
  EXPECT_LT(cut.events.size(), 100u);
  ASSERT_TRUE(cut.next);
  EXPECT_EQ(*cut.next, cut.events.back().id) << "the next page begins after the last event this one holds";
  EXPECT_LE(json(cut).dump().size(), 11u * 1024);

  const auto refused = refusal_result("q2", {"/to", "the end is before the start (from)"}, "2026-12-01T10:00:00.000Z");
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.events.empty());
  EXPECT_EQ(refused.error->path, "/to");
}

}  // namespace
}  // namespace intercom::history
