#include "history_lines.hpp"

#include <cstdio>
#include <ctime>

#include "intercom/util/clock.hpp"
#include "intercom/util/date_time.hpp"

namespace intercom::ctl {

std::variant<contract::HistoryQuery, std::string> history_query_of(const HistoryOptions& options, std::chrono::system_clock::time_point now) {
  contract::HistoryQuery query;
  if (options.since) {
    const auto& since = *options.since;
    if (is_rfc3339_date_time(since)) {
      query.from = since;
    } else {
      std::size_t used = 0;
      long amount = -1;
      try {
        amount = std::stol(since, &used);
      } catch (const std::exception&) {
      }
      const auto unit = used > 0 && used + 1 == since.size() ? since.back() : '?';
      const long seconds_per = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
      if (amount < 0 || seconds_per == 0 || amount > 3650L * 86400 / seconds_per)
        return "--since: a time back from now (30m, 12h, 7d; s, m, h or d) or an RFC 3339 time (2026-12-01T18:00:00Z), not \"" + since + "\"";
      query.from = to_iso8601(now - std::chrono::seconds(amount * seconds_per));
    }
  }
  if (!options.kinds.empty()) query.kinds = options.kinds;
  if (options.input && options.output) return "--input or --output, not both";
  query.input = options.input;
  query.output = options.output;
  query.cause = options.cause;
  query.text = options.text;
  if (options.limit < 1) return "--limit: at least 1";
  query.limit = std::min(options.limit, 1000);
  return query;
}

std::string history_line(const contract::HistoryRecord& event) {
  std::string when = event.at;
  if (const auto at = parse_rfc3339(event.at)) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(*at);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
    when = text;
  }
  char kind[16];
  std::snprintf(kind, sizeof kind, "%-8s", event.kind.c_str());
  return when + "  " + kind + " " + event.summary;
}

}  // namespace intercom::ctl
