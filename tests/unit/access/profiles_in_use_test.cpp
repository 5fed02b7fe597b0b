// A live change that drops a time profile users hold is refused, naming the profile and them.
#include "profiles_in_use.hpp"

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"

namespace intercom::access {
namespace {

TimeProfiles profiles(std::initializer_list<const char*> names) {
  nlohmann::json document = nlohmann::json::object();
  for (const char* name : names) document[name] = {{{"days", {"mon"}}}};
  return parse_time_profiles(document, nlohmann::json::array());
}

AccessUser user(std::string id, std::string profile) { return {.id = std::move(id), .name = "", .profile = std::move(profile)}; }

TEST(ProfilesInUse, DroppingAProfileUsersHoldIsRefusedNamingThem) {
  std::vector<AccessUser> users{user("anna", "office"), user("ben", "office"), user("carl", ""), user("dora", "office"),
                                user("emil", "office"), user("fay", "night")};
  try {
    refuse_dropping_profiles_in_use(profiles({"night"}), users);
    FAIL() << "office was dropped";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/time_profiles/office");
    EXPECT_EQ(error.reason(), "office is the time profile of 4 users (anna, ben, dora and 1 more): give them another profile, or none, before removing it");
  }
  try {
    refuse_dropping_profiles_in_use(profiles({"office"}), users);
    FAIL() << "night was dropped";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.reason(), "night is the time profile of 1 user (fay): give them another profile, or none, before removing it");
  }
}

TEST(ProfilesInUse, DroppingAProfileNobodyHoldsOrKeepingThemAllIsFine) {
  std::vector<AccessUser> users{user("anna", "office"), user("carl", "")};
  EXPECT_NO_THROW(refuse_dropping_profiles_in_use(profiles({"office"}), users)) << "weekend, held by nobody, dropped";
  EXPECT_NO_THROW(refuse_dropping_profiles_in_use(profiles({"office", "weekend"}), users));
  EXPECT_NO_THROW(refuse_dropping_profiles_in_use(profiles({}), {user("carl", "")}));
}

}  // namespace
}  // namespace intercom::access
