#include "intercom/util/date_time.hpp"

namespace intercom {
namespace {

/// Reads `digits` decimal digits at `at`; -1 if any is not a digit or the text is too short.
int read_number(std::string_view text, std::size_t at, std::size_t digits) {
  if (at + digits > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

bool char_at(std::string_view text, std::size_t at, char lower_or_symbol) {
  if (at >= text.size()) return false;
  const char c = text[at];
  return c == lower_or_symbol || (lower_or_symbol >= 'a' && lower_or_symbol <= 'z' && c == lower_or_symbol - 'a' + 'A');
}

}  // namespace

bool is_rfc3339_date_time(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS
  const int year = read_number(text, 0, 4);
  const int month = read_number(text, 5, 2);
  const int day = read_number(text, 8, 2);
  const int hour = read_number(text, 11, 2);
  const int minute = read_number(text, 14, 2);
  const int second = read_number(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60)
    return false;
  if (day > days_in_month(year, month)) return false;
  if (!char_at(text, 4, '-') || !char_at(text, 7, '-') || !char_at(text, 10, 't') || !char_at(text, 13, ':') ||
      !char_at(text, 16, ':'))
    return false;
  std::size_t at = 19;
  if (char_at(text, at, '.')) {
    const std::size_t first_digit = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == first_digit) return false;
  }
  if (char_at(text, at, 'z')) return at + 1 == text.size();
  if (!char_at(text, at, '+') && !char_at(text, at, '-')) return false;
  const int offset_hour = read_number(text, at + 1, 2);
  const int offset_minute = read_number(text, at + 4, 2);
  return offset_hour >= 0 && offset_hour <= 23 && offset_minute >= 0 && offset_minute <= 59 &&
         char_at(text, at + 3, ':') && at + 6 == text.size();
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
  if (!is_rfc3339_date_time(text)) return std::nullopt;
  using namespace std::chrono;
  // The system clock counts nanoseconds in 64 bits: 1677-09-21 to 2262-04-11. A year outside what
  // it holds whole (a forged "9999-12-31") would overflow the conversion below.
  if (const auto y = read_number(text, 0, 4); y < 1678 || y > 2261) return std::nullopt;
  const year_month_day date{year(read_number(text, 0, 4)), month(static_cast<unsigned>(read_number(text, 5, 2))),
                            day(static_cast<unsigned>(read_number(text, 8, 2)))};
  auto moment = sys_days(date) + hours(read_number(text, 11, 2)) + minutes(read_number(text, 14, 2)) +
                seconds(read_number(text, 17, 2));
  std::size_t at = 19;
  milliseconds fraction{0};
  if (char_at(text, at, '.')) {
    int scale = 100;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10)
      fraction += milliseconds((text[at] - '0') * scale);
  }
  system_clock::time_point point = time_point_cast<system_clock::duration>(moment + fraction);
  if (!char_at(text, at, 'z')) {
    const auto offset = hours(read_number(text, at + 1, 2)) + minutes(read_number(text, at + 4, 2));
    // 15:25+01:00 is 14:25 UTC.
    point += char_at(text, at, '+') ? -offset : offset;
  }
  return point;
}

}  // namespace intercom
