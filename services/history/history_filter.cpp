#include "history_filter.hpp"

#include <algorithm>
#include <chrono>

#include "intercom/util/date_time.hpp"

namespace intercom::history {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxText = 100;

std::int64_t ms_of(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

/// A port name as gpio allows it.
bool is_port_name(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

}  // namespace

const std::vector<std::string>& event_kinds() {
  static const std::vector<std::string> kinds{"input", "output", "call", "code", "access", "message", "rule", "login", "config", "service"};
  return kinds;
}

std::variant<HistoryFilter, FilterRefusal> read_filter(const json& query) {
  if (!query.is_object()) return FilterRefusal{"", "a query is a JSON object"};
  static const std::vector<std::string> kKeys{"request_id", "from", "to", "kinds", "input", "output", "cause", "text", "limit", "after"};
  for (const auto& [key, value] : query.items())
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end())
      return FilterRefusal{"/" + key, "not a member of a query (from, to, kinds, input, output, cause, text, limit, after)"};
  HistoryFilter filter;
  for (const char* key : {"from", "to"}) {
    if (!query.contains(key)) continue;
    const auto& value = query[key];
    const auto at = value.is_string() ? parse_rfc3339(value.get<std::string>()) : std::nullopt;
    if (!at) return FilterRefusal{std::string("/") + key, "a time as RFC 3339, e.g. 2026-12-01T18:00:00Z"};
    (std::string(key) == "from" ? filter.from_ms : filter.to_ms) = ms_of(*at);
  }
  if (filter.from_ms && filter.to_ms && *filter.from_ms > *filter.to_ms) return FilterRefusal{"/to", "the end is before the start (from)"};
  if (query.contains("kinds")) {
    const auto& kinds = query["kinds"];
    std::string allowed;
    for (const auto& kind : event_kinds()) allowed += (allowed.empty() ? "" : ", ") + kind;
    if (!kinds.is_array()) return FilterRefusal{"/kinds", "a list of kinds: " + allowed};
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const auto& kind = kinds[i];
      if (!kind.is_string() || std::find(event_kinds().begin(), event_kinds().end(), kind.get<std::string>()) == event_kinds().end())
        return FilterRefusal{"/kinds/" + std::to_string(i), "one of " + allowed};
      if (std::find(filter.kinds.begin(), filter.kinds.end(), kind.get<std::string>()) == filter.kinds.end())
        filter.kinds.push_back(kind.get<std::string>());
    }
  }
  if (query.contains("input") && query.contains("output")) return FilterRefusal{"/output", "an input or an output, not both"};
  for (const char* key : {"input", "output"}) {
    if (!query.contains(key)) continue;
    const auto& name = query[key];
    if (!name.is_string() || !is_port_name(name.get<std::string>()))
      return FilterRefusal{std::string("/") + key, "a port's name: 1 to 32 of a-z, 0-9, _ and -"};
    filter.port = name.get<std::string>();
    // A port's events are its own kind's: an output's changes, an input's.
    if (filter.kinds.empty()) filter.kinds = {key};
  }
  if (query.contains("cause")) {
    const auto& cause = query["cause"];
    if (!cause.is_string() || cause.get<std::string>().empty() || cause.get<std::string>().size() > 200)
      return FilterRefusal{"/cause", "a cause as events carry it (rule:<id>, home-assistant, ...), 1 to 200 characters"};
    filter.cause = cause.get<std::string>();
  }
  if (query.contains("text")) {
    const auto& text = query["text"];
    if (!text.is_string() || text.get<std::string>().empty() || text.get<std::string>().size() > kMaxText)
      return FilterRefusal{"/text", "a text to find in the events' summaries, 1 to 100 characters"};
    filter.text = text.get<std::string>();
  }
  if (query.contains("limit")) {
    const auto& limit = query["limit"];
    if (!limit.is_number_integer() || limit.get<std::int64_t>() < 1 || limit.get<std::int64_t>() > kMaxPage)
      return FilterRefusal{"/limit", "how many events a page holds: 1 to 1000"};
    filter.limit = limit.get<int>();
  }
  if (query.contains("after")) {
    const auto& after = query["after"];
    if (!after.is_number_integer() || after.get<std::int64_t>() < 1)
      return FilterRefusal{"/after", "the cursor of the page before (a positive whole number)"};
    filter.after = after.get<std::int64_t>();
  }
  return filter;
}

}  // namespace intercom::history
