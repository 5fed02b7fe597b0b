#pragma once
/// The page's HTTP API and live feed: the login (first-start setup token, Argon2id, the throttle,
/// sessions with a CSRF token each), the guide's settings read from and saved to the services'
/// configuration topics, the test pulse, and the device's state pushed to browsers as it happens
/// on the bus. It answers only over the bus: it owns no configuration of the other services.
///
/// Every request that changes something must come from the page itself (its Origin) and, once
/// logged in, carry the session's CSRF token; every /api/ request but the login needs a session.
/// No DTMF code and no password ever goes out in a response.
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "backup.hpp"
#include "config_requests.hpp"
#include "credential_store.hpp"
#include "device_model.hpp"
#include "hash_worker.hpp"
#include "http_types.hpp"
#include "intercom/bus/bus.hpp"
#include "lan_form.hpp"
#include "linkage_form.hpp"
#include "login_throttle.hpp"
#include "session_store.hpp"
#include "static_files.hpp"
#include "web_settings.hpp"

namespace intercom::web {

class WebApi final : public RequestHandler {
 public:
  WebApi(boost::asio::io_context& io, Bus& bus, const SchemaSet& schemas, WebSettings settings, std::shared_ptr<spdlog::logger> log);

  /// Whether the server runs HTTPS (the cookie is then Secure, and the Origin https://), and its
  /// certificate's SHA-256 fingerprint, which the page shows before the password is typed.
  void set_tls(bool tls, std::optional<std::string> certificate_fingerprint) {
    tls_ = tls;
    certificate_fingerprint_ = std::move(certificate_fingerprint);
  }
  /// Says in the log how to reach the page and, with no password yet, how to set the first one.
  void announce(const std::string& address, unsigned short port);

  void handle(const Request& request, const std::string& client, Respond respond) override;
  std::optional<Response> check_upgrade(const Request& request, const std::string& client, std::string& session) override;
  void live_opened(std::shared_ptr<LiveSocket> socket) override;

  /// Ends every wait and closes every live client.
  void stop();

 private:
  using Clock = SessionStore::Clock;
  using json = nlohmann::json;

  void route(const Request& request, const std::string& client, const Respond& answer);
  /// Closes the live feeds that match and forgets them (and those already gone).
  void close_live(const std::function<bool(const LiveSocket&)>& which);
  void subscribe();
  void push(const json& event);

  /// Whether the first password is still to be set (and the setup token good).
  bool setup_required();

  // routes
  void session_info(const Request& request, Respond respond);
  void setup(const Request& request, const std::string& client, const json& body, Respond respond);
  void login(const Request& request, const std::string& client, const json& body, Respond respond);
  void logout(const Request& request, const SessionStore::Session& session, Respond respond);
  void change_password(const Request& request, const json& body, Respond respond);
  void settings(const Request& request, Respond respond);
  void save_port(const Request& request, const std::string& kind, const std::string& name, const json& form, Respond respond);
  void save_messages(const Request& request, const json& form, Respond respond);
  void save_line(const Request& request, const json& form, Respond respond);
  /// A refusal (503) naming the services of these that are offline, or nothing when all are
  /// online: a change for a service that is away could not be checked and would expire unapplied.
  std::optional<Response> offline_refusal(unsigned version, std::initializer_list<std::string> services) const;
  /// The aliases of the sms service's configuration in force, or nothing while it is not known.
  std::optional<std::vector<std::string>> sms_aliases() const;
  void download_rules(const Request& request, Respond respond);
  void upload_rules(const Request& request, const std::string& text, Respond respond);
  void pulse(const Request& request, const std::string& output, Respond respond);
  void download_backup(const Request& request, Respond respond);
  /// The LAN form: what the broker opens to the LAN (lan_form.hpp).
  void save_lan(const Request& request, const nlohmann::json& form, Respond respond);
  /// Puts a backup's documents in force one after the other; when a service refuses one, the
  /// services already changed get their earlier configuration back, so nothing is left half done.
  void restore_backup(const Request& request, const json& backup, Respond respond);
  void restore_next(unsigned version, std::vector<RestoreStep> steps, std::size_t next, std::map<std::string, json> before,
                    std::vector<std::string> restored, Respond respond);
  void roll_back(std::vector<std::string> services, std::map<std::string, json> before, std::function<void()> done);

  /// Runs one change at a time: each is built from the configurations in force, and two built at
  /// once from the same one would each send back the other's section unchanged (a lost update).
  void one_at_a_time(Respond respond, std::function<void(Respond)> save);
  void next_save();

  /// Checks the changed documents against their schemas here first, so that a form wrong in one
  /// of them changes neither; then sends them one after the other (rules first: its own checks
  /// refuse most) and answers with the first refusal, naming the form field it points into.
  void save(const Request& request, LinkageChange change, Respond respond);
  void send_patches(unsigned version, std::vector<std::pair<std::string, json>> patches,
                    std::function<std::string(const std::string&, const std::string&)> field_of, Respond respond,
                    std::vector<std::string> changed = {});

  Response json_response(unsigned version, unsigned status, const json& body) const;
  Response with_session_cookie(Response response, const SessionStore::Session& session) const;
  void start_session(unsigned version, const std::string& client, Respond respond);
  const SessionStore::Session* session_of(const Request& request);
  bool from_the_page(const Request& request) const;
  void publish_login(const std::string& result, const std::string& client, int failures,
                     std::optional<Clock::time_point> blocked_until);
  std::optional<Response> blocked(const Request& request, const std::string& client);

  boost::asio::io_context& io_;
  Bus& bus_;
  const SchemaSet& schemas_;
  WebSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  bool tls_ = false;
  std::optional<std::string> certificate_fingerprint_;
  StaticFiles files_;
  LanForm lan_;
  CredentialStore credentials_;
  /// Where the installer finds the setup token besides the log (the launcher, intercomctl setup-token).
  CredentialStore setup_token_file_;
  SessionStore sessions_;
  LoginThrottle throttle_;
  HashWorker hashes_;
  ConfigRequests config_;
  DeviceModel model_;
  /// The first-start token while no password is set (empty once one is).
  std::string setup_token_;
  /// Clients whose login is being checked: one at a time each, so that the throttle counts every try.
  std::set<std::string> checking_;
  std::vector<std::weak_ptr<LiveSocket>> live_;
  static constexpr std::size_t kMaxQueuedSaves = 16;
  std::deque<std::function<void()>> saves_;
  bool saving_ = false;
  bool stopped_ = false;
};

}  // namespace intercom::web
