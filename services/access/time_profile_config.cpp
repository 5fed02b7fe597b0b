#include "time_profile_config.hpp"

#include <array>
#include <cstdio>

#include "intercom/config/config.hpp"

namespace intercom::access {
namespace {

constexpr std::array<const char*, 8> kDayNames{"sun", "mon", "tue", "wed", "thu", "fri", "sat", "holiday"};

int day_of(const std::string& name, const std::string& path) {
  for (std::size_t i = 0; i < kDayNames.size(); ++i)
    if (name == kDayNames[i]) return static_cast<int>(i);
  throw ConfigError::at(path, "\"" + name + "\" is no day: sun, mon, tue, wed, thu, fri, sat or holiday");
}

int minute_of(const std::string& hh_mm, const std::string& path) {
  int hours = -1, minutes = -1;
  char end = 0;
  if (hh_mm.size() != 5 || std::sscanf(hh_mm.c_str(), "%2d:%2d%c", &hours, &minutes, &end) != 2 || hours < 0 ||
      minutes < 0 || minutes > 59 || hours * 60 + minutes > 1440)
    throw ConfigError::at(path, "\"" + hh_mm + "\" is no time of day: HH:MM from 00:00 to 24:00");
  return hours * 60 + minutes;
}

std::string clock_of(int minute) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60, minute % 60);
  return text;
}

/// A piece of an interval within one day type: an interval past midnight is two pieces, the
/// second on the next weekday (after a holiday the next day's type is not known: not checked).
struct Piece {
  int day;
  int from;
  int to;
  std::size_t interval;
};

std::vector<Piece> pieces_of(const WeeklyInterval& interval, std::size_t index) {
  std::vector<Piece> pieces;
  for (int day = 0; day < 8; ++day) {
    if (!interval.days.test(day)) continue;
    if (!interval.runs_past_midnight()) {
      pieces.push_back({day, interval.from_minute, interval.to_minute, index});
      continue;
    }
    pieces.push_back({day, interval.from_minute, 1440, index});
    if (day != kHoliday) pieces.push_back({(day + 1) % 7, 0, interval.to_minute, index});
  }
  return pieces;
}

void refuse_overlaps(const TimeProfile& profile, const std::string& path) {
  std::vector<Piece> pieces;
  for (std::size_t i = 0; i < profile.intervals.size(); ++i)
    for (const auto& piece : pieces_of(profile.intervals[i], i)) {
      for (const auto& earlier : pieces)
        if (earlier.day == piece.day && earlier.interval != piece.interval && piece.from < earlier.to &&
            earlier.from < piece.to)
          throw ConfigError::at(path + "/" + std::to_string(i),
                                "overlaps " + path + "/" + std::to_string(earlier.interval) + " on " +
                                    kDayNames[piece.day] + " from " + clock_of(std::max(piece.from, earlier.from)) +
                                    " to " + clock_of(std::min(piece.to, earlier.to)) +
                                    ": a profile's intervals may not overlap (join them into one)");
      pieces.push_back(piece);
    }
}

WeeklyInterval interval_of(const nlohmann::json& entry, const std::string& path) {
  WeeklyInterval interval;
  const auto& days = entry.at("days");
  for (std::size_t d = 0; d < days.size(); ++d) interval.days.set(day_of(days[d].get<std::string>(), path + "/days/" + std::to_string(d)));
  interval.from_minute = minute_of(entry.value("from", "00:00"), path + "/from");
  interval.to_minute = minute_of(entry.value("to", "24:00"), path + "/to");
  if (interval.from_minute == 1440) throw ConfigError::at(path + "/from", "an interval starts at 23:59 at the latest");
  if (interval.to_minute == 0) interval.to_minute = 1440;  // "to": "00:00" is midnight, the day's end
  if (interval.to_minute == interval.from_minute)
    throw ConfigError::at(path + "/to", "the interval ends when it starts: it holds no time (00:00 to 24:00 is the whole day)");
  return interval;
}

std::chrono::year_month_day date_of(const std::string& text, const std::string& path, bool& every_year) {
  int year = 0, month = 0, day = 0;
  char end = 0;
  every_year = text.size() == 5;
  const bool read = every_year ? std::sscanf(text.c_str(), "%2d-%2d%c", &month, &day, &end) == 2
                               : text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3;
  // Every year's date is checked against a leap year, so 02-29 is allowed (and holds in leap years).
  const std::chrono::year_month_day date{std::chrono::year{every_year ? 2024 : year} / month / day};
  if (!read || !date.ok())
    throw ConfigError::at(path, "\"" + text + "\" is no date: YYYY-MM-DD for that day, MM-DD for every year");
  return date;
}

}  // namespace

TimeProfiles parse_time_profiles(const nlohmann::json& profiles, const nlohmann::json& holidays) {
  TimeProfiles parsed;
  for (const auto& [name, intervals] : profiles.items()) {
    const auto path = "/time_profiles/" + name;
    TimeProfile profile{name, {}};
    for (std::size_t i = 0; i < intervals.size(); ++i) profile.intervals.push_back(interval_of(intervals[i], path + "/" + std::to_string(i)));
    refuse_overlaps(profile, path);
    parsed.profiles.emplace(name, std::move(profile));
  }
  for (std::size_t i = 0; i < holidays.size(); ++i) {
    bool every_year = false;
    const auto date = date_of(holidays[i].get<std::string>(), "/holidays/" + std::to_string(i), every_year);
    if (every_year) parsed.holidays.add_every_year(date.month() / date.day());
    else parsed.holidays.add(date);
  }
  return parsed;
}

}  // namespace intercom::access
