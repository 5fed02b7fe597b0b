#include "intercom/util/message_address.hpp"
#include "alert_text.hpp"
#include "inbound_filter.hpp"
#include "trust_list.hpp"

#include <gtest/gtest.h>

namespace intercom::sms {
namespace {

using namespace std::chrono_literals;
const TimePoint t0{};

TEST(ParseText, TheGuidesAlert) {
  EXPECT_EQ(parse_text("ALERT=OUT1_SOS").alert, "OUT1_SOS");
}

TEST(ParseText, WhitespaceAndCaseAreForgiven) {
  EXPECT_EQ(parse_text("  alert = out1_sos \r\n").alert, "OUT1_SOS");
  EXPECT_EQ(parse_text("Alert=Door open").alert, "DOOR OPEN");  // inner spaces stay
  EXPECT_EQ(parse_text("ALERT=a=b").alert, "A=B");               // only the first '=' separates
}

TEST(ParseText, PlainTextsAreNotAlerts) {
  for (const auto* text : {"hello", "", "ALERTOUT1", "ALERTS=X", "my ALERT=X", "=X"}) {
    const auto parsed = parse_text(text);
    EXPECT_FALSE(parsed.alert) << text;
    EXPECT_TRUE(parsed.problem.empty()) << text;
  }
}

TEST(ParseText, EmptyOverLongAndControlCharactersAreRefusedWithAReason) {
  EXPECT_EQ(parse_text("ALERT=").problem, "empty alert");
  EXPECT_EQ(parse_text("ALERT=   ").problem, "empty alert");
  EXPECT_FALSE(parse_text("ALERT=" + std::string(161, 'X')).alert);
  EXPECT_EQ(parse_text("ALERT=" + std::string(160, 'X')).alert->size(), 160u);
  EXPECT_NE(parse_text("ALERT=" + std::string(161, 'X')).problem.find("160"), std::string::npos);
  EXPECT_EQ(parse_text(std::string("ALERT=A\x01" "B")).problem, "alert with control characters");
}

TEST(NormalizeE164, WhatPeopleAndModemsWrite) {
  EXPECT_EQ(normalize_e164("+4915112345678"), "+4915112345678");
  EXPECT_EQ(normalize_e164("+49 151 1234-5678"), "+4915112345678");
  EXPECT_EQ(normalize_e164("0049 (151) 12345678"), "+4915112345678");
  EXPECT_FALSE(normalize_e164("015112345678"));     // national: no country
  EXPECT_FALSE(normalize_e164("+49151abc"));
  EXPECT_FALSE(normalize_e164("+1234"));            // too short
  EXPECT_FALSE(normalize_e164("+1234567890123456")); // too long
  EXPECT_FALSE(normalize_e164("+0151234567"));
}

TEST(TrustList, PerTransport) {
  const TrustList trust({"sip:alarm@pbx.local", "sip:*@10.0.0.*"}, {"+49 151 1234 5678"});
  EXPECT_TRUE(trust.trusted("sip", "sip:alarm@pbx.local"));
  EXPECT_TRUE(trust.trusted("sip", "sip:guard@10.0.0.7"));
  EXPECT_FALSE(trust.trusted("sip", "sip:mallory@pbx.local"));
  EXPECT_TRUE(trust.trusted("gsm", "+4915112345678"));
  EXPECT_TRUE(trust.trusted("gsm", "004915112345678"));
  EXPECT_FALSE(trust.trusted("gsm", "+4915112345679"));
  EXPECT_FALSE(trust.trusted("gsm", "sip:alarm@pbx.local"));  // a SIP sender is no phone number
  EXPECT_FALSE(trust.trusted("sip", "+4915112345678"));
}

TEST(RateLimiter, PerSenderWithinTheWindow) {
  RateLimiter limiter(3, 60s);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("a", t0 + std::chrono::seconds(i)));
  EXPECT_FALSE(limiter.allow("a", t0 + 10s));
  EXPECT_TRUE(limiter.allow("b", t0 + 10s));   // others are not held up
  EXPECT_TRUE(limiter.allow("a", t0 + 60s));   // the first one has left the window
  EXPECT_FALSE(limiter.allow("a", t0 + 60s));
}

TEST(DuplicateFilter, DropsASecondCopyOfOneMessageOnly) {
  DuplicateFilter filter(10s);
  const auto sent = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  EXPECT_TRUE(filter.first_time("+491", "ALERT=X", sent, t0));
  EXPECT_FALSE(filter.first_time("+491", "ALERT=X", sent, t0 + 2s));       // the modem handed it over twice
  EXPECT_TRUE(filter.first_time("+491", "ALERT=X", sent + 20s, t0 + 2s));  // texted again: a new message
  EXPECT_TRUE(filter.first_time("+492", "ALERT=X", sent, t0 + 2s));        // another sender
  EXPECT_TRUE(filter.first_time("+491", "ALERT=Y", sent, t0 + 2s));        // another text
  EXPECT_FALSE(filter.first_time("+491", "ALERT=X", sent, t0 + 11s));      // copies kept it open
  EXPECT_TRUE(filter.first_time("+491", "ALERT=X", sent, t0 + 30s));
}

}  // namespace
}  // namespace intercom::sms

namespace intercom::sms {
namespace {

using namespace std::chrono_literals;

TEST(ClassifyAddress, SipUrisAndInternationalNumbers) {
  EXPECT_EQ(classify_address("sip:alarm@pbx.local")->transport, "sip");
  EXPECT_EQ(classify_address("sips:alarm@pbx.local")->to, "sips:alarm@pbx.local");
  const auto number = classify_address("+49 151 1234-5678");
  ASSERT_TRUE(number);
  EXPECT_EQ(number->transport, "gsm");
  EXPECT_EQ(number->to, "+4915112345678");
  EXPECT_EQ(classify_address("tel:+4915112345678")->to, "+4915112345678");
  EXPECT_EQ(classify_address("004915112345678")->to, "+4915112345678");
  for (const auto* nothing : {"alarm-server", "015112345678", "sip:", "sip:a b@c", ""})
    EXPECT_FALSE(classify_address(nothing)) << nothing;
}

struct InboundFixture : ::testing::Test {
  InboundSettings settings{3, 60s, 30s, 600s};
  InboundFilter filter{settings, TrustList({"sip:alarm@pbx.local"}, {"+49 151 1234 5678"})};
  TimePoint now{};
  std::chrono::system_clock::time_point wall = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  InboundVerdict judge(const std::string& transport, const std::string& from, const std::string& text,
                       std::optional<std::chrono::system_clock::time_point> sent_at = std::nullopt) {
    return filter.judge({transport, from, text, sent_at}, now, wall);
  }
};

TEST_F(InboundFixture, ATrustedAlert) {
  const auto verdict = judge("gsm", "+4915112345678", "ALERT=OUT1_SOS", wall - 5s);
  EXPECT_EQ(verdict.disposition, InboundVerdict::Disposition::publish);
  EXPECT_EQ(verdict.parsed.alert, "OUT1_SOS");
  EXPECT_TRUE(verdict.trusted);
}

TEST_F(InboundFixture, TheSenderIsWrittenInE164AndJudgedSo) {
  const auto verdict = judge("gsm", "004915112345678", "ALERT=OUT1_SOS");
  EXPECT_EQ(verdict.sender, "+4915112345678");
  EXPECT_TRUE(verdict.trusted);
  EXPECT_FALSE(judge("sip", "sip:someone@pbx.local", "ALERT=OUT1_SOS").trusted);
  EXPECT_FALSE(judge("gsm", "sip:alarm@pbx.local", "ALERT=OUT1_SOS").trusted) << "trust is per transport";
}

// Field use: a person who texted ALERT=OUT1_SOS again because the door did not open got nothing.
TEST_F(InboundFixture, ARepeatIsANewMessageACopyIsDroppedBeforeItCountsAgainstTheRateLimit) {
  const auto sent = wall - 5s;
  EXPECT_EQ(judge("gsm", "+4915112345678", "a", sent).disposition, InboundVerdict::Disposition::publish);
  for (int i = 0; i < 5; ++i) {
    const auto copy = judge("gsm", "+4915112345678", "a", sent);
    EXPECT_EQ(copy.disposition, InboundVerdict::Disposition::duplicate);
    EXPECT_EQ(copy.reason,
              "a second copy of the message from +4915112345678 with the same service-centre time stamp: dropped, it was acted on once");
  }
  EXPECT_EQ(judge("gsm", "+4915112345678", "a", sent + 10s).disposition, InboundVerdict::Disposition::publish) << "sent again";
  EXPECT_EQ(judge("gsm", "+4915112345678", "c").disposition, InboundVerdict::Disposition::publish);
  const auto fourth = judge("gsm", "+4915112345678", "d");
  EXPECT_EQ(fourth.disposition, InboundVerdict::Disposition::rate_limited);
  EXPECT_EQ(fourth.reason, "more than 3 messages from +4915112345678 within 60 s: dropped");
  EXPECT_EQ(judge("gsm", "+4915187654321", "d").disposition, InboundVerdict::Disposition::publish) << "the limit is per sender";
  now += 60s;
  EXPECT_EQ(judge("gsm", "+4915112345678", "e").disposition, InboundVerdict::Disposition::publish);
}

TEST_F(InboundFixture, SipTextsAreNeverTakenForCopies) {
  EXPECT_EQ(judge("sip", "sip:alarm@pbx.local", "ALERT=OUT1_SOS").disposition, InboundVerdict::Disposition::publish);
  EXPECT_EQ(judge("sip", "sip:alarm@pbx.local", "ALERT=OUT1_SOS").disposition, InboundVerdict::Disposition::publish);
}

// Field use: a SIP MESSAGE with a forged From of the alarm server pulsed the lock.
TEST_F(InboundFixture, ASipSenderIsTrustedOnlyFromWhereItCanCome) {
  auto forged = filter.judge({"sip", "sip:alarm@pbx.local", "ALERT=OUT1_SOS", std::nullopt,
                              "it came from 203.0.113.9, which is neither the PBX nor a host in telephony's sip.peer_hosts"},
                             now, wall);
  EXPECT_EQ(forged.disposition, InboundVerdict::Disposition::publish);
  EXPECT_FALSE(forged.trusted);
  EXPECT_EQ(forged.untrusted_reason,
            "sip:alarm@pbx.local is on the trust list, but it came from 203.0.113.9, which is neither the PBX nor a host in "
            "telephony's sip.peer_hosts");
  EXPECT_EQ(judge("sip", "sip:other@pbx.local", "x").untrusted_reason, "sip:other@pbx.local is not on the trust list for sip");
  EXPECT_TRUE(judge("sip", "sip:alarm@pbx.local", "x").trusted);
}

TEST_F(InboundFixture, AStaleTextIsRefusedWithItsAge) {
  const auto verdict = judge("gsm", "+4915112345678", "ALERT=OUT1_SOS", wall - 601s);
  EXPECT_EQ(verdict.disposition, InboundVerdict::Disposition::too_old);
  EXPECT_EQ(verdict.reason, "message from +4915112345678 sent 601 s ago (max_age_s 600): not acted on");
  EXPECT_EQ(judge("gsm", "+4915112345678", "x", wall + 3600s).disposition, InboundVerdict::Disposition::publish)
      << "a clock behind the network's is no reason to refuse";
}

TEST_F(InboundFixture, NoAgeLimitWhenMaxAgeIsZero) {
  InboundFilter unlimited{{3, 60s, 30s, 0s}, TrustList({}, {})};
  EXPECT_EQ(unlimited.judge({"gsm", "+4915112345678", "x", wall - 24h}, now, wall).disposition, InboundVerdict::Disposition::publish);
}

}  // namespace
}  // namespace intercom::sms
