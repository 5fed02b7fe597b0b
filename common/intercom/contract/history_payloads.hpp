#pragma once
/// The door's event history: its query and its pages.
/// One type per payload, next to its topic; schemas/bus/ stays the authority (the bus validates
/// every payload against it), tests/unit/contract_test.cpp keeps the two equal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

/// A question to the door's event history (command): the events a filter takes, newest first, a page at a time.
/// Every member may be left out: the newest page of every kind.
struct HistoryQuery {
  static constexpr const TopicSpec& spec = topic::history_query;
  std::optional<std::string> request_id;  ///< given back on the result
  std::optional<std::string> from;  ///< ISO 8601; events at or after this time
  std::optional<std::string> to;  ///< ISO 8601; events at or before this time
  /// the kinds of event wanted (input, output, call, code, access, message, rule, login, config, service); none: every kind
  std::optional<std::vector<std::string>> kinds;
  std::optional<std::string> input;  ///< the events of this input
  std::optional<std::string> output;  ///< the events of this output (an input or an output, not both)
  std::optional<std::string> cause;  ///< exactly this cause: rule:<id>, home-assistant, web, sparkplug ...
  std::optional<std::string> text;  ///< found in the events' lines as typed (no wildcard)
  std::optional<std::int64_t> limit;  ///< the most events of a page (100 when left out); a page also ends before 48 KiB
  std::optional<std::int64_t> after;  ///< the cursor (next) of the page before: the events older than it
  bool operator==(const HistoryQuery&) const = default;
};
void to_json(nlohmann::json& json, const HistoryQuery& value);
void from_json(const nlohmann::json& json, HistoryQuery& value);

/// One event of a page.
struct HistoryRecord {
  std::int64_t id = 0;  ///< increasing with each event kept; a page's cursor
  std::string at;  ///< ISO 8601
  std::string kind;  ///< input | output | call | code | message | rule | login | config | service
  std::string source;  ///< the topic it came from
  std::optional<std::string> port;  ///< the input or output it is about
  std::optional<std::string> cause;  ///< who or what: rule:<id>, home-assistant, web, sparkplug, fleet, intercomctl
  std::string summary;  ///< one line for a person
  nlohmann::json detail = nlohmann::json::object();  ///< the fields worth keeping; never a code, a keyed digit or a password
  bool operator==(const HistoryRecord&) const = default;
};
void to_json(nlohmann::json& json, const HistoryRecord& value);
void from_json(const nlohmann::json& json, HistoryRecord& value);

struct HistoryResultError {
  std::string path;  ///< the query's member at fault, as a JSON pointer
  std::string reason;  ///< what that member allows
  bool operator==(const HistoryResultError&) const = default;
};
void to_json(nlohmann::json& json, const HistoryResultError& value);
void from_json(const nlohmann::json& json, HistoryResultError& value);

/// A page of the door's event history, newest first, or why a query was refused (event).
struct HistoryResult {
  static constexpr const TopicSpec& spec = topic::history_result;
  std::optional<std::string> request_id;
  bool ok = false;
  std::vector<HistoryRecord> events;
  std::optional<std::int64_t> next;  ///< the cursor of the next page (its query's after); left out on the last page
  std::optional<HistoryResultError> error;
  std::string at;  ///< ISO 8601
  bool operator==(const HistoryResult&) const = default;
};
void to_json(nlohmann::json& json, const HistoryResult& value);
void from_json(const nlohmann::json& json, HistoryResult& value);

}  // namespace intercom::contract
