// The page's access settings: what it shows of access's configuration (defaults filled in), and the
// merge patch each form becomes, with a refusal's path mapped back onto the form's field.
#include "access_form.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace intercom::web {
namespace {

using nlohmann::json;

json shipped(const char* name) {
  std::ifstream in(std::string(INTERCOM_SOURCE_DIR "/config/") + name);
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

const contract::GpioPorts ports{{{"in1", ""}, {"in2", ""}, {"in3", ""}}, {{"out1", ""}, {"out2", ""}}};

json patched(json config, const AccessChange& change) {
  config.merge_patch(change.patch);
  return config;
}

TEST(AccessForm, TheViewShowsDoorsProfilesHolidaysAndLockoutWithTheSchemasDefaults) {
  const auto view = access_view(shipped("access.json"));
  ASSERT_EQ(view["doors"].size(), 1u);
  EXPECT_EQ(view["doors"][0], json({{"lock", "out1"}, {"label", "Front door"}, {"contact", "in1"}, {"exit", "in3"}, {"held_open_s", 30},
                                    {"grace_s", 2}, {"relock_on_close", false}}));
  ASSERT_EQ(view["profiles"].size(), 1u);
  EXPECT_EQ(view["profiles"][0]["name"], "office-hours");
  EXPECT_EQ(view["profiles"][0]["intervals"][0], json({{"days", {"mon", "tue", "wed", "thu", "fri"}}, {"from", "07:00"}, {"to", "19:00"}}));
  EXPECT_EQ(view["holidays"], json({"01-01", "12-25", "12-26"}));
  EXPECT_EQ(view["lockout"], json({{"max_failures", 5}, {"lockout_s", 30}}));

  const auto bare = access_view({{"state_dir", "x"}, {"doors", {{"out2", json::object()}}}, {"time_profiles", {{"night", {{{"days", {"sat"}}}}}}}});
  EXPECT_EQ(bare["doors"][0], json({{"lock", "out2"}, {"label", ""}, {"contact", ""}, {"exit", ""}, {"held_open_s", 30}, {"grace_s", 2},
                                    {"relock_on_close", false}}));
  EXPECT_EQ(bare["profiles"][0]["intervals"][0], json({{"days", {"sat"}}, {"from", "00:00"}, {"to", "24:00"}}));
  EXPECT_EQ(bare["holidays"], json::array());
}

TEST(AccessForm, ADoorsFormChangesItsDoorOnlyAndAnEmptyInputRemovesIt) {
  const auto config = shipped("access.json");
  auto result = door_change(config, ports, "out1", {{"label", "Back door"}, {"exit", ""}, {"held_open_s", 60}, {"relock_on_close", true}});
  ASSERT_TRUE(std::holds_alternative<AccessChange>(result)) << std::get<FormError>(result).reason;
  const auto& change = std::get<AccessChange>(result);
  const auto after = patched(config, change);
  EXPECT_EQ(after["doors"]["out1"], json({{"label", "Back door"}, {"contact", "in1"}, {"held_open_s", 60}, {"relock_on_close", true}}))
      << "the contact left out stays; the exit button emptied goes";
  EXPECT_EQ(after["time_profiles"], config["time_profiles"]);
  EXPECT_EQ(change.field_of("/doors/out1/held_open_s"), "held_open_s");
  EXPECT_EQ(change.field_of("/doors/out1/exit"), "exit");
  EXPECT_EQ(change.field_of("/doors/out1"), "");

  result = door_change(config, ports, "out2", {{"label", "Gate"}, {"contact", "in2"}});
  ASSERT_TRUE(std::holds_alternative<AccessChange>(result));
  EXPECT_EQ(patched(config, std::get<AccessChange>(result))["doors"]["out2"], json({{"label", "Gate"}, {"contact", "in2"}})) << "a door added";
  result = door_change(config, ports, "out1", {{"remove", true}});
  ASSERT_TRUE(std::holds_alternative<AccessChange>(result));
  EXPECT_FALSE(patched(config, std::get<AccessChange>(result))["doors"].contains("out1")) << "a door no longer watched";
}

TEST(AccessForm, ADoorsFormThatCannotBeRightIsRefusedNamingTheFieldAndWhatIsAllowed) {
  const auto config = shipped("access.json");
  const auto refusal = [&](const std::string& lock, const json& form) {
    auto result = door_change(config, ports, lock, form);
    return std::holds_alternative<FormError>(result) ? std::get<FormError>(result) : FormError{"changed", ""};
  };
  EXPECT_EQ(refusal("out9", {{"label", "x"}}).reason, "no output named out9; the outputs are out1, out2");
  EXPECT_EQ(refusal("out1", {{"contact", "in7"}}).field, "contact");
  EXPECT_EQ(refusal("out1", {{"contact", "in7"}}).reason, "no input named in7; the inputs are in1, in2, in3");
  EXPECT_EQ(refusal("out1", {{"exit", 3}}).reason, "a text");
  EXPECT_EQ(refusal("out1", {{"held_open_s", "30"}}).field, "held_open_s");
  EXPECT_EQ(refusal("out1", {{"grace_s", 1.5}}).reason, "a whole number of seconds");
  EXPECT_EQ(refusal("out1", {{"relock_on_close", "yes"}}).field, "relock_on_close");
  EXPECT_EQ(refusal("out2", {{"remove", true}}).reason, "out2 is not a watched door");
  EXPECT_EQ(refusal("out1", {{"remove", "yes"}}).field, "remove");
}

TEST(AccessForm, TheSchedulesProfilesAreTheWholeListAndEachFieldMapsBack) {
  const auto config = shipped("access.json");
  const json form{{"profiles", {{{"name", "cleaners"}, {"intervals", {{{"days", {"sat"}}, {"from", "06:00"}, {"to", "09:00"}},
                                                                      {{"days", {"sun", "holiday"}}, {"from", "22:00"}, {"to", "02:00"}}}}}}},
                  {"holidays", {"12-24", "2027-04-02"}},
                  {"lockout", {{"max_failures", 3}, {"lockout_s", 120}}}};
  auto result = schedule_change(config, form);
  ASSERT_TRUE(std::holds_alternative<AccessChange>(result)) << std::get<FormError>(result).reason;
  const auto& change = std::get<AccessChange>(result);
  const auto after = patched(config, change);
  EXPECT_EQ(after["time_profiles"], json({{"cleaners", form["profiles"][0]["intervals"]}})) << "office-hours, not in the list, removed";
  EXPECT_EQ(after["holidays"], form["holidays"]);
  EXPECT_EQ(after["lockout"], form["lockout"]);
  EXPECT_EQ(after["doors"], config["doors"]);
  EXPECT_EQ(change.field_of("/time_profiles/cleaners/1/to"), "profiles.0.intervals.1.to");
  EXPECT_EQ(change.field_of("/time_profiles/cleaners/1"), "profiles.0.intervals.1");
  EXPECT_EQ(change.field_of("/time_profiles/cleaners"), "profiles.0");
  EXPECT_EQ(change.field_of("/time_profiles/office-hours"), "") << "removed: not on the form, said as the form's own error";
  EXPECT_EQ(change.field_of("/holidays/1"), "holidays");
  EXPECT_EQ(change.field_of("/lockout/lockout_s"), "lockout.lockout_s");

  result = schedule_change(config, {{"holidays", json::array()}});
  ASSERT_TRUE(std::holds_alternative<AccessChange>(result));
  EXPECT_EQ(patched(config, std::get<AccessChange>(result))["time_profiles"], config["time_profiles"]) << "profiles left out stay";
}

TEST(AccessForm, AScheduleThatCannotBeRightIsRefusedNamingTheField) {
  const auto config = shipped("access.json");
  const auto refusal = [&](const json& form) {
    auto result = schedule_change(config, form);
    return std::holds_alternative<FormError>(result) ? std::get<FormError>(result) : FormError{"changed", ""};
  };
  const json interval{{"days", {"mon"}}};
  EXPECT_EQ(refusal({{"profiles", {{{"name", "Office Hours"}, {"intervals", {interval}}}}}}).field, "profiles.0.name");
  EXPECT_EQ(refusal({{"profiles", {{{"name", "a"}, {"intervals", {interval}}}, {{"name", "a"}, {"intervals", {interval}}}}}}).reason,
            "another profile has the name a already");
  EXPECT_EQ(refusal({{"profiles", {{{"name", "a"}, {"intervals", "mon"}}}}}).field, "profiles.0.intervals");
  EXPECT_EQ(refusal({{"profiles", {"a"}}}).field, "profiles.0");
  EXPECT_EQ(refusal({{"profiles", "a"}}).field, "profiles");
  EXPECT_EQ(refusal({{"holidays", "12-25"}}).field, "holidays");
  EXPECT_EQ(refusal({{"lockout", {{"lockout_s", "long"}}}}).field, "lockout.lockout_s");
}

}  // namespace
}  // namespace intercom::web
