#pragma once
/// Who may use the page: the first-start setup token, the password (Argon2id, checked off the
/// loop), the login throttle with each failure published on <root>/web/login, and the sessions,
/// each with its CSRF token. The routes /api/session, /api/setup, /api/login, /api/logout and
/// /api/password.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "credential_store.hpp"
#include "hash_worker.hpp"
#include "http_types.hpp"
#include "intercom/bus/bus.hpp"
#include "login_throttle.hpp"
#include "page_identity.hpp"
#include "session_store.hpp"
#include "web_config.hpp"

namespace intercom::web {

class PageAccess {
 public:
  /// Closes the live feeds whose socket matches (a logout ends its session's feeds).
  using CloseLive = std::function<void(const std::function<bool(const LiveSocket&)>& which)>;

  PageAccess(boost::asio::io_context& io, Bus& bus, const WebConfig& settings, const PageIdentity& identity,
             std::shared_ptr<spdlog::logger> log, CloseLive close_live);

  /// The request's session, or nothing (no cookie, unknown, idle too long).
  const SessionStore::Session* session_of(const Request& request);
  /// Whether a session is still good now (a live feed stops with it).
  bool alive(const std::string& session);
  /// Whether the request comes from the page itself (its Origin is this host's).
  bool from_the_page(const Request& request) const;
  /// The setup token while no password is set (empty once one is), and where it is kept.
  const std::string& setup_token() const { return setup_token_; }
  const std::filesystem::path& setup_token_file() const { return setup_token_file_.file(); }

  void session_info(const Request& request, Respond respond);
  void setup(const Request& request, const std::string& client, const nlohmann::json& body, Respond respond);
  void login(const Request& request, const std::string& client, const nlohmann::json& body, Respond respond);
  void logout(const Request& request, const SessionStore::Session& session, Respond respond);
  void change_password(const Request& request, const nlohmann::json& body, Respond respond);

  /// Ends the password checks still running.
  void stop() { hashes_.stop(); }

 private:
  using Clock = SessionStore::Clock;

  /// Whether the first password is still to be set (and the setup token good).
  bool setup_required();
  /// The refusal (429) while the client is blocked, after publishing it.
  std::optional<Response> blocked(const Request& request, const std::string& client);
  void start_session(unsigned version, const std::string& client, Respond respond);
  Response with_session_cookie(Response response, const SessionStore::Session& session) const;
  void publish_login(const std::string& result, const std::string& client, int failures, std::optional<Clock::time_point> blocked_until);

  Bus& bus_;
  const WebConfig& settings_;
  const PageIdentity& identity_;
  std::shared_ptr<spdlog::logger> log_;
  CloseLive close_live_;
  CredentialStore credentials_;
  /// Where the installer finds the setup token besides the log (the launcher, intercomctl setup-token).
  CredentialStore setup_token_file_;
  SessionStore sessions_;
  LoginThrottle throttle_;
  HashWorker hashes_;
  std::string setup_token_;
  /// Clients whose login is being checked: one at a time each, so that the throttle counts every try.
  std::set<std::string> checking_;
};

}  // namespace intercom::web
