#pragma once
/// The page's HTTP API and live feed, as routes over parts with one job each: who may use the page
/// (page_access), the device pushed to browsers as it happens on the bus (live_feed), the guide's
/// settings read and saved (settings_routes, through config_saves), the whole documents
/// (document_routes: the rules file, the backup), and the page's own files. It answers only over
/// the bus: it owns no configuration of the other services.
///
/// Every request that changes something must come from the page itself (its Origin) and, once
/// logged in, carry the session's CSRF token; every /api/ request but the login needs a session.
/// No DTMF code and no password ever goes out in a response.
#include <memory>
#include <optional>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <spdlog/logger.h>

#include "config_requests.hpp"
#include "config_saves.hpp"
#include "device_model.hpp"
#include "document_routes.hpp"
#include "history_requests.hpp"
#include "history_routes.hpp"
#include "users_routes.hpp"
#include "http_types.hpp"
#include "intercom/bus/bus.hpp"
#include "lan_form.hpp"
#include "live_feed.hpp"
#include "page_access.hpp"
#include "page_identity.hpp"
#include "settings_routes.hpp"
#include "static_files.hpp"
#include "web_config.hpp"

namespace intercom::web {

class WebApi final : public RequestHandler {
 public:
  WebApi(boost::asio::io_context& io, Bus& bus, const SchemaSet& schemas, WebConfig settings, std::shared_ptr<spdlog::logger> log);

  /// Whether the server runs HTTPS (the cookie is then Secure, and the Origin https://), and its
  /// certificate's SHA-256 fingerprint, which the page shows before the password is typed.
  void set_tls(bool tls, std::optional<std::string> certificate_fingerprint) {
    identity_.tls = tls;
    identity_.certificate_fingerprint = std::move(certificate_fingerprint);
  }
  /// Says in the log how to reach the page and, with no password yet, how to set the first one.
  void announce(const std::string& address, unsigned short port);

  void handle(const Request& request, const std::string& client, Respond respond) override;
  std::optional<Response> check_upgrade(const Request& request, const std::string& client, std::string& session) override;
  void live_opened(std::shared_ptr<LiveSocket> socket) override;

  /// Ends every wait and closes every live client.
  void stop();

 private:
  void route(const Request& request, const std::string& client, const Respond& answer);

  WebConfig settings_file_;
  std::shared_ptr<spdlog::logger> log_;
  PageIdentity identity_;
  StaticFiles files_;
  LanForm lan_;
  DeviceModel model_;
  PageAccess access_;
  ConfigRequests config_;
  LiveFeed live_;
  ConfigSaves saves_;
  SettingsRoutes settings_;
  DocumentRoutes documents_;
  HistoryRequests history_requests_;
  HistoryRoutes history_;
  UsersRequests users_requests_;
  UsersRoutes users_;
  bool stopped_ = false;
};

}  // namespace intercom::web
