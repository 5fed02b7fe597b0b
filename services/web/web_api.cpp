#include "web_api.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/http.hpp>

#include "intercom/util/clock.hpp"
#include "intercom/config/config.hpp"
#include "intercom/bus/inbound.hpp"
#include "intercom/contract/service_names.hpp"
#include "intercom/util/strict_json.hpp"
#include "lan_addresses.hpp"
#include "origin_check.hpp"
#include "random_token.hpp"

namespace intercom::web {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

constexpr std::string_view kCookie = "intercom_session";
constexpr std::string_view kSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string_view view_of(boost::beast::string_view text) { return {text.data(), text.size()}; }

/// The path of a target, without its query.
std::string_view path_of(std::string_view target) {
  const auto query = target.find('?');
  return query == std::string_view::npos ? target : target.substr(0, query);
}

/// The value of the named cookie in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    auto pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
      return std::string(pair.substr(name.size() + 1));
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return "";
}

/// "/api/outputs/out1/pulse" split at its slashes.
std::vector<std::string> segments_of(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    segments.emplace_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return segments;
}

/// The body as a JSON object, strictly (a repeated name is refused), or why not.
std::variant<json, std::string> object_body(const std::string& body) {
  if (body.size() > kMaxPayloadBytes) return std::string("the request is larger than 64 KiB");
  if (nesting_depth(body) > kMaxNestingDepth) return std::string("the request nests deeper than " + std::to_string(kMaxNestingDepth) + " levels");
  auto parsed = parse_strict_json(body);
  if (auto* problem = std::get_if<JsonError>(&parsed)) return problem->to_string();
  auto& document = std::get<json>(parsed);
  if (!document.is_object()) return std::string("the request body is a JSON object");
  return std::move(document);
}

std::string seconds_until(std::chrono::steady_clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(until - std::chrono::steady_clock::now()).count();
  return std::to_string(std::max<long long>(1, left));
}

std::string wall_time(std::chrono::steady_clock::time_point until) {
  return to_iso8601(std::chrono::system_clock::now() +
                    std::chrono::duration_cast<std::chrono::system_clock::duration>(until - std::chrono::steady_clock::now()));
}

/// Where an error of the sms and telephony documents points on the page.
std::string messages_field(const std::string& pointer) {
  if (pointer.rfind("/trust/sip", 0) == 0) return "trust_sip";
  if (pointer.rfind("/trust/gsm", 0) == 0) return "trust_gsm";
  if (pointer.rfind("/aliases/alarm-server", 0) == 0) return "alarm_server";
  return "";
}

std::string line_field(const std::string& pointer) {
  if (pointer.rfind("/auto_answer/allow", 0) == 0) return "auto_answer.allow";
  if (pointer.rfind("/auto_answer/enabled", 0) == 0) return "auto_answer.enabled";
  for (const char* key : {"registrar", "user", "domain", "password"})
    if (pointer.rfind(std::string("/account/") + key, 0) == 0) return std::string("account.") + key;
  if (pointer.rfind("/account", 0) == 0) return "account";
  return "";
}

/// A list of strings from the form, or why not.
std::optional<json> string_list(const json& form, const char* key) {
  const auto found = form.find(key);
  if (found == form.end()) return std::nullopt;
  json list = json::array();
  if (!found->is_array()) return json();
  for (const auto& item : *found) {
    if (!item.is_string()) return json();
    std::string text = item.get<std::string>();
    if (!text.empty()) list.push_back(text);
  }
  return list;
}

/// Whether a JSON merge patch would change the document.
bool changes_anything(const json& document, const json& patch) {
  auto patched = document;
  patched.merge_patch(patch);
  return patched != document;
}

/// The ids of the enabled rules (of the rules configuration state) that send to an alias, as a
/// list for a sentence ("alarm-report-in1, alarm-report-in2"); "" when none does.
std::string alias_users(const json* rules_state, const std::string& alias) {
  std::string users;
  if (!rules_state) return users;
  for (const auto& rule : rules_state->at("config").value("rules", json::array())) {
    if (!rule.value("enabled", true)) continue;
    for (const auto& action : rule.value("actions", json::array()))
      if (action.contains("send_message") && action["send_message"].value("to", "") == alias) {
        users += (users.empty() ? "" : ", ") + rule.value("id", "");
        break;
      }
  }
  return users;
}

}  // namespace

WebApi::WebApi(boost::asio::io_context& io, Bus& bus, const SchemaSet& schemas, WebSettings settings,
               std::shared_ptr<spdlog::logger> log)
    : io_(io),
      bus_(bus),
      schemas_(schemas),
      settings_(std::move(settings)),
      log_(std::move(log)),
      files_(settings_.static_dir),
      lan_(settings_.lan_file, settings_.lan_secrets_dir, schemas_),
      credentials_(settings_.credentials_file),
      setup_token_file_(settings_.setup_token_file),
      sessions_(settings_.session_idle, settings_.max_sessions, [] { return random_token(); }),
      throttle_(settings_.login),
      hashes_(io, settings_.hash_cost),
      config_(io, bus, settings_.config_wait) {
  if (!credentials_.read()) {
    setup_token_ = random_token(12);
    try {
      setup_token_file_.write(setup_token_);
    } catch (const std::exception& error) {
      log_->warn("the setup token is in this log only: {}", error.what());
    }
  } else {
    setup_token_file_.remove();
  }
  config_.on_late_change([this](const std::string& request_id) {
    log_->error("the change {} was put in force after the page had said it was not saved (its service ignored the request's deadline)",
                request_id);
    push(model_.add_event("errors", {{"service", "web"}, {"kind", "late-change"}, {"topic", ""}, {"at", now_iso8601()},
                                     {"reason", "a change the page reported as not saved was put in force later: reload the settings"}}));
  });
  subscribe();
}

void WebApi::announce(const std::string& address, unsigned short port) {
  const bool everywhere = address == "0.0.0.0" || address == "::";
  const auto url = page_url(tls_, everywhere ? "127.0.0.1" : address, port);
  if (everywhere) {
    // What an installer with a phone types: every address the device has on its networks now.
    std::string urls;
    for (const auto& lan : lan_addresses()) urls += (urls.empty() ? "" : ", ") + page_url(tls_, lan, port);
    log_->info("the page is at {} (every address of this device{}{})", url, urls.empty() ? "" : ": ", urls);
  } else {
    log_->info("the page is at {}", url);
  }
  if (certificate_fingerprint_)
    log_->info("its certificate's SHA-256 fingerprint (a browser shows it before you accept the certificate): {}", *certificate_fingerprint_);
  if (!setup_token_.empty()) {
    // Printed once, to whoever reads this service's log on the device: the proof of being the
    // installer on the first start. It is good until a password is set and changes at each start.
    log_->warn("no password is set for the page: open {} and enter the setup token {} with a new password "
               "(it is also in {}: intercomctl setup-token prints it), or set one here with intercomctl passwd",
               url, setup_token_, setup_token_file_.file().string());
  }
}

// --- the bus ------------------------------------------------------------------------------------

void WebApi::subscribe() {
  const auto& topics = bus_.topics();
  const auto named = [this, &topics](const TopicSpec& spec, const char* section) {
    bus_.subscribe(spec, {.service = "+", .name = "+"}, [this, spec, section, &topics](const BusMessage& message) -> HandlerResult {
      push(model_.put_state(section, topics.name_in(spec, message.topic).value_or(""), message.payload));
      return std::nullopt;
    });
  };
  named(topic::input_state, "inputs");
  named(topic::output_state, "outputs");
  named(topic::service_status, "services");
  named(topic::config_state, "configs");
  const auto single = [this](const TopicSpec& spec, const char* section) {
    bus_.subscribe(spec, {}, [this, section](const BusMessage& message) -> HandlerResult {
      push(model_.put_state(section, "", message.payload));
      return std::nullopt;
    });
  };
  single(topic::call_state, "call");
  single(topic::telephony_registration, "registration");
  single(topic::telephony_audio, "audio");
  single(topic::sms_modem, "modem");
  const auto event = [this](const TopicSpec& spec, const char* section) {
    bus_.subscribe(spec, {}, [this, section](const BusMessage& message) -> HandlerResult {
      push(model_.add_event(section, message.payload));
      return std::nullopt;
    });
  };
  event(topic::rules_fired, "fired");
  event(topic::rules_code, "codes");
  event(topic::message_received, "alerts");
  // What became of the texts sent (an alarm report that could not be delivered must show), and
  // what any service refused.
  event(topic::message_result, "deliveries");
  bus_.subscribe(topic::service_error, {.service = "+"}, [this, &topics](const BusMessage& message) -> HandlerResult {
    auto error = message.payload;
    error["service"] = topics.name_in(topic::service_error, message.topic).value_or("");
    push(model_.add_event("errors", error));
    return std::nullopt;
  });
  bus_.subscribe(topic::config_result, {.service = "+"}, [this, &topics](const BusMessage& message) -> HandlerResult {
    auto result = message.payload;
    result["service"] = topics.name_in(topic::config_result, message.topic).value_or("");
    push(model_.add_event("config_results", result));
    config_.answer(message.payload);
    return std::nullopt;
  });
}

void WebApi::push(const json& event) {
  if (live_.empty()) return;
  const auto text = event.dump();
  const auto now = Clock::now();
  std::erase_if(live_, [&](const std::weak_ptr<LiveSocket>& weak) {
    auto socket = weak.lock();
    if (!socket) return true;
    if (!sessions_.alive(socket->session(), now)) {
      socket->close();  // logged out or idle: the feed stops with the session
      return true;
    }
    socket->send(text);
    return false;
  });
}

void WebApi::publish_login(const std::string& result, const std::string& client, int failures,
                           std::optional<Clock::time_point> blocked_until) {
  json event{{"result", result}, {"client", client.substr(0, 100)}, {"failures", failures}, {"at", now_iso8601()}};
  if (blocked_until) event["blocked_until"] = wall_time(*blocked_until);
  bus_.publish(topic::web_login, {}, event);
  log_->warn("login {} from {} ({} failed in a row)", result, client, failures);
}

// --- HTTP ---------------------------------------------------------------------------------------

Response WebApi::json_response(unsigned version, unsigned status, const json& body) const {
  Response response{static_cast<http::status>(status), version};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.body() = body.dump();
  return response;
}

Response WebApi::with_session_cookie(Response response, const SessionStore::Session& session) const {
  std::string cookie = std::string(kCookie) + "=" + session.id + "; Path=/; HttpOnly; SameSite=Strict";
  if (tls_) cookie += "; Secure";
  response.set(http::field::set_cookie, cookie);
  return response;
}

const SessionStore::Session* WebApi::session_of(const Request& request) {
  const auto header = request.find(http::field::cookie);
  if (header == request.end()) return nullptr;
  return sessions_.find(cookie_value(view_of(header->value()), kCookie), Clock::now());
}

bool WebApi::from_the_page(const Request& request) const {
  const auto origin = request.find(http::field::origin);
  const auto host = request.find(http::field::host);
  if (origin == request.end() || host == request.end()) return false;
  return same_origin(view_of(origin->value()), view_of(host->value()), tls_);
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
    if (resource == "session" && segments.size() == 2) return session_info(request, answer);
    if (!session_of(request)) return answer(json_response(version, 401, {{"error", "log in first"}}));
    if (resource == "settings" && segments.size() == 2) return settings(request, answer);
    if (resource == "state" && segments.size() == 2) return answer(json_response(version, 200, model_.snapshot()));
    if (resource == "rules" && segments.size() == 2) return download_rules(request, answer);
    if (resource == "backup" && segments.size() == 2) return download_backup(request, answer);
    if (resource == "lan" && segments.size() == 2) {
      auto view = lan_.view();
      if (certificate_fingerprint_) view["certificate_fingerprint"] = *certificate_fingerprint_;
      return answer(json_response(version, 200, view));
    }
    return answer(json_response(version, 404, {{"error", "no such resource"}}));
  }
  if (method != http::verb::post) return answer(json_response(version, 405, {{"error", "GET or POST only"}}));

  // Whatever changes something must come from the page itself: another site's page can make the
  // installer's browser send a request here, but not with this site's Origin.
  if (!from_the_page(request))
    return answer(json_response(version, 403, {{"error", "the request does not come from this page (Origin missing or another site's)"}}));
  const bool form_body = request[http::field::content_type].find("application/json") == std::string_view::npos;
  if (form_body && !(resource == "rules" && segments.size() == 2))
    return answer(json_response(version, 415, {{"error", "send JSON (Content-Type: application/json)"}}));

  if (resource == "setup" || resource == "login") {
    auto body = object_body(request.body());
    if (auto* problem = std::get_if<std::string>(&body)) return answer(json_response(version, 400, {{"error", *problem}}));
    if (resource == "setup") return setup(request, client, std::get<json>(body), answer);
    return login(request, client, std::get<json>(body), answer);
  }

  const auto* session = session_of(request);
  if (!session) return answer(json_response(version, 401, {{"error", "log in first"}}));
  const auto token = request.find("X-CSRF-Token");
  if (token == request.end() || !tokens_equal(std::string(token->value()), session->csrf))
    return answer(json_response(version, 403, {{"error", "the CSRF token is missing or wrong: reload the page"}}));

  if (resource == "rules" && segments.size() == 2)
    return one_at_a_time(answer, [this, request](Respond done) { upload_rules(request, request.body(), std::move(done)); });
  auto body = object_body(request.body().empty() ? std::string("{}") : request.body());
  if (auto* problem = std::get_if<std::string>(&body)) return answer(json_response(version, 400, {{"error", *problem}}));
  const auto& form = std::get<json>(body);

  if (resource == "logout" && segments.size() == 2) return logout(request, *session, answer);
  if (resource == "password" && segments.size() == 2) return change_password(request, form, answer);
  if (resource == "messages" && segments.size() == 2)
    return one_at_a_time(answer, [this, request, form](Respond done) { save_messages(request, form, std::move(done)); });
  if (resource == "line" && segments.size() == 2)
    return one_at_a_time(answer, [this, request, form](Respond done) { save_line(request, form, std::move(done)); });
  if ((resource == "inputs" || resource == "outputs") && segments.size() == 3)
    return one_at_a_time(answer, [this, request, form, resource, name = segments[2]](Respond done) {
      save_port(request, resource, name, form, std::move(done));
    });
  if (resource == "outputs" && segments.size() == 4 && segments[3] == "pulse") return pulse(request, segments[2], answer);
  if (resource == "backup" && segments.size() == 2)
    return one_at_a_time(answer, [this, request, form](Respond done) { restore_backup(request, form, std::move(done)); });
  if (resource == "lan" && segments.size() == 2) return save_lan(request, form, answer);
  return answer(json_response(version, 404, {{"error", "no such resource"}}));
}

void WebApi::save_lan(const Request& request, const json& form, Respond respond) {
  std::variant<json, LanForm::FieldErrors> result = LanForm::FieldErrors{};
  try {
    result = lan_.save(form);
  } catch (const std::exception& error) {
    log_->error("the LAN settings could not be written: {}", error.what());
    return respond(json_response(request.version(), 500, {{"error", std::string("not saved: ") + error.what()}}));
  }
  if (auto* errors = std::get_if<LanForm::FieldErrors>(&result)) {
    // The page shows the first next to its field; all of them are in "errors".
    const auto& [field, reason] = *errors->begin();
    return respond(json_response(request.version(), 400, {{"error", reason}, {"field", field}, {"errors", *errors}}));
  }
  log_->info("the LAN settings were changed from the page: {}", std::get<json>(result).dump());
  auto view = std::get<json>(result);
  view["message"] = "saved: the device's broker restarts with it, and every service reconnects within seconds";
  respond(json_response(request.version(), 200, view));
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
  if (!from_the_page(request)) return refuse(403, "the request does not come from this page (Origin missing or another site's)");
  const auto* session = session_of(request);
  if (!session) return refuse(401, "log in first");
  session_id = session->id;
  return std::nullopt;
}

void WebApi::live_opened(std::shared_ptr<LiveSocket> socket) {
  if (stopped_) return socket->close();
  socket->send(model_.snapshot().dump());
  live_.push_back(socket);
}

void WebApi::stop() {
  stopped_ = true;
  saves_.clear();
  config_.stop();
  hashes_.stop();
  close_live([](const LiveSocket&) { return true; });
}

void WebApi::close_live(const std::function<bool(const LiveSocket&)>& which) {
  std::erase_if(live_, [&](const std::weak_ptr<LiveSocket>& weak) {
    const auto socket = weak.lock();
    if (socket && which(*socket)) socket->close();
    return !socket || which(*socket);
  });
}

// --- logging in -----------------------------------------------------------------------------------

bool WebApi::setup_required() {
  // A password set meanwhile with intercom-web-passwd ends the setup: the token is good no more.
  if (!setup_token_.empty() && credentials_.read()) {
    setup_token_.clear();
    setup_token_file_.remove();
    log_->info("a password was set on the device: the setup token is void");
  }
  return !setup_token_.empty();
}

void WebApi::session_info(const Request& request, Respond respond) {
  const auto* session = session_of(request);
  json info{{"setup_required", setup_required()}, {"authenticated", session != nullptr}, {"device", bus_.topics().device()}};
  // Public: what the installer compares with the browser's certificate view before typing a password.
  if (certificate_fingerprint_) info["certificate_fingerprint"] = *certificate_fingerprint_;
  if (session) info["csrf"] = session->csrf;
  respond(json_response(request.version(), 200, info));
}

std::optional<Response> WebApi::blocked(const Request& request, const std::string& client) {
  const auto until = throttle_.blocked_until(client, Clock::now());
  if (!until) return std::nullopt;
  publish_login("refused-while-blocked", client, settings_.login.max_failures, until);
  auto response = json_response(request.version(), 429,
                                {{"error", "too many failed logins: try again in " + seconds_until(*until) + " s"},
                                 {"blocked_until", wall_time(*until)}});
  response.set(http::field::retry_after, seconds_until(*until));
  return response;
}

void WebApi::start_session(unsigned version, const std::string& client, Respond respond) {
  const auto session = sessions_.create(Clock::now());
  log_->info("logged in from {}", client);
  respond(with_session_cookie(json_response(version, 200, {{"ok", true}, {"csrf", session.csrf}}), session));
}

void WebApi::setup(const Request& request, const std::string& client, const json& body, Respond respond) {
  const auto version = request.version();
  if (!setup_required()) return respond(json_response(version, 409, {{"error", "a password is set already: log in"}}));
  if (auto refusal = blocked(request, client)) return respond(std::move(*refusal));
  if (checking_.count(client)) return respond(json_response(version, 429, {{"error", "a login from here is being checked"}}));
  const auto token = body.value("token", json()).is_string() ? body["token"].get<std::string>() : std::string();
  if (!tokens_equal(token, setup_token_)) {
    const auto failure = throttle_.failed(client, Clock::now());
    publish_login(failure.blocked_until ? "blocked" : "setup-token-wrong", client, failure.failures, failure.blocked_until);
    return respond(json_response(version, 401, {{"error", "wrong setup token: it is in the web service's log"}, {"field", "token"}}));
  }
  const auto password = body.value("password", json()).is_string() ? body["password"].get<std::string>() : std::string();
  if (auto problem = password_problem(password))
    return respond(json_response(version, 400, {{"error", *problem}, {"field", "password"}}));
  checking_.insert(client);
  hashes_.hash(password, [this, version, client, respond = std::move(respond)](std::optional<std::string> hashed) {
    checking_.erase(client);
    if (!hashed) return respond(json_response(version, 503, {{"error", "the device cannot spare the memory to hash a password now"}}));
    if (!setup_required()) return respond(json_response(version, 409, {{"error", "a password is set already: log in"}}));
    try {
      credentials_.write(*hashed);
    } catch (const std::exception& error) {
      log_->error("cannot store the page's password: {}", error.what());
      return respond(json_response(version, 500, {{"error", "the password cannot be stored (see the web service's log)"}}));
    }
    setup_token_.clear();
    setup_token_file_.remove();
    throttle_.succeeded(client);
    log_->info("the page's password was set from {}", client);
    start_session(version, client, respond);
  });
}

void WebApi::login(const Request& request, const std::string& client, const json& body, Respond respond) {
  const auto version = request.version();
  const auto stored = credentials_.read();
  if (!stored) return respond(json_response(version, 409, {{"error", "no password is set yet: use the setup token from the log"}}));
  if (auto refusal = blocked(request, client)) return respond(std::move(*refusal));
  if (checking_.count(client)) return respond(json_response(version, 429, {{"error", "a login from here is being checked"}}));
  const auto password = body.value("password", json()).is_string() ? body["password"].get<std::string>() : std::string();
  if (password.size() > 1024) return respond(json_response(version, 400, {{"error", "a password may have at most 1024 characters"}}));
  checking_.insert(client);
  hashes_.verify(*stored, password, [this, version, client, stored = *stored, password, respond = std::move(respond)](bool matches) {
    checking_.erase(client);
    if (!matches) {
      const auto failure = throttle_.failed(client, Clock::now());
      publish_login(failure.blocked_until ? "blocked" : "failed", client, failure.failures, failure.blocked_until);
      const int tries_left = std::max(0, settings_.login.max_failures - failure.failures);
      json body{{"error", "wrong password: " + std::to_string(tries_left) + (tries_left == 1 ? " try" : " tries") +
                              " left before logins from here are blocked for " + std::to_string(settings_.login.block.count()) + " s"},
                {"field", "password"}, {"failures", failure.failures}, {"tries_left", tries_left}};
      if (failure.blocked_until) body["error"] = "wrong password: too many failures, try again in " + seconds_until(*failure.blocked_until) + " s";
      return respond(json_response(version, 401, body));
    }
    throttle_.succeeded(client);
    if (needs_rehash(stored, hashes_.cost())) {
      hashes_.hash(password, [this](std::optional<std::string> renewed) {
        if (renewed) credentials_.write(*renewed);
      });
    }
    start_session(version, client, respond);
  });
}

void WebApi::logout(const Request& request, const SessionStore::Session& session, Respond respond) {
  const auto id = session.id;
  sessions_.remove(id);
  close_live([&](const LiveSocket& socket) { return socket.session() == id; });
  auto response = json_response(request.version(), 200, {{"ok", true}});
  response.set(http::field::set_cookie, std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  respond(std::move(response));
}

void WebApi::change_password(const Request& request, const json& body, Respond respond) {
  const auto version = request.version();
  const auto current = body.value("current", json()).is_string() ? body["current"].get<std::string>() : std::string();
  const auto replacement = body.value("password", json()).is_string() ? body["password"].get<std::string>() : std::string();
  if (auto problem = password_problem(replacement)) return respond(json_response(version, 400, {{"error", *problem}, {"field", "password"}}));
  const auto stored = credentials_.read();
  if (!stored) return respond(json_response(version, 409, {{"error", "no password is set"}}));
  hashes_.verify(*stored, current, [this, version, replacement, respond = std::move(respond)](bool matches) {
    if (!matches) return respond(json_response(version, 401, {{"error", "the current password is wrong"}, {"field", "current"}}));
    hashes_.hash(replacement, [this, version, respond](std::optional<std::string> hashed) {
      if (!hashed) return respond(json_response(version, 503, {{"error", "the device cannot spare the memory to hash a password now"}}));
      credentials_.write(*hashed);
      // Whoever knew the old password is logged out everywhere, this browser included.
      sessions_.clear();
      close_live([](const LiveSocket&) { return true; });
      log_->info("the page's password was changed; every session ended");
      respond(json_response(version, 200, {{"ok", true}, {"logged_out", true}}));
    });
  });
}

// --- settings -------------------------------------------------------------------------------------

void WebApi::settings(const Request& request, Respond respond) {
  const auto version = request.version();
  const auto* gpio = model_.config_state("gpio");
  const auto* rules = model_.config_state("rules");
  if (!gpio || !rules) {
    return respond(json_response(version, 503, {{"error", std::string("the configuration of ") + (gpio ? "rules" : "gpio") +
                                                               " is not known yet: is that service running?"}}));
  }
  auto view = linkage_view(gpio->at("config"), rules->at("config"));
  view["messages"] = nullptr;
  if (const auto* sms = model_.config_state("sms")) {
    const auto& config = sms->at("config");
    const auto trust = config.value("trust", json::object());
    const auto aliases = config.value("aliases", json::object());
    view["messages"] = {{"trust_sip", trust.value("sip", json::array())},
                        {"trust_gsm", trust.value("gsm", json::array())},
                        {"alarm_server", aliases.value("alarm-server", json::array())},
                        {"aliases", json::array()}};
    for (const auto& [alias, addresses] : aliases.items()) view["messages"]["aliases"].push_back(alias);
  }
  view["line"] = nullptr;
  if (const auto* telephony = model_.config_state("telephony")) {
    const auto& config = telephony->at("config");
    json account = nullptr;
    if (config.contains("account")) {
      const auto& given = config["account"];
      account = {{"registrar", given.value("registrar", "")}, {"user", given.value("user", "")}, {"domain", given.value("domain", "")},
                 {"password_set", given.contains("password_file") || given.contains("password")},
                 {"password_in_file", given.contains("password_file")}};
    }
    view["line"] = {{"backend", config.value("backend", "")}, {"account", account},
                    {"auto_answer", config.value("auto_answer", json::object())}};
  }
  view["revisions"] = model_.revisions();
  respond(json_response(version, 200, view));
}

void WebApi::one_at_a_time(Respond respond, std::function<void(Respond)> save) {
  if (saves_.size() >= kMaxQueuedSaves) {
    Response busy{http::status::service_unavailable, 11};
    busy.set(http::field::content_type, "application/json");
    busy.body() = json{{"ok", false}, {"error", "too many changes waiting: try again"}}.dump();
    return respond(std::move(busy));
  }
  saves_.push_back([this, respond = std::move(respond), save = std::move(save)]() mutable {
    save([this, respond = std::move(respond)](Response response) {
      respond(std::move(response));
      saving_ = false;
      // The next change is built from the configuration this one put in force: its state came
      // from the same service before its result did.
      boost::asio::post(io_, [this] { next_save(); });
    });
  });
  next_save();
}

void WebApi::next_save() {
  if (saving_ || saves_.empty() || stopped_) return;
  saving_ = true;
  auto save = std::move(saves_.front());
  saves_.pop_front();
  save();
}

void WebApi::save_port(const Request& request, const std::string& kind, const std::string& name, const json& form, Respond respond) {
  const auto version = request.version();
  const auto* gpio = model_.config_state("gpio");
  const auto* rules = model_.config_state("rules");
  if (!gpio || !rules) return respond(json_response(version, 503, {{"error", "the gpio and rules configurations are not known yet"}}));
  if (auto refusal = offline_refusal(version, {"gpio", "rules"})) return respond(std::move(*refusal));
  auto result = kind == "outputs" ? output_change(gpio->at("config"), rules->at("config"), name, form)
                                  : input_change(gpio->at("config"), rules->at("config"), name, form, sms_aliases());
  if (auto* problem = std::get_if<FormError>(&result)) {
    return respond(json_response(version, problem->field.empty() ? 404 : 422,
                                 {{"ok", false}, {"field", problem->field}, {"error", problem->reason}}));
  }
  save(request, std::move(std::get<LinkageChange>(result)), std::move(respond));
}

void WebApi::save(const Request& request, LinkageChange change, Respond respond) {
  for (const auto& [service, document] : {std::pair{std::string("rules"), &change.rules}, std::pair{std::string("gpio"), &change.gpio}}) {
    if (!*document) continue;
    auto checked = **document;
    // A code the page kept is "********" here; the rules service puts it back. Any valid code
    // stands in for it in this check.
    if (service == "rules")
      for (auto& rule : checked["rules"])
        if (rule.contains("trigger") && rule["trigger"].value("code", "") == "********") rule["trigger"]["code"] = "0";
    try {
      validate_config(std::move(checked), schemas_, service);
    } catch (const ConfigError& error) {
      return respond(json_response(request.version(), 422,
                                   {{"ok", false}, {"service", service}, {"path", error.pointer()},
                                    {"field", change.field_of(service, error.pointer())}, {"error", error.reason()}, {"saved", json::array()}}));
    }
  }
  std::vector<std::pair<std::string, json>> patches;
  if (change.rules) patches.emplace_back("rules", json{{"rules", (*change.rules)["rules"]}});
  if (change.gpio) {
    json patch = json::object();
    for (const char* section : {"inputs", "outputs"}) patch[section] = (*change.gpio)[section];
    patches.emplace_back("gpio", std::move(patch));
  }
  auto shared = std::make_shared<LinkageChange>(std::move(change));
  send_patches(request.version(), std::move(patches),
               [shared](const std::string& service, const std::string& pointer) { return shared->field_of(service, pointer); },
               std::move(respond));
}

std::optional<Response> WebApi::offline_refusal(unsigned version, std::initializer_list<std::string> services) const {
  std::string away;
  for (const auto& service : services)
    if (!model_.online(service)) away += (away.empty() ? "" : " and ") + service;
  if (away.empty()) return std::nullopt;
  return json_response(version, 503, {{"ok", false}, {"error", "not saved: the " + away + " service is offline (start it, then save again)"}, {"saved", json::array()}});
}

std::optional<std::vector<std::string>> WebApi::sms_aliases() const {
  const auto* sms = model_.config_state("sms");
  if (!sms) return std::nullopt;
  std::vector<std::string> aliases;
  const auto configured = sms->at("config").value("aliases", json::object());
  for (const auto& [alias, addresses] : configured.items()) aliases.push_back(alias);
  return aliases;
}

void WebApi::send_patches(unsigned version, std::vector<std::pair<std::string, json>> patches,
                          std::function<std::string(const std::string&, const std::string&)> field_of, Respond respond,
                          std::vector<std::string> changed) {
  if (patches.empty()) return respond(json_response(version, 200, {{"ok", true}, {"changed", changed}}));
  auto [service, patch] = std::move(patches.front());
  patches.erase(patches.begin());
  // A patch that changes nothing in force is not sent: the page saves a whole form, and a save of
  // the same settings must not put a configuration change (with its codes) on the bus for nothing.
  if (const auto* state = model_.config_state(service); state && !changes_anything(state->at("config"), patch))
    return send_patches(version, std::move(patches), std::move(field_of), std::move(respond), std::move(changed));
  config_.send_patch(service, std::move(patch),
                     [this, version, service, patches = std::move(patches), field_of, respond = std::move(respond),
                      changed = std::move(changed)](const json& result) mutable {
                       if (!result.value("ok", false)) {
                         const auto error = result.value("error", json::object());
                         const auto path = error.value("path", "");
                         json body{{"ok", false}, {"service", service}, {"path", path}, {"field", field_of(service, path)},
                                   {"error", error.value("reason", "refused")}, {"saved", changed}};
                         return respond(json_response(version, 422, body));
                       }
                       if (result.value("changed", true)) changed.push_back(service);
                       send_patches(version, std::move(patches), field_of, std::move(respond), std::move(changed));
                     });
}

void WebApi::save_messages(const Request& request, const json& form, Respond respond) {
  const auto version = request.version();
  if (!model_.config_state("sms")) return respond(json_response(version, 503, {{"error", "the sms configuration is not known yet: is the sms service running?"}}));
  if (auto refusal = offline_refusal(version, {"sms"})) return respond(std::move(*refusal));
  json patch = json::object();
  for (const auto& [key, pointer] : std::vector<std::pair<const char*, json::json_pointer>>{
           {"trust_sip", json::json_pointer("/trust/sip")}, {"trust_gsm", json::json_pointer("/trust/gsm")},
           {"alarm_server", json::json_pointer("/aliases/alarm-server")}}) {
    auto list = string_list(form, key);
    if (!list) continue;
    if (list->is_null()) return respond(json_response(version, 422, {{"ok", false}, {"field", key}, {"error", "a list of texts"}}));
    // An empty alias would be refused; no address means no alias.
    patch[pointer] = key == std::string("alarm_server") && list->empty() ? json() : *list;
  }
  // Reports to alarm-server would fail from then on: say so now, not when an input triggers.
  if (patch.contains(json::json_pointer("/aliases/alarm-server")) && patch[json::json_pointer("/aliases/alarm-server")].is_null()) {
    if (const auto users = alias_users(model_.config_state("rules"), "alarm-server"); !users.empty())
      return respond(json_response(version, 422, {{"ok", false}, {"field", "alarm_server"},
                                                  {"error", "the reports of " + users + " go to alarm-server: give it an address, or switch those reports off first"}}));
  }
  send_patches(version, {{"sms", patch}}, [](const std::string&, const std::string& pointer) { return messages_field(pointer); },
               std::move(respond));
}

void WebApi::save_line(const Request& request, const json& form, Respond respond) {
  const auto version = request.version();
  if (!model_.config_state("telephony")) return respond(json_response(version, 503, {{"error", "the telephony configuration is not known yet: is the telephony service running?"}}));
  if (auto refusal = offline_refusal(version, {"telephony"})) return respond(std::move(*refusal));
  json patch = json::object();
  if (const auto auto_answer = form.find("auto_answer"); auto_answer != form.end()) {
    if (!auto_answer->is_object()) return respond(json_response(version, 422, {{"ok", false}, {"field", "auto_answer"}, {"error", "an object"}}));
    if (auto_answer->contains("enabled")) patch["auto_answer"]["enabled"] = (*auto_answer)["enabled"];
    if (auto list = string_list(*auto_answer, "allow")) {
      if (list->is_null()) return respond(json_response(version, 422, {{"ok", false}, {"field", "auto_answer.allow"}, {"error", "a list of SIP URIs"}}));
      patch["auto_answer"]["allow"] = *list;
    }
  }
  if (const auto account = form.find("account"); account != form.end()) {
    if (account->is_null()) {
      patch["account"] = nullptr;
    } else if (account->is_object()) {
      for (const char* key : {"registrar", "user", "domain"}) {
        const auto value = account->find(key);
        if (value == account->end()) continue;
        // An empty field is no field (the domain then defaults to the registrar's host).
        patch["account"][key] = value->is_string() && value->get<std::string>().empty() ? json() : *value;
      }
      // Write-only: sent only to change it; the telephony service keeps the one in force otherwise.
      if (const auto password = account->find("password"); password != account->end() && password->is_string() && !password->get<std::string>().empty()) {
        patch["account"]["password"] = *password;
        patch["account"]["password_file"] = nullptr;
      }
    } else {
      return respond(json_response(version, 422, {{"ok", false}, {"field", "account"}, {"error", "an object, or null for no registrar"}}));
    }
  }
  send_patches(version, {{"telephony", patch}}, [](const std::string&, const std::string& pointer) { return line_field(pointer); },
               std::move(respond));
}

void WebApi::download_rules(const Request& request, Respond respond) {
  const auto* rules = model_.config_state("rules");
  if (!rules) return respond(json_response(request.version(), 503, {{"error", "the rules configuration is not known yet"}}));
  auto document = rules->at("config");
  document.erase("bus");
  auto response = json_response(request.version(), 200, document);
  response.body() = document.dump(2) + "\n";
  response.set(http::field::content_disposition, "attachment; filename=\"rules.json\"");
  respond(std::move(response));
}

void WebApi::upload_rules(const Request& request, const std::string& text, Respond respond) {
  const auto version = request.version();
  if (text.size() > kMaxPayloadBytes - 1024)
    return respond(json_response(version, 413, {{"ok", false}, {"error", "a rules file may have at most 63 KiB"}}));
  if (nesting_depth(text) > kMaxNestingDepth)
    return respond(json_response(version, 422, {{"ok", false}, {"path", ""}, {"error", "the file nests too deep"}}));
  if (auto refusal = offline_refusal(version, {"rules"})) return respond(std::move(*refusal));
  json document;
  try {
    document = parse_config_text(text);
  } catch (const ConfigError& error) {
    return respond(json_response(version, 422, {{"ok", false}, {"path", error.pointer()}, {"error", error.reason()}}));
  }
  config_.send_document("rules", std::move(document), [this, version, respond = std::move(respond)](const json& result) {
    if (!result.value("ok", false)) {
      const auto error = result.value("error", json::object());
      return respond(json_response(version, 422, {{"ok", false}, {"service", "rules"}, {"path", error.value("path", "")},
                                                  {"error", error.value("reason", "refused")}}));
    }
    respond(json_response(version, 200, {{"ok", true}, {"changed", result.value("changed", true)}}));
  });
}

void WebApi::pulse(const Request& request, const std::string& output, Respond respond) {
  const auto version = request.version();
  const auto* gpio = model_.config_state("gpio");
  bool known = false;
  if (gpio)
    for (const auto& port : gpio->at("config").value("outputs", json::array())) known = known || port.value("name", "") == output;
  if (!known) return respond(json_response(version, 404, {{"ok", false}, {"error", "there is no output \"" + output + "\""}}));
  const auto request_id = "web-test-" + random_token(6);
  bus_.publish(topic::output_command, {.name = output}, {{"action", "pulse"}, {"cause", "web:test"}, {"request_id", request_id}});
  log_->info("test pulse of {} from the page", output);
  respond(json_response(version, 202, {{"ok", true}, {"request_id", request_id}}));
}

// --- backup ---------------------------------------------------------------------------------------

void WebApi::download_backup(const Request& request, Respond respond) {
  const auto configs = model_.configs();
  if (configs.empty()) return respond(json_response(request.version(), 503, {{"error", "no service has published its configuration yet"}}));
  const auto now = now_iso8601();
  const auto backup = make_backup(configs, bus_.topics().device(), now);
  auto response = json_response(request.version(), 200, backup);
  response.body() = backup.dump(2) + "\n";
  response.set(http::field::content_disposition,
               "attachment; filename=\"intercom-io-" + bus_.topics().device() + "-" + now.substr(0, 10) + ".json\"");
  respond(std::move(response));
}

void WebApi::restore_backup(const Request& request, const json& backup, Respond respond) {
  const auto version = request.version();
  const auto before = model_.configs();
  auto plan = restore_plan(backup, before);
  if (const auto* refusal = std::get_if<RestoreRefusal>(&plan))
    return respond(json_response(version, 422, {{"ok", false}, {"path", refusal->path}, {"error", refusal->reason}, {"restored", json::array()}}));
  for (const auto& step : std::get<std::vector<RestoreStep>>(plan))
    if (auto offline = offline_refusal(version, {step.service})) return respond(std::move(*offline));
  log_->info("restoring a backup: {} configurations differ from the ones in force", std::get<std::vector<RestoreStep>>(plan).size());
  restore_next(version, std::move(std::get<std::vector<RestoreStep>>(plan)), 0, before, {}, std::move(respond));
}

void WebApi::restore_next(unsigned version, std::vector<RestoreStep> steps, std::size_t next, std::map<std::string, json> before,
                          std::vector<std::string> restored, Respond respond) {
  if (next == steps.size()) return respond(json_response(version, 200, {{"ok", true}, {"restored", restored}}));
  const auto service = steps[next].service;
  config_.send_document(service, steps[next].document,
                        [this, version, steps, next, before, restored, service, respond = std::move(respond)](const json& result) mutable {
                          if (result.value("ok", false)) {
                            if (result.value("changed", true)) restored.push_back(service);
                            return restore_next(version, std::move(steps), next + 1, std::move(before), std::move(restored), std::move(respond));
                          }
                          const auto error = result.value("error", json::object());
                          json body{{"ok", false},
                                    {"service", service},
                                    {"path", "/configs/" + service + error.value("path", "")},
                                    {"error", service + " refused its configuration: " + error.value("reason", "refused")},
                                    {"restored", json::array()},
                                    {"rolled_back", restored}};
                          roll_back(restored, std::move(before), [this, version, body, respond = std::move(respond)] {
                            respond(json_response(version, 422, body));
                          });
                        });
}

void WebApi::roll_back(std::vector<std::string> services, std::map<std::string, json> before, std::function<void()> done) {
  if (services.empty()) return done();
  const auto service = services.back();
  services.pop_back();
  log_->warn("restore: {} gets its configuration from before the restore back", service);
  config_.send_document(service, before.at(service),
                        [this, service, services = std::move(services), before, done = std::move(done)](const json& result) mutable {
                          if (!result.value("ok", false))
                            log_->error("restore: {} refused its earlier configuration back: {}", service, result.dump());
                          roll_back(std::move(services), std::move(before), std::move(done));
                        });
}

}  // namespace intercom::web
