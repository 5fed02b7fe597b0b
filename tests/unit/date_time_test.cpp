#include "intercom/util/date_time.hpp"

#include <gtest/gtest.h>

#include "intercom/util/clock.hpp"

namespace intercom {
namespace {

TEST(DateTime, AcceptsRfc3339) {
  EXPECT_TRUE(is_rfc3339_date_time("2026-11-24T14:25:03.120Z"));
  EXPECT_TRUE(is_rfc3339_date_time("2026-11-24T14:25:03Z"));
  EXPECT_TRUE(is_rfc3339_date_time("2026-11-24t14:25:03.1z"));
  EXPECT_TRUE(is_rfc3339_date_time("2026-11-24T15:25:03+01:00"));
  EXPECT_TRUE(is_rfc3339_date_time("2026-11-24T09:25:03.123456-05:30"));
  EXPECT_TRUE(is_rfc3339_date_time("2028-02-29T00:00:00Z"));
  EXPECT_TRUE(is_rfc3339_date_time("2000-02-29T00:00:00Z"));
  EXPECT_TRUE(is_rfc3339_date_time("2016-12-31T23:59:60Z"));
}

TEST(DateTime, RefusesEverythingElse) {
  for (const char* text : {"", "2026-11-24", "2026-11-24T14:25:03", "2026-11-24 14:25:03Z", "2026-11-24T14:25:03.Z",
                           "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                           "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
                           "2026-01-01T00:00:61Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+01", "2026-01-01T00:00:00Zx",
                           "2026-01-01T00:00:00+01:00:00", "+2026-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "２026-01-01T00:00:00Z"})
    EXPECT_FALSE(is_rfc3339_date_time(text)) << text;
}

TEST(DateTime, ParsesTheMomentWithItsOffsetAndFraction) {
  const auto utc = parse_rfc3339("2026-11-24T14:25:03.120Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(to_iso8601(*utc), "2026-11-24T14:25:03.120Z");
  EXPECT_EQ(parse_rfc3339("2026-11-24T15:25:03.120+01:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-24T09:55:03.12-04:30"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-24t14:25:03.1209z"), utc) << "beyond the millisecond is dropped";
  EXPECT_EQ(to_iso8601(*parse_rfc3339("2028-02-29T00:00:00Z")), "2028-02-29T00:00:00.000Z");
  EXPECT_EQ(to_iso8601(*parse_rfc3339("2016-12-31T23:59:60Z")), "2017-01-01T00:00:00.000Z");
  EXPECT_EQ(to_iso8601(*parse_rfc3339("2026-01-01T00:30:00+01:00")), "2025-12-31T23:30:00.000Z");
  EXPECT_FALSE(parse_rfc3339("2026-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("yesterday"));
}

}  // namespace
// Found by fuzz.history: a forged "6052-12-01T18:00:00Z" is a valid RFC 3339 time that the system
// clock cannot hold; reading it overflowed (UBSan: signed integer overflow in chrono).
TEST(DateTime, AYearTheSystemClockCannotHoldIsNoMomentAndNoOverflow) {
  for (const auto* beyond : {"6052-12-01T18:00:00Z", "9999-12-31T23:59:59.999Z", "2262-04-12T00:00:00Z", "0001-01-01T00:00:00Z", "1677-01-01T00:00:00Z"}) {
    EXPECT_TRUE(is_rfc3339_date_time(beyond)) << beyond;
    EXPECT_FALSE(parse_rfc3339(beyond)) << beyond;
  }
  EXPECT_TRUE(parse_rfc3339("2261-12-31T23:59:59Z"));
  EXPECT_TRUE(parse_rfc3339("1678-01-01T00:00:00Z"));
}

}  // namespace intercom
