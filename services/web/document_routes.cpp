#include "document_routes.hpp"

#include <boost/beast/http.hpp>

#include "api_response.hpp"
#include "intercom/bus/inbound.hpp"
#include "intercom/config/config.hpp"
#include "intercom/util/clock.hpp"

namespace intercom::web {

namespace http = boost::beast::http;

DocumentRoutes::DocumentRoutes(Bus& bus, const DeviceModel& model, ConfigRequests& config, ConfigSaves& saves,
                               std::shared_ptr<spdlog::logger> log)
    : bus_(bus), model_(model), config_(config), saves_(saves), log_(std::move(log)) {}

void DocumentRoutes::download_rules(const Request& request, Respond respond) {
  const auto* rules = model_.config_of("rules");
  if (!rules) return respond(json_response(request.version(), 503, {{"error", "the rules configuration is not known yet"}}));
  auto document = *rules;
  document.erase("bus");
  auto response = json_response(request.version(), 200, document);
  response.body() = document.dump(2) + "\n";
  response.set(http::field::content_disposition, "attachment; filename=\"rules.json\"");
  respond(std::move(response));
}

void DocumentRoutes::upload_rules(const Request& request, const std::string& text, Respond respond) {
  const auto version = request.version();
  if (text.size() > kMaxPayloadBytes - 1024)
    return respond(json_response(version, 413, {{"ok", false}, {"error", "a rules file may have at most 63 KiB"}}));
  if (nesting_depth(text) > kMaxNestingDepth)
    return respond(json_response(version, 422, {{"ok", false}, {"path", ""}, {"error", "the file nests too deep"}}));
  if (auto refusal = saves_.offline_refusal(version, {"rules"})) return respond(std::move(*refusal));
  json document;
  try {
    document = parse_config_text(text);
  } catch (const ConfigError& error) {
    return respond(json_response(version, 422, {{"ok", false}, {"path", error.pointer()}, {"error", error.reason()}}));
  }
  config_.send_document("rules", std::move(document), [version, respond = std::move(respond)](const ConfigAnswer& answer) {
    if (!answer.ok)
      return respond(json_response(version, 422, {{"ok", false}, {"service", "rules"}, {"path", answer.path}, {"error", answer.reason}}));
    respond(json_response(version, 200, {{"ok", true}, {"changed", answer.changed}}));
  });
}

void DocumentRoutes::download_backup(const Request& request, Respond respond) {
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

void DocumentRoutes::restore_backup(const Request& request, const json& backup, Respond respond) {
  const auto version = request.version();
  const auto before = model_.configs();
  auto plan = restore_plan(backup, before);
  if (const auto* refusal = std::get_if<RestoreRefusal>(&plan))
    return respond(json_response(version, 422, {{"ok", false}, {"path", refusal->path}, {"error", refusal->reason}, {"restored", json::array()}}));
  for (const auto& step : std::get<std::vector<RestoreStep>>(plan))
    if (auto offline = saves_.offline_refusal(version, {step.service})) return respond(std::move(*offline));
  log_->info("restoring a backup: {} configurations differ from the ones in force", std::get<std::vector<RestoreStep>>(plan).size());
  restore_next(version, std::move(std::get<std::vector<RestoreStep>>(plan)), 0, before, {}, std::move(respond));
}

void DocumentRoutes::restore_next(unsigned version, std::vector<RestoreStep> steps, std::size_t next, std::map<std::string, json> before,
                          std::vector<std::string> restored, Respond respond) {
  if (next == steps.size()) return respond(json_response(version, 200, {{"ok", true}, {"restored", restored}}));
  const auto service = steps[next].service;
  config_.send_document(service, steps[next].document,
                        [this, version, steps, next, before, restored, service, respond = std::move(respond)](const ConfigAnswer& answer) mutable {
                          if (answer.ok) {
                            if (answer.changed) restored.push_back(service);
                            return restore_next(version, std::move(steps), next + 1, std::move(before), std::move(restored), std::move(respond));
                          }
                          json body{{"ok", false},
                                    {"service", service},
                                    {"path", "/configs/" + service + answer.path},
                                    {"error", service + " refused its configuration: " + answer.reason},
                                    {"restored", json::array()},
                                    {"rolled_back", restored}};
                          roll_back(restored, std::move(before), [this, version, body, respond = std::move(respond)] {
                            respond(json_response(version, 422, body));
                          });
                        });
}

void DocumentRoutes::roll_back(std::vector<std::string> services, std::map<std::string, json> before, std::function<void()> done) {
  if (services.empty()) return done();
  const auto service = services.back();
  services.pop_back();
  log_->warn("restore: {} gets its configuration from before the restore back", service);
  config_.send_document(service, before.at(service),
                        [this, service, services = std::move(services), before, done = std::move(done)](const ConfigAnswer& answer) mutable {
                          if (!answer.ok)
                            log_->error("restore: {} refused its earlier configuration back: {} (at {})", service, answer.reason,
                                        answer.path.empty() ? "/" : answer.path);
                          roll_back(std::move(services), std::move(before), std::move(done));
                        });
}

}  // namespace intercom::web
