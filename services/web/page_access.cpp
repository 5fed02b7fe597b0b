#include "page_access.hpp"

#include <boost/beast/http.hpp>

#include "api_response.hpp"
#include "intercom/contract/web_payloads.hpp"
#include "intercom/util/clock.hpp"
#include "origin_check.hpp"
#include "password_hash.hpp"
#include "random_token.hpp"

namespace intercom::web {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

std::string seconds_until(std::chrono::steady_clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(until - std::chrono::steady_clock::now()).count();
  return std::to_string(std::max<long long>(1, left));
}

std::string wall_time(std::chrono::steady_clock::time_point until) {
  return to_iso8601(std::chrono::system_clock::now() +
                    std::chrono::duration_cast<std::chrono::system_clock::duration>(until - std::chrono::steady_clock::now()));
}

}  // namespace

PageAccess::PageAccess(boost::asio::io_context& io, Bus& bus, const WebConfig& settings, const PageIdentity& identity,
                       std::shared_ptr<spdlog::logger> log, CloseLive close_live)
    : bus_(bus),
      settings_(settings),
      identity_(identity),
      log_(std::move(log)),
      close_live_(std::move(close_live)),
      credentials_(settings_.credentials_file),
      setup_token_file_(settings_.setup_token_file),
      sessions_(settings_.session_idle, settings_.max_sessions, [] { return random_token(); }),
      throttle_(settings_.login),
      hashes_(io, settings_.hash_cost) {
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
}

bool PageAccess::alive(const std::string& session) { return sessions_.alive(session, Clock::now()); }

Response PageAccess::with_session_cookie(Response response, const SessionStore::Session& session) const {
  std::string cookie = std::string(kSessionCookie) + "=" + session.id + "; Path=/; HttpOnly; SameSite=Strict";
  if (identity_.tls) cookie += "; Secure";
  response.set(http::field::set_cookie, cookie);
  return response;
}

const SessionStore::Session* PageAccess::session_of(const Request& request) {
  const auto header = request.find(http::field::cookie);
  if (header == request.end()) return nullptr;
  return sessions_.find(cookie_value(view_of(header->value()), kSessionCookie), Clock::now());
}

bool PageAccess::from_the_page(const Request& request) const {
  const auto origin = request.find(http::field::origin);
  const auto host = request.find(http::field::host);
  if (origin == request.end() || host == request.end()) return false;
  return same_origin(view_of(origin->value()), view_of(host->value()), identity_.tls);
}

void PageAccess::publish_login(const std::string& result, const std::string& client, int failures,
                           std::optional<Clock::time_point> blocked_until) {
  contract::WebLogin event{.result = result, .client = client.substr(0, 100), .failures = failures, .at = now_iso8601()};
  if (blocked_until) event.blocked_until = wall_time(*blocked_until);
  bus_.publish({}, event);
  if (result == "ok") log_->info("login from {}", client);
  else log_->warn("login {} from {} ({} failed in a row)", result, client, failures);
}

bool PageAccess::setup_required() {
  // A password set meanwhile with intercom-web-passwd ends the setup: the token is good no more.
  if (!setup_token_.empty() && credentials_.read()) {
    setup_token_.clear();
    setup_token_file_.remove();
    log_->info("a password was set on the device: the setup token is void");
  }
  return !setup_token_.empty();
}

void PageAccess::session_info(const Request& request, Respond respond) {
  const auto* session = session_of(request);
  json info{{"setup_required", setup_required()}, {"authenticated", session != nullptr}, {"device", bus_.topics().device()}};
  // Public: what the installer compares with the browser's certificate view before typing a password.
  if (identity_.certificate_fingerprint) info["certificate_fingerprint"] = *identity_.certificate_fingerprint;
  if (session) info["csrf"] = session->csrf;
  respond(json_response(request.version(), 200, info));
}

std::optional<Response> PageAccess::blocked(const Request& request, const std::string& client) {
  const auto until = throttle_.blocked_until(client, Clock::now());
  if (!until) return std::nullopt;
  publish_login("refused-while-blocked", client, settings_.login.max_failures, until);
  auto response = json_response(request.version(), 429,
                                {{"error", "too many failed logins: try again in " + seconds_until(*until) + " s"},
                                 {"blocked_until", wall_time(*until)}});
  response.set(http::field::retry_after, seconds_until(*until));
  return response;
}

void PageAccess::start_session(unsigned version, const std::string& client, Respond respond) {
  const auto session = sessions_.create(Clock::now());
  log_->info("logged in from {}", client);
  respond(with_session_cookie(json_response(version, 200, {{"ok", true}, {"csrf", session.csrf}}), session));
}

void PageAccess::setup(const Request& request, const std::string& client, const json& body, Respond respond) {
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

void PageAccess::login(const Request& request, const std::string& client, const json& body, Respond respond) {
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
    publish_login("ok", client, 0, std::nullopt);
    if (needs_rehash(stored, hashes_.cost())) {
      hashes_.hash(password, [this](std::optional<std::string> renewed) {
        if (renewed) credentials_.write(*renewed);
      });
    }
    start_session(version, client, respond);
  });
}

void PageAccess::logout(const Request& request, const SessionStore::Session& session, Respond respond) {
  const auto id = session.id;
  sessions_.remove(id);
  close_live_([&](const LiveSocket& socket) { return socket.session() == id; });
  auto response = json_response(request.version(), 200, {{"ok", true}});
  response.set(http::field::set_cookie, std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  respond(std::move(response));
}

void PageAccess::change_password(const Request& request, const json& body, Respond respond) {
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
      close_live_([](const LiveSocket&) { return true; });
      log_->info("the page's password was changed; every session ended");
      respond(json_response(version, 200, {{"ok", true}, {"logged_out", true}}));
    });
  });
}

}  // namespace intercom::web
