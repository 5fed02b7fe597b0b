#pragma once
/// The page's History view: GET /api/history (a page of events, newest first, and the cursor of the
/// next) and GET /api/history.csv (the newest 10,000 events of the same filters at most, oldest
/// first), both asked of the history service over the bus. A filter that does not read is refused
/// (400) naming the parameter and what it allows, before anything goes on the bus.
#include <memory>
#include <vector>

#include <spdlog/logger.h>

#include "history_requests.hpp"
#include "http_types.hpp"
#include "intercom/contract/schema.hpp"

namespace intercom::web {

/// The most events one CSV file holds.
inline constexpr std::size_t kMaxCsvEvents = 10000;

class HistoryRoutes {
 public:
  HistoryRoutes(HistoryRequests& requests, const SchemaSet& schemas);

  void page(const Request& request, const Respond& answer);
  void csv(const Request& request, const Respond& answer);

 private:
  /// A CSV file's events, gathered page after page (each page one bus message).
  struct CsvCollection {
    contract::HistoryQuery query;
    std::vector<contract::HistoryRecord> events;
  };
  /// Asks for the next page and, at the oldest event or kMaxCsvEvents, answers with the file.
  void next_csv_page(std::shared_ptr<CsvCollection> collecting, Respond answer, unsigned version);
  /// The query of the request's URL, or the 400 that refuses it.
  std::variant<contract::HistoryQuery, Response> query_of(const Request& request) const;

  HistoryRequests& requests_;
  const SchemaSet& schemas_;
};

}  // namespace intercom::web
