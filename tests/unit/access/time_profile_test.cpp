// Time profiles: weekly intervals, past midnight, holidays; the configuration's refusals.
#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"
#include "local_moment.hpp"
#include "profile_states.hpp"
#include "time_profile.hpp"
#include "time_profile_config.hpp"

namespace intercom::access {
namespace {

using namespace std::chrono;
using nlohmann::json;

/// 2026-12-04 is a Friday.
LocalMoment at(int year, unsigned month, unsigned day, int hour, int minute) {
  const year_month_day date{std::chrono::year{year} / month / day};
  return {date, static_cast<int>(weekday{sys_days{date}}.c_encoding()), hour * 60 + minute};
}

TimeProfiles parse(const json& profiles, const json& holidays = json::array()) { return parse_time_profiles(profiles, holidays); }

/// The refusal's pointer and reason, or "accepted".
std::string refusal(const json& profiles, const json& holidays = json::array()) {
  try {
    parse(profiles, holidays);
    return "accepted";
  } catch (const ConfigError& error) {
    return error.pointer() + ": " + error.reason();
  }
}

TEST(TimeProfile, AnOfficeDayHoldsFromItsStartUntilJustBeforeItsEnd) {
  const auto set = parse({{"office", {{{"days", {"mon", "tue", "wed", "thu", "fri"}}, {"from", "08:00"}, {"to", "18:00"}}}}});
  const auto& office = set.profiles.at("office");
  EXPECT_FALSE(is_active(office, set.holidays, at(2026, 12, 4, 7, 59)));
  EXPECT_TRUE(is_active(office, set.holidays, at(2026, 12, 4, 8, 0)));
  EXPECT_TRUE(is_active(office, set.holidays, at(2026, 12, 4, 17, 59)));
  EXPECT_FALSE(is_active(office, set.holidays, at(2026, 12, 4, 18, 0)));
  EXPECT_FALSE(is_active(office, set.holidays, at(2026, 12, 5, 10, 0))) << "Saturday";
}

TEST(TimeProfile, ANightIntervalBelongsToTheDayItStarts) {
  const auto set = parse({{"night", {{{"days", {"fri"}}, {"from", "22:00"}, {"to", "06:00"}}}}});
  const auto& night = set.profiles.at("night");
  EXPECT_FALSE(is_active(night, set.holidays, at(2026, 12, 4, 21, 59)));
  EXPECT_TRUE(is_active(night, set.holidays, at(2026, 12, 4, 23, 30)));
  EXPECT_TRUE(is_active(night, set.holidays, at(2026, 12, 5, 5, 59))) << "early Saturday is Friday's night";
  EXPECT_FALSE(is_active(night, set.holidays, at(2026, 12, 5, 6, 0)));
  EXPECT_FALSE(is_active(night, set.holidays, at(2026, 12, 4, 1, 0))) << "early Friday is Thursday's night";
  EXPECT_FALSE(is_active(night, set.holidays, at(2026, 12, 5, 23, 0)));
}

TEST(TimeProfile, OnAHolidayOnlyTheIntervalsNamingHolidaysHold) {
  const auto set = parse({{"office", {{{"days", {"mon", "tue", "wed", "thu", "fri"}}, {"from", "08:00"}, {"to", "18:00"}}}},
                          {"cleaning", {{{"days", {"fri", "holiday"}}, {"from", "20:00"}, {"to", "02:00"}}}}},
                         {"2026-12-04", "12-25"});
  EXPECT_FALSE(is_active(set.profiles.at("office"), set.holidays, at(2026, 12, 4, 10, 0))) << "a holiday that year";
  EXPECT_TRUE(is_active(set.profiles.at("office"), set.holidays, at(2026, 12, 11, 10, 0)));
  EXPECT_FALSE(is_active(set.profiles.at("office"), set.holidays, at(2026, 12, 25, 10, 0))) << "every year's Christmas Day";
  EXPECT_FALSE(is_active(set.profiles.at("office"), set.holidays, at(2031, 12, 25, 10, 0)));
  EXPECT_TRUE(is_active(set.profiles.at("office"), set.holidays, at(2025, 12, 4, 10, 0))) << "a dated holiday is that year's only";
  EXPECT_TRUE(is_active(set.profiles.at("cleaning"), set.holidays, at(2026, 12, 25, 21, 0)));
  EXPECT_TRUE(is_active(set.profiles.at("cleaning"), set.holidays, at(2026, 12, 26, 1, 0))) << "the holiday's night runs on";
}

TEST(TimeProfile, ANightAfterAHolidayIsTheHolidays) {
  const auto set = parse({{"late", {{{"days", {"thu", "fri"}}, {"from", "22:00"}, {"to", "06:00"}}}}}, {"2026-12-04"});
  const auto& late = set.profiles.at("late");
  EXPECT_TRUE(is_active(late, set.holidays, at(2026, 12, 4, 3, 0))) << "Thursday's night, into the holiday";
  EXPECT_FALSE(is_active(late, set.holidays, at(2026, 12, 4, 23, 0))) << "the holiday Friday names no night";
  EXPECT_FALSE(is_active(late, set.holidays, at(2026, 12, 5, 3, 0)));
}

TEST(TimeProfile, MidnightEndsAndTheWholeDay) {
  const auto set = parse({{"evening", {{{"days", {"sat"}}, {"from", "18:00"}, {"to", "00:00"}}}},
                          {"always", {{{"days", {"sun", "mon", "tue", "wed", "thu", "fri", "sat", "holiday"}}}}}});
  EXPECT_TRUE(is_active(set.profiles.at("evening"), set.holidays, at(2026, 12, 5, 23, 59)));
  EXPECT_FALSE(is_active(set.profiles.at("evening"), set.holidays, at(2026, 12, 6, 0, 0)));
  EXPECT_TRUE(is_active(set.profiles.at("always"), set.holidays, at(2026, 12, 6, 0, 0)));
  EXPECT_TRUE(is_active(set.profiles.at("always"), set.holidays, at(2026, 12, 6, 23, 59)));
}

TEST(TimeProfile, TheLocalMomentFollowsTheTimeZoneAcrossSummerTime) {
  const char* const saved = std::getenv("TZ");
  const std::string kept = saved ? saved : "";
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  // 2026-03-29: clocks go from 02:00 to 03:00 at 01:00 UTC.
  const auto before = LocalMoment::of(sys_days{2026y / 3 / 29} + 0h + 59min);
  const auto after = LocalMoment::of(sys_days{2026y / 3 / 29} + 1h);
  const auto new_year = LocalMoment::of(sys_days{2026y / 12 / 31} + 23h + 30min);
  if (saved) setenv("TZ", kept.c_str(), 1);
  else unsetenv("TZ");
  tzset();
  EXPECT_EQ(before.minute_of_day, 1 * 60 + 59);
  EXPECT_EQ(after.minute_of_day, 3 * 60);
  EXPECT_EQ(after.weekday, 0) << "Sunday";
  EXPECT_EQ(new_year.date, 2027y / 1 / 1) << "00:30 in Berlin is the next year";
  EXPECT_EQ(new_year.day_before().date, 2026y / 12 / 31);
  EXPECT_EQ(new_year.day_before().weekday, 4) << "Thursday";
}

TEST(TimeProfileConfig, OverlappingIntervalsAreRefusedNamingBoth) {
  EXPECT_EQ(refusal({{"staff", {{{"days", {"mon", "tue"}}, {"from", "08:00"}, {"to", "12:00"}},
                                {{"days", {"tue"}}, {"from", "11:00"}, {"to", "14:00"}}}}}),
            "/time_profiles/staff/1: overlaps /time_profiles/staff/0 on tue from 11:00 to 12:00: a profile's intervals "
            "may not overlap (join them into one)");
  EXPECT_EQ(refusal({{"staff", {{{"days", {"sun"}}, {"from", "22:00"}, {"to", "06:00"}},
                                {{"days", {"mon"}}, {"from", "05:00"}, {"to", "09:00"}}}}}),
            "/time_profiles/staff/1: overlaps /time_profiles/staff/0 on mon from 05:00 to 06:00: a profile's intervals "
            "may not overlap (join them into one)")
      << "Sunday's night runs into Monday's morning";
  EXPECT_EQ(refusal({{"staff", {{{"days", {"mon"}}, {"from", "08:00"}, {"to", "12:00"}},
                                {{"days", {"mon"}}, {"from", "12:00"}, {"to", "14:00"}}}}}),
            "accepted")
      << "an interval ends before the next begins";
}

TEST(TimeProfileConfig, WhatIsNoDateNoTimeOrNoTimeAtAllIsRefusedByName) {
  const json office = {{"office", {{{"days", {"mon"}}, {"from", "08:00"}, {"to", "18:00"}}}}};
  EXPECT_EQ(refusal(office, {"2026-02-29"}),
            "/holidays/0: \"2026-02-29\" is no date: YYYY-MM-DD for that day, MM-DD for every year");
  EXPECT_EQ(refusal(office, {"2028-02-29", "02-29"}), "accepted") << "leap days";
  EXPECT_EQ(refusal(office, {"12-25", "13-01"}),
            "/holidays/1: \"13-01\" is no date: YYYY-MM-DD for that day, MM-DD for every year");
  EXPECT_EQ(refusal({{"x", {{{"days", {"mon"}}, {"from", "08:00"}, {"to", "08:00"}}}}}),
            "/time_profiles/x/0/to: the interval ends when it starts: it holds no time (00:00 to 24:00 is the whole day)");
  EXPECT_EQ(refusal({{"x", {{{"days", {"mon"}}, {"from", "8:00"}}}}}),
            "/time_profiles/x/0/from: \"8:00\" is no time of day: HH:MM from 00:00 to 24:00");
  EXPECT_EQ(refusal({{"x", {{{"days", {"mon"}}, {"to", "24:01"}}}}}),
            "/time_profiles/x/0/to: \"24:01\" is no time of day: HH:MM from 00:00 to 24:00");
  EXPECT_EQ(refusal({{"x", {{{"days", {"mon", "Friday"}}}}}}),
            "/time_profiles/x/0/days/1: \"Friday\" is no day: sun, mon, tue, wed, thu, fri, sat or holiday");
}

TEST(ProfileStates, EveryProfileFirstThenOnlyChangesAndARemovedOneIsCleared) {
  auto set = parse({{"office", {{{"days", {"fri"}}, {"from", "08:00"}, {"to", "18:00"}}}}, {"night", {{{"days", {"fri"}}, {"from", "22:00"}, {"to", "06:00"}}}}});
  ProfileStates states;
  const auto first = states.update(set, at(2026, 12, 4, 9, 0), "t1");
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].name, "night");
  EXPECT_FALSE(first[0].state->active);
  EXPECT_EQ(first[1].name, "office");
  EXPECT_TRUE(first[1].state->active);
  EXPECT_EQ(first[1].state->since, "t1");
  EXPECT_TRUE(states.update(set, at(2026, 12, 4, 9, 1), "t2").empty()) << "nothing changed";
  const auto evening = states.update(set, at(2026, 12, 4, 18, 0), "t3");
  ASSERT_EQ(evening.size(), 1u);
  EXPECT_EQ(evening[0].name, "office");
  EXPECT_FALSE(evening[0].state->active);
  set.profiles.erase("night");
  const auto removed = states.update(set, at(2026, 12, 4, 18, 1), "t4");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].name, "night");
  EXPECT_FALSE(removed[0].state) << "cleared from the broker";
  ASSERT_EQ(states.all().size(), 1u);
  EXPECT_EQ(states.all()[0].state->since, "t3");
}

}  // namespace
}  // namespace intercom::access
