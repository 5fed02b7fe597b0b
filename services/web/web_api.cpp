#include "web_api.hpp"

#include <boost/beast/http.hpp>

#include "api_response.hpp"
#include "intercom/util/clock.hpp"
#include "lan_addresses.hpp"
#include "random_token.hpp"

namespace intercom::web {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

constexpr std::string_view kSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace

WebApi::WebApi(boost::asio::io_context& io, Bus& bus, const SchemaSet& schemas, WebConfig settings,
               std::shared_ptr<spdlog::logger> log)
    : settings_file_(std::move(settings)),
      log_(std::move(log)),
      files_(settings_file_.static_dir),
      lan_(settings_file_.lan_file, settings_file_.lan_secrets_dir, schemas),
      access_(io, bus, settings_file_, identity_, log_, [this](const auto& which) { live_.close(which); }),
      config_(io, bus, settings_file_.config_wait),
      live_(bus, model_, [this](const std::string& session) { return access_.alive(session); },
            [this](const contract::ConfigResult& result) { config_.answer(result); }),
      saves_(io, model_, config_),
      settings_(bus, schemas, model_, saves_, lan_, identity_, log_),
      documents_(bus, model_, config_, saves_, log_),
      history_requests_(io, bus, std::chrono::seconds(5), "history"),
      history_(history_requests_, schemas),
      users_requests_(io, bus, std::chrono::seconds(5), "access"),
      users_(users_requests_, model_, schemas) {
  config_.on_late_change([this](const std::string& request_id) {
    log_->error("the change {} was put in force after the page had said it was not saved (its service ignored the request's deadline)",
                request_id);
    live_.push(model_.add_event("errors", {{"service", "web"}, {"kind", "late-change"}, {"topic", ""}, {"at", now_iso8601()},
                                           {"reason", "a change the page reported as not saved was put in force later: reload the settings"}}));
  });
}

void WebApi::announce(const std::string& address, unsigned short port) {
  const bool everywhere = address == "0.0.0.0" || address == "::";
  const auto url = page_url(identity_.tls, everywhere ? "127.0.0.1" : address, port);
  if (everywhere) {
    // What an installer with a phone types: every address the device has on its networks now.
    std::string urls;
    for (const auto& lan : lan_addresses()) urls += (urls.empty() ? "" : ", ") + page_url(identity_.tls, lan, port);
    log_->info("the page is at {} (every address of this device{}{})", url, urls.empty() ? "" : ": ", urls);
  } else {
    log_->info("the page is at {}", url);
  }
  if (identity_.certificate_fingerprint)
    log_->info("its certificate's SHA-256 fingerprint (a browser shows it before you accept the certificate): {}", *identity_.certificate_fingerprint);
  if (!access_.setup_token().empty()) {
    // Printed once, to whoever reads this service's log on the device: the proof of being the
    // installer on the first start. It is good until a password is set and changes at each start.
    log_->warn("no password is set for the page: open {} and enter the setup token {} with a new password "
               "(it is also in {}: intercomctl setup-token prints it), or set one here with intercomctl passwd",
               url, access_.setup_token(), access_.setup_token_file().string());
  }
}

void WebApi::handle(const Request& request, const std::string& client, Respond respond) {
  // Every answer carries the page's security headers.
  auto answer = [respond = std::move(respond)](Response response) {
    response.set("Content-Security-Policy", std::string(kSecurityPolicy));
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
    response.prepare_payload();
    respond(std::move(response));
  };
  try {
    route(request, client, answer);
  } catch (const std::exception& error) {
    // A last guard: what a client sends is checked before it is used, so this is a bug, answered
    // and logged rather than taking the service down.
    log_->error("bug: {} {} failed: {}", std::string(request.method_string()), std::string(request.target()), error.what());
    answer(json_response(request.version(), 500, {{"error", "the request could not be handled (see the web service's log)"}}));
  }
}

void WebApi::route(const Request& request, const std::string& client, const Respond& answer) {
  const auto version = request.version();
  if (stopped_) return answer(json_response(version, 503, {{"error", "the web service is stopping"}}));
  const auto path = path_of(view_of(request.target()));
  const auto method = request.method();

  if (path.rfind("/api/", 0) != 0) {
    if (method != http::verb::get && method != http::verb::head)
      return answer(json_response(version, 405, {{"error", "only GET here"}}));
    const auto* file = files_.find(path);
    if (!file) {
      Response missing{http::status::not_found, version};
      missing.set(http::field::content_type, "text/plain; charset=utf-8");
      missing.body() = "not found\n";
      return answer(std::move(missing));
    }
    Response response{http::status::ok, version};
    response.set(http::field::content_type, file->content_type);
    response.set(http::field::cache_control, "no-cache");
    if (method != http::verb::head) response.body() = file->body;
    return answer(std::move(response));
  }

  const auto segments = segments_of(path);  // "api", ...
  const auto resource = segments.size() > 1 ? segments[1] : std::string();

  if (method == http::verb::get) {
    if (resource == "session" && segments.size() == 2) return access_.session_info(request, answer);
    if (!access_.session_of(request)) return answer(json_response(version, 401, {{"error", "log in first"}}));
    if (resource == "settings" && segments.size() == 2) return settings_.settings(request, answer);
    if (resource == "state" && segments.size() == 2) return answer(json_response(version, 200, model_.snapshot()));
    if (resource == "rules" && segments.size() == 2) return documents_.download_rules(request, answer);
    if (resource == "backup" && segments.size() == 2) return documents_.download_backup(request, answer);
    if (resource == "lan" && segments.size() == 2) return settings_.lan(request, answer);
    if (resource == "history" && segments.size() == 2) return history_.page(request, answer);
    if (resource == "history.csv" && segments.size() == 2) return history_.csv(request, answer);
    if (resource == "users" && segments.size() == 2) return users_.page(request, answer);
    if (resource == "users.csv" && segments.size() == 2) return users_.csv(request, answer);
    return answer(json_response(version, 404, {{"error", "no such resource"}}));
  }
  if (method != http::verb::post) return answer(json_response(version, 405, {{"error", "GET or POST only"}}));

  // Whatever changes something must come from the page itself: another site's page can make the
  // installer's browser send a request here, but not with this site's Origin.
  if (!access_.from_the_page(request))
    return answer(json_response(version, 403, {{"error", "the request does not come from this page (Origin missing or another site's)"}}));
  const bool form_body = request[http::field::content_type].find("application/json") == std::string_view::npos;
  if (form_body && !(resource == "rules" && segments.size() == 2))
    return answer(json_response(version, 415, {{"error", "send JSON (Content-Type: application/json)"}}));

  if (resource == "setup" || resource == "login") {
    auto body = object_body(request.body());
    if (auto* problem = std::get_if<std::string>(&body)) return answer(json_response(version, 400, {{"error", *problem}}));
    if (resource == "setup") return access_.setup(request, client, std::get<json>(body), answer);
    return access_.login(request, client, std::get<json>(body), answer);
  }

  const auto* session = access_.session_of(request);
  if (!session) return answer(json_response(version, 401, {{"error", "log in first"}}));
  const auto token = request.find("X-CSRF-Token");
  if (token == request.end() || !tokens_equal(std::string(token->value()), session->csrf))
    return answer(json_response(version, 403, {{"error", "the CSRF token is missing or wrong: reload the page"}}));

  if (resource == "rules" && segments.size() == 2)
    return saves_.one_at_a_time(answer, [this, request](Respond done) { documents_.upload_rules(request, request.body(), std::move(done)); });
  auto body = object_body(request.body().empty() ? std::string("{}") : request.body());
  if (auto* problem = std::get_if<std::string>(&body)) return answer(json_response(version, 400, {{"error", *problem}}));
  const auto& form = std::get<json>(body);

  if (resource == "logout" && segments.size() == 2) return access_.logout(request, *session, answer);
  if (resource == "password" && segments.size() == 2) return access_.change_password(request, form, answer);
  if (resource == "messages" && segments.size() == 2)
    return saves_.one_at_a_time(answer, [this, request, form](Respond done) { settings_.save_messages(request, form, std::move(done)); });
  if (resource == "line" && segments.size() == 2)
    return saves_.one_at_a_time(answer, [this, request, form](Respond done) { settings_.save_line(request, form, std::move(done)); });
  if ((resource == "inputs" || resource == "outputs") && segments.size() == 3)
    return saves_.one_at_a_time(answer, [this, request, form, resource, name = segments[2]](Respond done) {
      settings_.save_port(request, resource, name, form, std::move(done));
    });
  if (resource == "access" && segments.size() == 4 && segments[2] == "doors")
    return saves_.one_at_a_time(answer, [this, request, form, lock = segments[3]](Respond done) {
      settings_.save_door(request, lock, form, std::move(done));
    });
  if (resource == "access" && segments.size() == 3 && segments[2] == "schedule")
    return saves_.one_at_a_time(answer, [this, request, form](Respond done) { settings_.save_schedule(request, form, std::move(done)); });
  if (resource == "outputs" && segments.size() == 4 && segments[3] == "pulse") return settings_.pulse(request, segments[2], answer);
  if (resource == "backup" && segments.size() == 2)
    return saves_.one_at_a_time(answer, [this, request, form](Respond done) { documents_.restore_backup(request, form, std::move(done)); });
  if (resource == "lan" && segments.size() == 2) return settings_.save_lan(request, form, answer);
  if (resource == "users" && segments.size() == 2) return users_.change(request, form, answer);
  return answer(json_response(version, 404, {{"error", "no such resource"}}));
}

std::optional<Response> WebApi::check_upgrade(const Request& request, const std::string&, std::string& session_id) {
  const auto version = request.version();
  const auto refuse = [&](unsigned status, const char* why) {
    auto response = json_response(version, status, {{"error", why}});
    response.prepare_payload();
    return std::optional<Response>(std::move(response));
  };
  if (path_of(view_of(request.target())) != "/api/live") return refuse(404, "no such resource");
  // A WebSocket is not bound by the same-origin policy: the Origin check is all that keeps
  // another site's page from reading the live feed with the installer's cookie.
  if (!access_.from_the_page(request)) return refuse(403, "the request does not come from this page (Origin missing or another site's)");
  const auto* session = access_.session_of(request);
  if (!session) return refuse(401, "log in first");
  session_id = session->id;
  return std::nullopt;
}

void WebApi::live_opened(std::shared_ptr<LiveSocket> socket) {
  if (stopped_) return socket->close();
  live_.opened(std::move(socket));
}

void WebApi::stop() {
  stopped_ = true;
  saves_.stop();
  config_.stop();
  history_requests_.stop();
  users_requests_.stop();
  access_.stop();
  live_.close([](const LiveSocket&) { return true; });
}

}  // namespace intercom::web
