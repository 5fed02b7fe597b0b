#pragma once
/// A live change of the configuration that drops a time profile some users hold is refused: each
/// of them would be refused at every door from then on (no_profile), which is safe but never what
/// the installer meant. At start-up such users are only refused, so that no configuration file
/// keeps the service from starting. Pure.
#include <vector>

#include "access_user.hpp"
#include "time_profile_config.hpp"

namespace intercom::access {

/// Throws ConfigError at /time_profiles/<name> for the first profile that `next` drops and a user
/// holds, naming up to three of them and how many more.
void refuse_dropping_profiles_in_use(const TimeProfiles& next, const std::vector<AccessUser>& users);

}  // namespace intercom::access
