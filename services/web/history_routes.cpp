#include "history_routes.hpp"

#include <boost/beast/http.hpp>

#include "api_response.hpp"
#include "history_csv.hpp"
#include "history_params.hpp"

namespace intercom::web {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

/// The answer for a result that is not a page: the history's refusal (400, its member) or no
/// answer at all (503).
Response not_a_page(unsigned version, const std::variant<contract::HistoryResult, std::string>& answer) {
  if (const auto* why = std::get_if<std::string>(&answer)) return json_response(version, 503, {{"error", *why}});
  const auto& result = std::get<contract::HistoryResult>(answer);
  const auto path = result.error ? result.error->path : "";
  return json_response(version, 400, {{"error", result.error ? result.error->reason : "refused"}, {"path", path}});
}

bool is_page(const std::variant<contract::HistoryResult, std::string>& answer) {
  const auto* result = std::get_if<contract::HistoryResult>(&answer);
  return result && result->ok;
}

}  // namespace

HistoryRoutes::HistoryRoutes(HistoryRequests& requests, const SchemaSet& schemas) : requests_(requests), schemas_(schemas) {}

std::variant<contract::HistoryQuery, Response> HistoryRoutes::query_of(const Request& request) const {
  const auto version = request.version();
  const auto parameters = url_parameters(view_of(request.target()));
  if (const auto* problem = std::get_if<std::string>(&parameters)) return json_response(version, 400, {{"error", *problem}});
  auto query = history_query_of(std::get<UrlParameters>(parameters));
  if (const auto* refusal = std::get_if<ParameterRefusal>(&query))
    return json_response(version, 400, {{"error", refusal->parameter + ": " + refusal->reason}, {"path", "/" + refusal->parameter}});
  // The history's schema, here: a query it refuses never leaves the page's service.
  if (const auto violation = schemas_.validate(std::string(topic::history_query.schema), json(std::get<contract::HistoryQuery>(query))))
    return json_response(version, 400, {{"error", violation->to_string()}, {"path", violation->pointer}});
  return std::get<contract::HistoryQuery>(query);
}

void HistoryRoutes::page(const Request& request, const Respond& answer) {
  auto query = query_of(request);
  if (auto* refused = std::get_if<Response>(&query)) return answer(std::move(*refused));
  requests_.ask(std::get<contract::HistoryQuery>(query), [answer, version = request.version()](const auto& result) {
    if (!is_page(result)) return answer(not_a_page(version, result));
    const auto& page = std::get<contract::HistoryResult>(result);
    json body{{"events", page.events}};
    if (page.next) body["next"] = *page.next;
    answer(json_response(version, 200, body));
  });
}

void HistoryRoutes::csv(const Request& request, const Respond& answer) {
  auto query = query_of(request);
  if (auto* refused = std::get_if<Response>(&query)) return answer(std::move(*refused));
  auto collecting = std::make_shared<CsvCollection>();
  collecting->query = std::get<contract::HistoryQuery>(query);
  next_csv_page(std::move(collecting), answer, request.version());
}

void HistoryRoutes::next_csv_page(std::shared_ptr<CsvCollection> collecting, Respond answer, unsigned version) {
  collecting->query.limit = static_cast<std::int64_t>(std::min<std::size_t>(1000, kMaxCsvEvents - collecting->events.size()));
  requests_.ask(collecting->query, [this, collecting, answer, version](const auto& result) {
    if (!is_page(result)) return answer(not_a_page(version, result));
    const auto& page = std::get<contract::HistoryResult>(result);
    collecting->events.insert(collecting->events.end(), page.events.begin(), page.events.end());
    if (page.next && collecting->events.size() < kMaxCsvEvents) {
      collecting->query.after = page.next;
      return next_csv_page(collecting, answer, version);
    }
    Response response{http::status::ok, version};
    response.set(http::field::content_type, "text/csv; charset=utf-8");
    response.set(http::field::content_disposition, "attachment; filename=\"door-history.csv\"");
    response.set(http::field::cache_control, "no-store");
    // Whether older events matched that the file does not hold.
    response.set("X-History-More", page.next ? "true" : "false");
    response.body() = history_csv(collecting->events);
    answer(std::move(response));
  });
}

}  // namespace intercom::web
