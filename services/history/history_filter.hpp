#pragma once
/// Which events a query asks for, read from what a client sent: every field checked, a refusal
/// naming the field and what it allows. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace intercom::history {

/// The kinds of event the history keeps.
const std::vector<std::string>& event_kinds();

/// The most events one page holds, and the default.
inline constexpr int kMaxPage = 1000;
inline constexpr int kDefaultPage = 100;

struct HistoryFilter {
  std::optional<std::int64_t> from_ms;  ///< at or after
  std::optional<std::int64_t> to_ms;    ///< at or before
  std::vector<std::string> kinds;       ///< empty: every kind
  std::optional<std::string> port;      ///< an input's or an output's name
  std::optional<std::string> cause;     ///< exactly
  std::optional<std::string> text;      ///< in the summary, as typed (no wildcard of its own)
  int limit = kDefaultPage;
  std::optional<std::int64_t> after;    ///< the cursor of the page before: events older than it
  bool operator==(const HistoryFilter&) const = default;
};

/// A query refused: the field ("/from") and why, saying what is allowed.
struct FilterRefusal {
  std::string field;
  std::string reason;
};

/// Reads {from, to, kinds, input, output, cause, text, limit, after} (every member optional; from
/// and to RFC 3339 times; input and output name a port, not both).
std::variant<HistoryFilter, FilterRefusal> read_filter(const nlohmann::json& query);

}  // namespace intercom::history
