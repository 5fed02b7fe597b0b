#include "access_form.hpp"

#include <set>

#include "form_section.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;

// The schema's defaults (schemas/config/access.schema.json), shown for what the file leaves out.
constexpr int kHeldOpenS = 30;
constexpr int kGraceS = 2;
constexpr int kMaxFailures = 5;
constexpr int kLockoutS = 30;

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

/// The name the schema allows for a profile (propertyNames), said in words before access is asked:
/// its refusal of a name would point at the whole list.
bool profile_name(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

json access_view(const json& access_config) {
  json view{{"doors", json::array()}, {"profiles", json::array()}, {"holidays", access_config.value("holidays", json::array())}};
  // Copies: a range-for over items() of the temporary value() returns would outlive it.
  const auto doors = access_config.value("doors", json::object());
  for (const auto& [lock, door] : doors.items()) {
    view["doors"].push_back({{"lock", lock}, {"label", door.value("label", "")}, {"contact", door.value("contact", "")},
                             {"exit", door.value("exit", "")}, {"held_open_s", door.value("held_open_s", kHeldOpenS)},
                             {"grace_s", door.value("grace_s", kGraceS)}, {"relock_on_close", door.value("relock_on_close", false)}});
  }
  const auto profiles = access_config.value("time_profiles", json::object());
  for (const auto& [name, intervals] : profiles.items()) {
    json shown = json::array();
    for (const auto& interval : intervals)
      shown.push_back({{"days", interval.value("days", json::array())}, {"from", interval.value("from", "00:00")}, {"to", interval.value("to", "24:00")}});
    view["profiles"].push_back({{"name", name}, {"intervals", shown}});
  }
  const auto lockout = access_config.value("lockout", json::object());
  view["lockout"] = {{"max_failures", lockout.value("max_failures", kMaxFailures)}, {"lockout_s", lockout.value("lockout_s", kLockoutS)}};
  return view;
}

AccessResult door_change(const json& access_config, const contract::GpioPorts& ports, const std::string& lock, const json& form) {
  if (!ports.has_output(lock)) return FormError{"", "no output named " + lock + "; the outputs are " + joined(ports.output_names())};
  const auto doors = access_config.value("doors", json::object());
  const std::string at = "/doors/" + lock;
  AccessChange change;
  change.fields = {{at, ""}};
  FormSection fields(form);
  const auto* remove = fields.typed("remove", &json::is_boolean, "true or false");
  if (remove && remove->get<bool>()) {
    if (!doors.contains(lock)) return FormError{"", lock + " is not a watched door"};
    change.patch["doors"][lock] = nullptr;
    return change;
  }
  json door = json::object();
  for (const char* key : {"label", "contact", "exit"}) {
    const auto* value = fields.typed(key, &json::is_string, "a text");
    if (!value) continue;
    const auto text = value->get<std::string>();
    const bool port = key != std::string("label");
    if (port && !text.empty() && !ports.has_input(text))
      return FormError{key, "no input named " + text + "; the inputs are " + joined(ports.input_names())};
    // No contact or exit button: the member goes, as a merge patch removes one.
    door[key] = port && text.empty() ? json() : json(text);
    change.fields.emplace_back(at + "/" + key, key);
  }
  for (const char* key : {"held_open_s", "grace_s"}) {
    if (const auto* value = fields.typed(key, &json::is_number_integer, "a whole number of seconds")) door[key] = *value;
    change.fields.emplace_back(at + "/" + key, key);
  }
  if (const auto* value = fields.typed("relock_on_close", &json::is_boolean, "true or false")) door["relock_on_close"] = *value;
  change.fields.emplace_back(at + "/relock_on_close", "relock_on_close");
  if (fields.error()) return *fields.error();
  change.patch["doors"][lock] = door;
  return change;
}

AccessResult schedule_change(const json& access_config, const json& form) {
  AccessChange change;
  change.patch = json::object();
  FormSection fields(form);
  if (const auto* profiles = fields.typed("profiles", &json::is_array, "a list of profiles")) {
    json patch = json::object();
    // A profile the list leaves out is removed (null in a merge patch).
    const auto configured = access_config.value("time_profiles", json::object());
    for (const auto& [name, intervals] : configured.items()) patch[name] = nullptr;
    std::set<std::string> seen;
    for (std::size_t k = 0; k < profiles->size(); ++k) {
      const auto& profile = (*profiles)[k];
      const auto field = "profiles." + std::to_string(k);
      if (!profile.is_object()) return FormError{field, "a profile: a name and its intervals"};
      const auto name = profile.value("name", json()).is_string() ? profile["name"].get<std::string>() : std::string();
      if (!profile_name(name)) return FormError{field + ".name", "a name of 1 to 32 letters a-z, digits, _ and -"};
      if (!seen.insert(name).second) return FormError{field + ".name", "another profile has the name " + name + " already"};
      const auto intervals = profile.value("intervals", json());
      if (!intervals.is_array()) return FormError{field + ".intervals", "a list of intervals"};
      patch[name] = intervals;
      const auto at = "/time_profiles/" + name;
      change.fields.emplace_back(at, field);
      for (std::size_t i = 0; i < intervals.size(); ++i)
        for (const char* key : {"", "/days", "/from", "/to"})
          change.fields.emplace_back(at + "/" + std::to_string(i) + key,
                                     field + ".intervals." + std::to_string(i) + (*key ? "." + std::string(key + 1) : ""));
    }
    change.patch["time_profiles"] = patch;
  }
  if (const auto* holidays = fields.typed("holidays", &json::is_array, "a list of dates")) {
    change.patch["holidays"] = *holidays;
    change.fields.emplace_back("/holidays", "holidays");
  }
  if (fields.typed("lockout", &json::is_object, "the lockout's settings")) {
    FormSection lockout(form, "lockout");
    for (const char* key : {"max_failures", "lockout_s"}) {
      if (const auto* number = lockout.typed(key, &json::is_number_integer, "a whole number")) change.patch["lockout"][key] = *number;
      change.fields.emplace_back(std::string("/lockout/") + key, std::string("lockout.") + key);
    }
    if (lockout.error()) return *lockout.error();
  }
  if (fields.error()) return *fields.error();
  return change;
}

}  // namespace intercom::web
