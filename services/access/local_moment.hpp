#pragma once
/// A moment as the people at the door count it: the date, the weekday and the minute in the
/// device's time zone (the system's, TZ or /etc/localtime). Worked out from the wall clock at each
/// use, so an NTP step or a change to summer time is simply the next answer.
#include <chrono>

namespace intercom::access {

struct LocalMoment {
  std::chrono::year_month_day date;
  int weekday = 0;        ///< 0 = Sunday .. 6 = Saturday, as struct tm
  int minute_of_day = 0;  ///< 0 .. 1439

  static LocalMoment of(std::chrono::system_clock::time_point wall);
  /// The same minute of the day before (for an interval that began yesterday and runs past midnight).
  LocalMoment day_before() const;
};

}  // namespace intercom::access
