#pragma once
/// Whether each time profile holds, as the bus is told: every profile at a (re)connect, then only
/// the changes, checked each minute and after a configuration change (a profile removed is cleared
/// from the broker). Pure: the moment is given.
#include <map>
#include <string>
#include <vector>

#include "intercom/contract/access_payloads.hpp"
#include "local_moment.hpp"
#include "time_profile_config.hpp"

namespace intercom::access {

struct ProfileChange {
  std::string name;
  std::optional<contract::AccessProfile> state;  ///< none: the profile is gone, its retained state to be cleared
};

class ProfileStates {
 public:
  /// The profiles whose state changed since the last call (all of them the first time), and those
  /// no longer configured.
  std::vector<ProfileChange> update(const TimeProfiles& profiles, const LocalMoment& local, const std::string& now_iso);
  /// Every profile's state as last told (for a reconnect).
  std::vector<ProfileChange> all() const;

 private:
  std::map<std::string, contract::AccessProfile> told_;
};

}  // namespace intercom::access
