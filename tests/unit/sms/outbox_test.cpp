#include "outbox.hpp"

#include <gtest/gtest.h>

namespace intercom::sms {
namespace {

using namespace std::chrono_literals;
const WallTime t0 = WallTime(std::chrono::seconds(1'800'000'000));

OutboxEntry entry(const std::string& id, const std::string& transport = "gsm") {
  OutboxEntry e;
  e.id = id;
  e.to = transport == "gsm" ? "+4915199999999" : "sip:alarm@pbx.local";
  e.transport = transport;
  e.text = "ALERT=IN1_ACTIVE";
  return e;
}

TEST(Outbox, ANewEntryIsDueAtOnceOnItsOwnTransportOnly) {
  Outbox outbox({5s, 300s, 3600s});
  outbox.add(entry("a"), t0);
  EXPECT_FALSE(outbox.take_due("sip", t0));
  const auto due = outbox.take_due("gsm", t0);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->id, "a");
  EXPECT_FALSE(outbox.take_due("gsm", t0)) << "an entry in flight is not handed out twice";
}

TEST(Outbox, APermanentFailureIsRejectedNotRetried) {
  Outbox outbox({5s, 300s, 3600s});
  outbox.add(entry("a"), t0);
  outbox.take_due("gsm", t0);
  const auto settled = outbox.on_outcome("a", false, "cannot send to port 5070", t0 + 1s, /*permanent=*/true);
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->state, Settled::State::rejected);
  EXPECT_EQ(settled->entry.last_error, "cannot send to port 5070");
  EXPECT_TRUE(outbox.entries().empty());
}

TEST(Outbox, OldestFirst) {
  Outbox outbox({5s, 300s, 3600s});
  outbox.add(entry("a"), t0);
  outbox.add(entry("b"), t0 + 1s);
  EXPECT_EQ(outbox.take_due("gsm", t0 + 2s)->id, "a");
  EXPECT_EQ(outbox.take_due("gsm", t0 + 2s)->id, "b");
}

TEST(Outbox, DeliveredEntriesLeave) {
  Outbox outbox({5s, 300s, 3600s});
  outbox.add(entry("a"), t0);
  outbox.take_due("gsm", t0);
  const auto settled = outbox.on_outcome("a", true, "message reference 4", t0 + 1s);
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->state, Settled::State::delivered);
  EXPECT_EQ(settled->entry.attempts, 1);
  EXPECT_EQ(settled->detail, "message reference 4");
  EXPECT_TRUE(outbox.entries().empty());
  EXPECT_FALSE(outbox.on_outcome("a", true, "", t0 + 2s)) << "a late second outcome is ignored";
}

TEST(Outbox, FailuresBackOffDoublingUpToTheLongestDelay) {
  Outbox outbox({5s, 30s, 3600s});
  EXPECT_EQ(outbox.delay_after(1), 5s);
  EXPECT_EQ(outbox.delay_after(2), 10s);
  EXPECT_EQ(outbox.delay_after(3), 20s);
  EXPECT_EQ(outbox.delay_after(4), 30s);
  EXPECT_EQ(outbox.delay_after(50), 30s);

  outbox.add(entry("a"), t0);
  outbox.take_due("gsm", t0);
  const auto settled = outbox.on_outcome("a", false, "+CMS ERROR: 331", t0);
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->state, Settled::State::retrying);
  EXPECT_EQ(settled->entry.next_attempt_at, t0 + 5s);
  EXPECT_EQ(settled->entry.last_error, "+CMS ERROR: 331");
  EXPECT_FALSE(outbox.take_due("gsm", t0 + 4s));
  EXPECT_EQ(outbox.next_wakeup(t0 + 4s), t0 + 5s);
  EXPECT_TRUE(outbox.take_due("gsm", t0 + 5s));
}

TEST(Outbox, AnEntryDueButWaitingForItsTransportDoesNotMakeTheCallerSpin) {
  Outbox outbox({5s, 30s, 3600s});
  outbox.add(entry("a"), t0);
  EXPECT_EQ(outbox.next_wakeup(t0 + 1s), t0 + 3600s) << "only its expiry is a reason to wake up";
}

TEST(Outbox, ExpiryEndsRetries) {
  Outbox outbox({5s, 30s, 60s});
  outbox.add(entry("a"), t0);
  outbox.add(entry("b"), t0);
  outbox.take_due("gsm", t0);
  // A failure whose next attempt would come after the expiry ends it at once.
  const auto settled = outbox.on_outcome("a", false, "no network", t0 + 58s);
  EXPECT_EQ(settled->state, Settled::State::expired);
  const auto expired = outbox.expire(t0 + 60s);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].entry.id, "b");
  EXPECT_TRUE(outbox.entries().empty());
}

TEST(Outbox, AnEntryInFlightDoesNotExpireUnderItsTransport) {
  Outbox outbox({5s, 30s, 60s});
  outbox.add(entry("a"), t0);
  outbox.take_due("gsm", t0 + 59s);
  EXPECT_TRUE(outbox.expire(t0 + 61s).empty());
  EXPECT_EQ(outbox.on_outcome("a", true, "", t0 + 62s)->state, Settled::State::delivered);
}

TEST(Outbox, SavedAndRestoredWithoutItsInFlightMark) {
  Outbox outbox({5s, 30s, 3600s});
  auto sip = entry("b", "sip");
  sip.request_id = "r-1";
  sip.alias = "alarm-server";
  sip.cause = "rule:alarm-report-in1";
  outbox.add(entry("a"), t0);
  outbox.add(sip, t0 + 1s);
  outbox.take_due("gsm", t0 + 1s);
  outbox.on_outcome("a", false, "no network", t0 + 2s);
  outbox.take_due("sip", t0 + 2s);

  Outbox restored({5s, 30s, 3600s});
  EXPECT_EQ(restored.restore(outbox.to_json()), 0u);
  ASSERT_EQ(restored.entries().size(), 2u);
  const auto& a = restored.entries()[0];
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.last_error, "no network");
  EXPECT_EQ(a.next_attempt_at, t0 + 7s);
  EXPECT_EQ(a.expires_at, t0 + 3600s);
  const auto& b = restored.entries()[1];
  EXPECT_EQ(b.request_id, "r-1");
  EXPECT_EQ(b.alias, "alarm-server");
  EXPECT_EQ(b.cause, "rule:alarm-report-in1");
  EXPECT_FALSE(b.in_flight) << "an attempt cut short by a restart is made again";
  EXPECT_TRUE(restored.take_due("sip", t0 + 3s));
}

TEST(Outbox, UnreadableSavedEntriesAreSkippedAndCounted) {
  Outbox outbox({5s, 30s, 3600s});
  const auto saved = nlohmann::json::parse(R"([{"id":"x"}, {"id":"y","to":"+4915199999999","transport":"fax","text":"t",
      "queued_at_ms":0,"expires_at_ms":0,"next_attempt_at_ms":0}])");
  EXPECT_EQ(outbox.restore(saved), 2u);
  EXPECT_TRUE(outbox.entries().empty());
  EXPECT_EQ(outbox.restore(nlohmann::json::object()), 1u);
}

}  // namespace
}  // namespace intercom::sms
