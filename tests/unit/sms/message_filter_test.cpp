#include "message_filter.hpp"

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

TEST(DuplicateFilter, DropsRetransmissionsOnly) {
  DuplicateFilter filter(10s);
  EXPECT_TRUE(filter.first_time("gsm", "+491", "ALERT=X", t0));
  EXPECT_FALSE(filter.first_time("gsm", "+491", "ALERT=X", t0 + 2s));
  EXPECT_TRUE(filter.first_time("sip", "+491", "ALERT=X", t0 + 2s));  // another transport
  EXPECT_TRUE(filter.first_time("gsm", "+492", "ALERT=X", t0 + 2s));  // another sender
  EXPECT_TRUE(filter.first_time("gsm", "+491", "ALERT=Y", t0 + 2s));  // another text
  EXPECT_FALSE(filter.first_time("gsm", "+491", "ALERT=X", t0 + 11s)); // repeats kept it open
  EXPECT_TRUE(filter.first_time("gsm", "+491", "ALERT=X", t0 + 30s));
}

}  // namespace
}  // namespace intercom::sms
