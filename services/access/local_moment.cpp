#include "local_moment.hpp"

#include <ctime>

namespace intercom::access {

LocalMoment LocalMoment::of(std::chrono::system_clock::time_point wall) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(wall);
  std::tm local{};
  localtime_r(&seconds, &local);
  return {std::chrono::year{local.tm_year + 1900} / (local.tm_mon + 1) / local.tm_mday, local.tm_wday,
          local.tm_hour * 60 + local.tm_min};
}

LocalMoment LocalMoment::day_before() const {
  return {std::chrono::year_month_day{std::chrono::sys_days{date} - std::chrono::days{1}}, (weekday + 6) % 7, minute_of_day};
}

}  // namespace intercom::access
