#include "access_decision.hpp"

#include <algorithm>

namespace intercom::access {

std::string refusal_name(Refusal refusal) {
  switch (refusal) {
    case Refusal::unknown: return "unknown";
    case Refusal::disabled: return "disabled";
    case Refusal::not_yet_valid: return "not_yet_valid";
    case Refusal::expired: return "expired";
    case Refusal::outside_profile: return "outside_profile";
    case Refusal::no_profile: return "no_profile";
    case Refusal::wrong_door: return "wrong_door";
    case Refusal::locked_out: return "locked_out";
  }
  return "unknown";
}

AccessDecision decide(const AccessUser* user, const std::string& door, const TimeProfiles& profiles, const AccessMoment& now) {
  if (!user) return {nullptr, Refusal::unknown};
  if (!user->enabled) return {user, Refusal::disabled};
  if (user->valid_from_ms && now.wall_ms < *user->valid_from_ms) return {user, Refusal::not_yet_valid};
  if (user->valid_until_ms && now.wall_ms >= *user->valid_until_ms) return {user, Refusal::expired};
  if (std::find(user->doors.begin(), user->doors.end(), door) == user->doors.end()) return {user, Refusal::wrong_door};
  if (!user->profile.empty()) {
    const auto profile = profiles.profiles.find(user->profile);
    if (profile == profiles.profiles.end()) return {user, Refusal::no_profile};
    if (!is_active(profile->second, profiles.holidays, now.local)) return {user, Refusal::outside_profile};
  }
  return {user, std::nullopt};
}

}  // namespace intercom::access
