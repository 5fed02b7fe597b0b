#pragma once
/// `intercomctl history`: the query its options make, and a line per event for a terminal. Pure.
#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "intercom/contract/history_payloads.hpp"

namespace intercom::ctl {

struct HistoryOptions {
  std::optional<std::string> since;  ///< "30m", "12h", "7d" back from now, or an RFC 3339 time
  std::vector<std::string> kinds;
  std::optional<std::string> input;
  std::optional<std::string> output;
  std::optional<std::string> cause;
  std::optional<std::string> text;
  int limit = 50;  ///< the newest this many
};

/// The query of the options (without request_id and cursor), or why they do not make one.
std::variant<contract::HistoryQuery, std::string> history_query_of(const HistoryOptions& options, std::chrono::system_clock::time_point now);

/// "2026-12-02 08:58:12  output   out1 (Door lock) on (pulse), by rule:dtmf-open", the time in the
/// terminal's time zone.
std::string history_line(const contract::HistoryRecord& event);

}  // namespace intercom::ctl
