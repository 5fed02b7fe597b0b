#include "call_model.hpp"
#include "dtmf_deduplicator.hpp"

#include <gtest/gtest.h>

namespace intercom::telephony {
namespace {

using namespace std::chrono_literals;
using Kind = CallEvent::Kind;

TEST(CallModel, AnIncomingCallRingsTalksAndEndsWithAReason) {
  CallModel model("t0");
  EXPECT_EQ(model.current().state, "idle");
  auto ringing = model.on_event({Kind::incoming, "c1", "sip:100@pbx"}, "t1");
  ASSERT_TRUE(ringing);
  EXPECT_EQ(nlohmann::json(*ringing), nlohmann::json({{"state", "ringing"}, {"call_id", "c1"}, {"direction", "incoming"},
                                      {"peer", "sip:100@pbx"}, {"since", "t1"}}));
  EXPECT_EQ(model.on_event({Kind::connected, "c1", "sip:100@pbx"}, "t2")->state, "talking");
  EXPECT_FALSE(model.on_event({Kind::connected, "c1", "sip:100@pbx"}, "t3"));  // StreamsRunning after Connected
  const auto idle = model.on_event({Kind::ended, "c1", "sip:100@pbx", "Call declined"}, "t4");
  ASSERT_TRUE(idle);
  EXPECT_EQ(nlohmann::json(*idle), nlohmann::json({{"state", "idle"}, {"since", "t4"}, {"end_reason", "Call declined"}}));
  EXPECT_FALSE(model.on_event({Kind::ended, "c1", "sip:100@pbx"}, "t5"));  // Released after End
}

TEST(CallModel, AnOutgoingCallIsCalling) {
  CallModel model("t0");
  const auto calling = model.on_event({Kind::outgoing, "c2", "sip:200@pbx"}, "t1");
  EXPECT_EQ(calling->state, "calling");
  EXPECT_EQ(calling->direction, "outgoing");
}

TEST(CallModel, AWaitingCallIsShownAgainWhenTheCurrentOneEnds) {
  CallModel model("t0");
  model.on_event({Kind::incoming, "a", "sip:a@x"}, "t1");
  model.on_event({Kind::connected, "a", "sip:a@x"}, "t2");
  EXPECT_EQ(model.on_event({Kind::incoming, "b", "sip:b@x"}, "t3")->call_id, "b");
  EXPECT_FALSE(model.on_event({Kind::ended, "x", ""}, "t4"));  // unknown call
  const auto back = model.on_event({Kind::ended, "b", "sip:b@x"}, "t5");
  // "b" was shown; with it gone the talking call "a" is the line's state again.
  ASSERT_TRUE(back);
  EXPECT_EQ(back->call_id, "a");
  EXPECT_EQ(back->state, "talking");
}

TEST(DtmfDeduplicator, AKeySentBothWaysIsHeardOnce) {
  DtmfDeduplicator dedup(150ms);
  const Clock::time_point t0{};
  EXPECT_TRUE(dedup.accept("c", '1', DtmfSource::rfc4733, t0));
  EXPECT_FALSE(dedup.accept("c", '1', DtmfSource::sip_info, t0 + 40ms));
  // The same key pressed again by the user, by the same path, counts.
  EXPECT_TRUE(dedup.accept("c", '1', DtmfSource::rfc4733, t0 + 60ms));
  EXPECT_TRUE(dedup.accept("c", '2', DtmfSource::sip_info, t0 + 70ms));
  EXPECT_TRUE(dedup.accept("c", '2', DtmfSource::rfc4733, t0 + 400ms));  // outside the window
  EXPECT_TRUE(dedup.accept("other", '2', DtmfSource::sip_info, t0 + 401ms));
}

TEST(AutoAnswer, OnlyAllowedCallersWhenEnabled) {
  AutoAnswerPolicy policy(true, {"sip:100@pbx.local", "sip:*@10.0.0.*"});
  EXPECT_TRUE(policy.should_answer("sip:100@pbx.local"));
  EXPECT_TRUE(policy.should_answer("sip:guard@10.0.0.7"));
  EXPECT_FALSE(policy.should_answer("sip:101@pbx.local"));
  EXPECT_FALSE(policy.should_answer("sip:guard@10.0.1.7"));
  EXPECT_FALSE(AutoAnswerPolicy(false, {"*"}).should_answer("sip:100@pbx.local"));
}

TEST(WildcardMatch, Globs) {
  EXPECT_TRUE(wildcard_match("*", ""));
  EXPECT_TRUE(wildcard_match("a*c", "abbbc"));
  EXPECT_TRUE(wildcard_match("a*b*c", "a-b-b-c"));
  EXPECT_FALSE(wildcard_match("a*c", "abcd"));
  EXPECT_FALSE(wildcard_match("abc", "ab"));
}

}  // namespace
}  // namespace intercom::telephony
