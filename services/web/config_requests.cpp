#include "config_requests.hpp"

#include "random_token.hpp"

namespace intercom::web {

using nlohmann::json;

ConfigRequests::ConfigRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait)
    : io_(io), bus_(bus), wait_(wait), prefix_("web-" + random_token(4) + "-") {}

void ConfigRequests::send_patch(const std::string& service, json patch, Done done) {
  send(service, json{{"patch", std::move(patch)}}, std::move(done));
}

void ConfigRequests::send_document(const std::string& service, json document, Done done) {
  // The bus section is not the page's to change; without it the service keeps the one in force.
  document.erase("bus");
  send(service, json{{"config", std::move(document)}}, std::move(done));
}

void ConfigRequests::send(const std::string& service, json command, Done done) {
  const auto request_id = prefix_ + std::to_string(next_++);
  command["request_id"] = request_id;
  auto timer = std::make_unique<boost::asio::steady_timer>(io_, wait_);
  timer->async_wait([this, request_id](const boost::system::error_code& error) {
    if (error) return;
    const auto found = pending_.find(request_id);
    if (found == pending_.end()) return;
    auto pending = std::move(found->second);
    pending_.erase(found);
    pending.done({{"ok", false},
                  {"request_id", request_id},
                  {"error", {{"path", ""}, {"reason", "no answer from the " + pending.service + " service in " +
                                                           std::to_string(wait_.count() / 1000) + " s: is it running?"}}}});
  });
  pending_.emplace(request_id, Pending{service, std::move(done), std::move(timer)});
  bus_.publish(topic::config_command, {.service = service}, command);
}

bool ConfigRequests::answer(const json& result) {
  const auto found = pending_.find(result.value("request_id", ""));
  if (found == pending_.end()) return false;
  auto pending = std::move(found->second);
  pending_.erase(found);
  pending.timer->cancel();
  pending.done(result);
  return true;
}

void ConfigRequests::stop() {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [request_id, waiting] : pending) {
    waiting.timer->cancel();
    waiting.done({{"ok", false}, {"request_id", request_id}, {"error", {{"path", ""}, {"reason", "the web service is stopping"}}}});
  }
}

}  // namespace intercom::web
