#include "login_throttle.hpp"

#include <algorithm>

namespace intercom::web {

std::optional<LoginThrottle::Clock::time_point> LoginThrottle::blocked_until(const std::string& client,
                                                                             Clock::time_point now) const {
  const auto found = clients_.find(client);
  if (found == clients_.end() || !found->second.blocked_until || *found->second.blocked_until <= now) return std::nullopt;
  return found->second.blocked_until;
}

LoginThrottle::Failure LoginThrottle::failed(const std::string& client, Clock::time_point now) {
  if (!clients_.contains(client) && clients_.size() >= settings_.max_clients) {
    const auto oldest = std::min_element(clients_.begin(), clients_.end(), [](const auto& a, const auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    clients_.erase(oldest);
  }
  auto& record = clients_[client];
  // A block that has run out starts a new count: the client gets max_failures tries again.
  if (record.blocked_until && *record.blocked_until <= now) record = Record{};
  record.last_seen = now;
  ++record.failures;
  Failure failure{record.failures, std::nullopt};
  if (record.failures >= settings_.max_failures && !record.blocked_until) {
    record.blocked_until = now + settings_.block;
    failure.blocked_until = record.blocked_until;
  }
  return failure;
}

void LoginThrottle::succeeded(const std::string& client) { clients_.erase(client); }

}  // namespace intercom::web
