#include "config_saves.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/http.hpp>

#include "api_response.hpp"

namespace intercom::web {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

/// Whether a JSON merge patch would change the document.
bool changes_anything(const json& document, const json& patch) {
  auto patched = document;
  patched.merge_patch(patch);
  return patched != document;
}

}  // namespace

ConfigSaves::ConfigSaves(boost::asio::io_context& io, const DeviceModel& model, ConfigRequests& config)
    : io_(io), model_(model), config_(config) {}

void ConfigSaves::one_at_a_time(Respond respond, std::function<void(Respond)> save) {
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

void ConfigSaves::next_save() {
  if (saving_ || saves_.empty() || stopped_) return;
  saving_ = true;
  auto save = std::move(saves_.front());
  saves_.pop_front();
  save();
}

void ConfigSaves::stop() {
  stopped_ = true;
  saves_.clear();
}

std::optional<Response> ConfigSaves::offline_refusal(unsigned version, std::initializer_list<std::string> services) const {
  std::string away;
  for (const auto& service : services)
    if (!model_.online(service)) away += (away.empty() ? "" : " and ") + service;
  if (away.empty()) return std::nullopt;
  return json_response(version, 503, {{"ok", false}, {"error", "not saved: the " + away + " service is offline (start it, then save again)"}, {"saved", json::array()}});
}

void ConfigSaves::send_patches(unsigned version, Patches patches, FieldOf field_of, Respond respond, std::vector<std::string> changed) {
  if (patches.empty()) return respond(json_response(version, 200, {{"ok", true}, {"changed", changed}}));
  auto [service, patch] = std::move(patches.front());
  patches.erase(patches.begin());
  // A patch that changes nothing in force is not sent: the page saves a whole form, and a save of
  // the same settings must not put a configuration change (with its codes) on the bus for nothing.
  if (const auto* config = model_.config_of(service); config && !changes_anything(*config, patch))
    return send_patches(version, std::move(patches), std::move(field_of), std::move(respond), std::move(changed));
  config_.send_patch(service, std::move(patch),
                     [this, version, service, patches = std::move(patches), field_of, respond = std::move(respond),
                      changed = std::move(changed)](const ConfigAnswer& answer) mutable {
                       if (!answer.ok) {
                         json body{{"ok", false}, {"service", service}, {"path", answer.path}, {"field", field_of(service, answer.path)},
                                   {"error", answer.reason}, {"saved", changed}};
                         return respond(json_response(version, 422, body));
                       }
                       if (answer.changed) changed.push_back(service);
                       send_patches(version, std::move(patches), field_of, std::move(respond), std::move(changed));
                     });
}

}  // namespace intercom::web
