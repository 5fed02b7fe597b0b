#include "replay_guard.hpp"

#include <algorithm>
#include <utility>

namespace intercom::history {

ReplayGuard::ReplayGuard(std::map<std::string, std::int64_t> newest_by_source) : newest_(std::move(newest_by_source)) {}

bool ReplayGuard::keep(const std::string& source, std::int64_t at_ms, bool replayed) {
  const auto newest = newest_.find(source);
  if (replayed && newest != newest_.end() && at_ms <= newest->second) return false;
  auto& kept = newest_[source];
  kept = std::max(kept, at_ms);
  return true;
}

}  // namespace intercom::history
