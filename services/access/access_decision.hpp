#pragma once
/// Whether a credential opens a door now, and if not, why: the one rule the access service applies
/// to a card at the reader, a PIN on the keypad or typed during a call, and a known caller. Pure:
/// the moment is given.
#include <cstdint>
#include <optional>
#include <string>

#include "access_directory.hpp"
#include "local_moment.hpp"
#include "time_profile_config.hpp"

namespace intercom::access {

enum class Refusal {
  unknown,          ///< no user has this credential
  disabled,         ///< the user is switched off
  not_yet_valid,    ///< before the user's validity window
  expired,          ///< after it
  outside_profile,  ///< the user's time profile does not hold now
  no_profile,       ///< the user names a profile the configuration does not have: closed, not open
  wrong_door,       ///< the user may not open this door
  locked_out,       ///< too many wrong credentials in a row from this source
};

/// The name an event gives a refusal: "unknown", "outside_profile", ...
std::string refusal_name(Refusal refusal);

struct AccessDecision {
  const AccessUser* user = nullptr;  ///< who, when known (a refusal may name them too)
  std::optional<Refusal> refusal;    ///< none: granted
  bool granted() const { return !refusal; }
};

struct AccessMoment {
  std::int64_t wall_ms = 0;
  LocalMoment local;
};

/// The user found for a credential (or none) checked against the door and the moment.
AccessDecision decide(const AccessUser* user, const std::string& door, const TimeProfiles& profiles, const AccessMoment& now);

}  // namespace intercom::access
