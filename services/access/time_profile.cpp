#include "time_profile.hpp"

#include <algorithm>

namespace intercom::access {
namespace {

/// The day type of a date: its weekday, or a holiday.
int day_type(const Holidays& holidays, const LocalMoment& at) { return holidays.contains(at.date) ? kHoliday : at.weekday; }

}  // namespace

bool Holidays::contains(std::chrono::year_month_day date) const {
  return dates_.count(std::chrono::sys_days{date}) ||
         yearly_.count({static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day())});
}

bool is_active(const TimeProfile& profile, const Holidays& holidays, const LocalMoment& at) {
  const int today = day_type(holidays, at);
  const int yesterday = day_type(holidays, at.day_before());
  const int minute = at.minute_of_day;
  return std::any_of(profile.intervals.begin(), profile.intervals.end(), [&](const WeeklyInterval& interval) {
    if (!interval.runs_past_midnight())
      return interval.days.test(today) && minute >= interval.from_minute && minute < interval.to_minute;
    return (interval.days.test(today) && minute >= interval.from_minute) ||
           (interval.days.test(yesterday) && minute < interval.to_minute);
  });
}

}  // namespace intercom::access
