#include "profile_states.hpp"

namespace intercom::access {

std::vector<ProfileChange> ProfileStates::update(const TimeProfiles& profiles, const LocalMoment& local, const std::string& now_iso) {
  std::vector<ProfileChange> changes;
  for (auto it = told_.begin(); it != told_.end();) {
    if (profiles.profiles.contains(it->first)) {
      ++it;
      continue;
    }
    changes.push_back({it->first, std::nullopt});
    it = told_.erase(it);
  }
  for (const auto& [name, profile] : profiles.profiles) {
    const bool active = is_active(profile, profiles.holidays, local);
    const auto told = told_.find(name);
    if (told != told_.end() && told->second.active == active) continue;
    told_[name] = {active, now_iso};
    changes.push_back({name, told_[name]});
  }
  return changes;
}

std::vector<ProfileChange> ProfileStates::all() const {
  std::vector<ProfileChange> states;
  for (const auto& [name, state] : told_) states.push_back({name, state});
  return states;
}

}  // namespace intercom::access
