#include "credential_lockout.hpp"

namespace intercom::access {

std::optional<TimePoint> CredentialLockout::locked_until(const std::string& source, TimePoint now) const {
  const auto found = counts_.find(source);
  if (found == counts_.end() || !found->second.locked_until || now >= *found->second.locked_until) return std::nullopt;
  return found->second.locked_until;
}

bool CredentialLockout::failed(const std::string& source, TimePoint now) {
  auto& count = counts_[source];
  if (count.locked_until && now >= *count.locked_until) count = {};  // a lockout that ran out starts a new count
  if (++count.failures < settings_.max_failures || count.locked_until) return false;
  count.locked_until = now + settings_.lockout;
  return true;
}

void CredentialLockout::granted(const std::string& source) { counts_.erase(source); }

int CredentialLockout::failures(const std::string& source) const {
  const auto found = counts_.find(source);
  return found == counts_.end() ? 0 : found->second.failures;
}

}  // namespace intercom::access
