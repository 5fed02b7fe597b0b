#include "backup.hpp"

#include <algorithm>

namespace intercom::web {
namespace {

using nlohmann::json;

constexpr int kFormat = 1;

/// Ports first, then what names them; the rest as they come.
int restore_rank(const std::string& service) {
  static const std::vector<std::string> order{"gpio", "rules", "sms", "telephony", "discovery", "sparkplug"};
  const auto found = std::find(order.begin(), order.end(), service);
  return found == order.end() ? static_cast<int>(order.size()) : static_cast<int>(found - order.begin());
}

json without_bus(json document) {
  if (document.is_object()) document.erase("bus");
  return document;
}

}  // namespace

json make_backup(const std::map<std::string, json>& configs, const std::string& device, const std::string& created_at) {
  json backup{{"intercom_io_backup", kFormat},
              {"device", device},
              {"created_at", created_at},
              {"secrets", "not included: DTMF codes and passwords are \"********\"; restored, they keep the ones this device has"},
              {"configs", json::object()}};
  for (const auto& [service, config] : configs) backup["configs"][service] = without_bus(config);
  return backup;
}

std::variant<std::vector<RestoreStep>, RestoreRefusal> restore_plan(const json& backup, const std::map<std::string, json>& in_force) {
  if (!backup.is_object() || !backup.contains("intercom_io_backup"))
    return RestoreRefusal{"", "this is not an intercom-io backup (no \"intercom_io_backup\" member): download one from this page"};
  if (backup["intercom_io_backup"] != kFormat)
    return RestoreRefusal{"/intercom_io_backup", "a backup of format " + backup["intercom_io_backup"].dump() + "; this device reads format 1"};
  const auto configs = backup.find("configs");
  if (configs == backup.end() || !configs->is_object() || configs->empty())
    return RestoreRefusal{"/configs", "a backup holds an object of configurations by service"};
  std::vector<RestoreStep> steps;
  for (const auto& [service, document] : configs->items()) {
    const auto where = "/configs/" + service;
    const auto current = in_force.find(service);
    if (current == in_force.end()) {
      std::string known;
      for (const auto& [name, config] : in_force) known += (known.empty() ? "" : ", ") + name;
      return RestoreRefusal{where, "this device runs no " + service + " service now (it has " + known + "): nothing was restored"};
    }
    if (!document.is_object()) return RestoreRefusal{where, "a configuration is a JSON object"};
    if (document.contains("bus"))
      return RestoreRefusal{where + "/bus", "a backup holds no bus section: the broker and credentials stay the device's own"};
    if (document == without_bus(current->second)) continue;
    steps.push_back({service, document});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const RestoreStep& a, const RestoreStep& b) { return restore_rank(a.service) < restore_rank(b.service); });
  return steps;
}

}  // namespace intercom::web
