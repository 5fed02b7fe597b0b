#pragma once
/// The page's history filters, from the URL of GET /api/history (from, to, kind (again for more),
/// input, output, cause, text, limit, after), as the contract's query. Pure: the service's own
/// schema then checks every value before it goes on the bus.
#include <string>
#include <variant>

#include "intercom/contract/history_payloads.hpp"
#include "url_query.hpp"

namespace intercom::web {

struct ParameterRefusal {
  std::string parameter;
  std::string reason;
};

std::variant<contract::HistoryQuery, ParameterRefusal> history_query_of(const UrlParameters& parameters);

}  // namespace intercom::web
