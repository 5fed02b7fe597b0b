#include "users_routes.hpp"

#include "api_response.hpp"
#include "intercom/contract/users_csv.hpp"
#include "url_query.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;
namespace http = boost::beast::http;

/// How long the page waits for a change; an enrolment waits for its card as well.
constexpr std::chrono::seconds kEnrolSlack{5};

/// The readers and time profiles the page offers, from access's configuration in force.
json choices(const DeviceModel& model) {
  json readers = json::array(), profiles = json::array();
  if (const auto* config = model.config_of("access")) {
    // Kept in locals: a range-for over items() of the temporary value() returns would outlive it.
    const auto configured_readers = config->value("readers", json::object());
    const auto configured_profiles = config->value("time_profiles", json::object());
    for (const auto& [name, reader] : configured_readers.items())
      readers.push_back({{"name", name}, {"door", reader.value("door", "")}, {"label", reader.value("label", "")}});
    for (const auto& [name, intervals] : configured_profiles.items()) profiles.push_back(name);
  }
  return {{"readers", readers}, {"profiles", profiles}};
}

/// The answer for a result that is not done: access's refusal (400, its member) or none (503).
Response not_done(unsigned version, const UsersRequests::Answer& answer) {
  if (const auto* why = std::get_if<std::string>(&answer)) return json_response(version, 503, {{"error", *why}});
  const auto& result = std::get<contract::AccessUsersResult>(answer);
  return json_response(version, 400, {{"error", result.error ? result.error->reason : "refused"}, {"path", result.error ? result.error->path : ""}});
}

bool done(const UsersRequests::Answer& answer) {
  const auto* result = std::get_if<contract::AccessUsersResult>(&answer);
  return result && result->ok;
}

}  // namespace

UsersRoutes::UsersRoutes(UsersRequests& requests, const DeviceModel& model, const SchemaSet& schemas)
    : requests_(requests), model_(model), schemas_(schemas) {}

void UsersRoutes::page(const Request& request, const Respond& answer) {
  const auto version = request.version();
  const auto parameters = url_parameters(view_of(request.target()));
  if (const auto* problem = std::get_if<std::string>(&parameters)) return answer(json_response(version, 400, {{"error", *problem}}));
  contract::AccessUsersCommand list;
  list.action = "list";
  list.limit = 100;
  const auto& read = std::get<UrlParameters>(parameters);
  if (const auto after = read.find("after"); after != read.end() && !after->second.empty()) list.after = after->second.front();
  if (const auto violation = schemas_.validate(std::string(topic::access_users_command.schema), json(list)))
    return answer(json_response(version, 400, {{"error", violation->to_string()}, {"path", violation->pointer}}));
  requests_.ask(list, [this, answer, version](const UsersRequests::Answer& result) {
    if (!done(result)) return answer(not_done(version, result));
    const auto& users = std::get<contract::AccessUsersResult>(result);
    json body = choices(model_);
    body["users"] = users.users.value_or(std::vector<contract::AccessUserShown>{});
    body["total"] = users.total.value_or(0);
    if (users.next) body["next"] = *users.next;
    answer(json_response(version, 200, body));
  });
}

void UsersRoutes::change(const Request& request, const json& form, const Respond& answer) {
  const auto version = request.version();
  auto body = form;
  body.erase("request_id");
  body["cause"] = "web";
  // The users' schema, here: a change it refuses never leaves the page's service.
  if (const auto violation = schemas_.validate(std::string(topic::access_users_command.schema), body))
    return answer(json_response(version, 400, {{"error", violation->to_string()}, {"path", violation->pointer}}));
  auto command = body.get<contract::AccessUsersCommand>();
  if (command.action == "list") return answer(json_response(version, 400, {{"error", "a list is GET /api/users"}, {"path", "/action"}}));
  std::optional<std::chrono::milliseconds> wait;
  if (command.action == "enrol") wait = std::chrono::seconds(command.timeout_s.value_or(60)) + kEnrolSlack;
  requests_.ask(std::move(command), [answer, version](const UsersRequests::Answer& result) {
    if (!done(result)) return answer(not_done(version, result));
    const auto& changed = std::get<contract::AccessUsersResult>(result);
    json reply{{"ok", true}};
    if (changed.users) reply["users"] = *changed.users;
    if (changed.credential_id) reply["credential_id"] = *changed.credential_id;
    if (changed.parts_received) reply["parts_received"] = *changed.parts_received;
    if (changed.imported) reply["imported"] = *changed.imported;
    answer(json_response(version, 200, reply));
  }, wait);
}

void UsersRoutes::csv(const Request& request, const Respond& answer) {
  auto collecting = std::make_shared<CsvCollection>();
  collecting->csv = contract::users_csv_header();
  next_csv_page(std::move(collecting), answer, request.version());
}

void UsersRoutes::next_csv_page(std::shared_ptr<CsvCollection> collecting, Respond answer, unsigned version) {
  contract::AccessUsersCommand list;
  list.action = "list";
  list.limit = 100;
  list.after = collecting->after;
  requests_.ask(list, [this, collecting, answer, version](const UsersRequests::Answer& result) {
    if (!done(result)) return answer(not_done(version, result));
    const auto& page = std::get<contract::AccessUsersResult>(result);
    for (const auto& user : page.users.value_or(std::vector<contract::AccessUserShown>{})) collecting->csv += contract::users_csv_line(user);
    if (page.next) {
      collecting->after = page.next;
      return next_csv_page(collecting, answer, version);
    }
    Response response{http::status::ok, version};
    response.set(http::field::content_type, "text/csv; charset=utf-8");
    response.set(http::field::content_disposition, "attachment; filename=\"door-users.csv\"");
    response.set(http::field::cache_control, "no-store");
    response.body() = std::move(collecting->csv);
    answer(std::move(response));
  });
}

}  // namespace intercom::web
