#pragma once
/// Time profiles: when a user's credential opens a door, or a rule's condition holds. A profile is
/// a set of weekly intervals; on a holiday only the intervals that name "holiday" apply (the office
/// is shut on Christmas Day, the cleaners' night interval may still say it works). An interval whose
/// end is before its start runs past midnight and belongs to the day it starts: "fri 22:00-06:00"
/// holds early on Saturday, and is shut early on a Saturday after a holiday Friday. Pure.
#include <bitset>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "local_moment.hpp"

namespace intercom::access {

/// The days an interval names: 0 = Sunday .. 6 = Saturday, 7 = a holiday.
using DaySet = std::bitset<8>;
inline constexpr int kHoliday = 7;

struct WeeklyInterval {
  DaySet days;
  int from_minute = 0;   ///< 0 .. 1439
  int to_minute = 1440;  ///< 1 .. 1440; at or before from_minute: the interval runs past midnight
  bool runs_past_midnight() const { return to_minute <= from_minute; }
};

/// The device's holidays: fixed dates, and dates that come back every year.
class Holidays {
 public:
  void add(std::chrono::year_month_day date) { dates_.insert(std::chrono::sys_days{date}); }
  void add_every_year(std::chrono::month_day day) { yearly_.insert({static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day())}); }
  bool contains(std::chrono::year_month_day date) const;

 private:
  std::set<std::chrono::sys_days> dates_;
  std::set<std::pair<unsigned, unsigned>> yearly_;
};

struct TimeProfile {
  std::string name;
  std::vector<WeeklyInterval> intervals;
};

/// Whether the profile holds at this local moment.
bool is_active(const TimeProfile& profile, const Holidays& holidays, const LocalMoment& at);

}  // namespace intercom::access
