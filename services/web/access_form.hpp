#pragma once
/// The access service's settings the page edits (config/access.json; the users are in its
/// database, not here): the doors it watches, by their lock's output (contact, exit button,
/// held-open time, grace, relock), and when users' credentials open (time profiles, holidays) and
/// how many wrong ones lock a reader. What the page shows, with the schema's defaults filled in,
/// and the merge patch of access's configuration a form becomes; access checks the patched
/// document, and its refusal's path is mapped back onto the form's field. Pure.
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "field_map.hpp"
#include "intercom/contract/gpio_ports.hpp"
#include "linkage_form.hpp"

namespace intercom::web {

/// {"doors": [{"lock","label","contact","exit","held_open_s","grace_s","relock_on_close"}],
///  "profiles": [{"name", "intervals": [{"days","from","to"}]}], "holidays": [...],
///  "lockout": {"max_failures","lockout_s"}}; "contact" and "exit" are "" when not set.
nlohmann::json access_view(const nlohmann::json& access_config);

struct AccessChange {
  nlohmann::json patch;  ///< a merge patch of access's configuration
  FieldMap fields;
  std::string field_of(const std::string& pointer) const { return field_at(fields, pointer); }
};

using AccessResult = std::variant<AccessChange, FormError>;

/// A door's form: {"label","contact","exit","held_open_s","grace_s","relock_on_close"} (a field
/// left out keeps its value; "" for contact or exit: none), or {"remove": true}. The lock is one
/// of gpio's outputs, contact and exit its inputs: another name is refused with those it has. A
/// FormError with no field is about the door itself (no such output, not watched).
AccessResult door_change(const nlohmann::json& access_config, const contract::GpioPorts& ports, const std::string& lock,
                         const nlohmann::json& form);

/// The schedule's form: {"profiles": [{"name", "intervals": [{"days","from","to"}]}],
/// "holidays": ["12-25", "2027-04-02"], "lockout": {"max_failures","lockout_s"}}; a member left out
/// stays as it is. "profiles" is the whole list: a profile not in it is removed. Fields are named
/// "profiles.<k>.name", "profiles.<k>.intervals.<i>.from", "holidays", "lockout.lockout_s".
AccessResult schedule_change(const nlohmann::json& access_config, const nlohmann::json& form);

}  // namespace intercom::web
