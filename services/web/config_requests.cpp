#include "config_requests.hpp"

#include <algorithm>

#include "intercom/util/clock.hpp"
#include "random_token.hpp"

namespace intercom::web {

using nlohmann::json;

ConfigRequests::ConfigRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait)
    : bus_(bus), wait_(wait), prefix_("web-" + random_token(4) + "-"), pending_(io, wait) {}

void ConfigRequests::send_patch(const std::string& service, json patch, Done done) {
  send(service, contract::ConfigSet{.patch = std::move(patch)}, std::move(done));
}

void ConfigRequests::send_document(const std::string& service, json document, Done done) {
  // The bus section is not the page's to change; without it the service keeps the one in force.
  document.erase("bus");
  send(service, contract::ConfigSet{.config = std::move(document)}, std::move(done));
}

void ConfigRequests::send(const std::string& service, contract::ConfigSet command, Done done) {
  const auto request_id = prefix_ + std::to_string(next_++);
  command.request_id = request_id;
  command.cause = "web";
  // The request expires a second before the wait ends, at the broker (a service that is away never
  // gets it) and at the service (one that gets it late refuses it): when the wait ends unanswered,
  // nothing was changed and nothing will be, and "not saved" is true.
  const auto expiry = request_expiry(wait_);
  command.expires_at = to_iso8601(std::chrono::system_clock::now() + expiry);
  pending_.wait_for(request_id, std::move(done), [this, request_id, service] {
    given_up_.push_back(request_id);
    if (given_up_.size() > 64) given_up_.erase(given_up_.begin());
    return ConfigAnswer{.ok = false,
                        .reason = "not saved: no answer from the " + service + " service in " + std::to_string(wait_.count() / 1000) +
                                  " s (is it running?); the change expired unapplied"};
  });
  bus_.publish_command(topic::config_command, {.service = service}, json(command), expiry);
}

std::chrono::seconds request_expiry(std::chrono::milliseconds wait) {
  return std::max(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(wait) - std::chrono::seconds(1));
}

bool ConfigRequests::answer(const contract::ConfigResult& result) {
  const auto request_id = result.request_id.value_or("");
  // A refusal without an error object cannot happen under the schema; "refused" stands in.
  const ConfigAnswer answer{.ok = result.ok,
                            .changed = result.changed.value_or(true),
                            .path = result.error ? result.error->path : "",
                            .reason = result.error ? result.error->reason : (result.ok ? "" : "refused")};
  if (pending_.answer(request_id, answer)) return true;
  // Cannot happen while the service honours expires_at; said loudly if it ever does.
  if (result.changed.value_or(false) && std::find(given_up_.begin(), given_up_.end(), request_id) != given_up_.end() && on_late_change_)
    on_late_change_(request_id);
  return false;
}

void ConfigRequests::stop() { pending_.stop({.ok = false, .reason = "the web service is stopping"}); }

}  // namespace intercom::web
