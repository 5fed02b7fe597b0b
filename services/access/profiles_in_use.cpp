#include "profiles_in_use.hpp"

#include <map>
#include <string>

#include "intercom/config/config.hpp"

namespace intercom::access {

void refuse_dropping_profiles_in_use(const TimeProfiles& next, const std::vector<AccessUser>& users) {
  std::map<std::string, std::vector<std::string>> holders;  // a dropped profile -> its users' ids
  for (const auto& user : users)
    if (!user.profile.empty() && !next.profiles.contains(user.profile)) holders[user.profile].push_back(user.id);
  if (holders.empty()) return;
  const auto& [profile, ids] = *holders.begin();
  constexpr std::size_t kNamed = 3;
  std::string who;
  for (std::size_t i = 0; i < ids.size() && i < kNamed; ++i) who += (i == 0 ? "" : ", ") + ids[i];
  if (ids.size() > kNamed) who += " and " + std::to_string(ids.size() - kNamed) + " more";
  throw ConfigError::at("/time_profiles/" + profile,
                        profile + " is the time profile of " + std::to_string(ids.size()) + (ids.size() == 1 ? " user" : " users") +
                            " (" + who + "): give them another profile, or none, before removing it");
}

}  // namespace intercom::access
