#include "history_page.hpp"

#include <chrono>

#include "intercom/util/clock.hpp"

namespace intercom::history {

contract::HistoryRecord record_of(const HistoryEvent& event) {
  return {.id = event.id,
          .at = to_iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(event.at_ms))),
          .kind = event.kind,
          .source = event.source,
          .port = event.port,
          .cause = event.cause,
          .summary = event.summary,
          .detail = event.detail};
}

contract::HistoryResult page_result(const std::optional<std::string>& request_id, const HistoryPage& page, const std::string& at,
                                    std::size_t max_bytes) {
  contract::HistoryResult result{.request_id = request_id, .ok = true, .events = {}, .next = page.next, .error = std::nullopt, .at = at};
  std::size_t bytes = 0;
  for (const auto& event : page.events) {
    auto record = record_of(event);
    bytes += nlohmann::json(record).dump().size() + 1;
    if (bytes > max_bytes && !result.events.empty()) {
      result.next = result.events.back().id;
      break;
    }
    result.events.push_back(std::move(record));
  }
  return result;
}

contract::HistoryResult refusal_result(const std::optional<std::string>& request_id, const FilterRefusal& refusal, const std::string& at) {
  return {.request_id = request_id, .ok = false, .events = {}, .next = std::nullopt,
          .error = contract::HistoryResultError{refusal.field, refusal.reason}, .at = at};
}

}  // namespace intercom::history
