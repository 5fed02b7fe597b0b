#pragma once
/// The page's backup of the whole device configuration, and what restoring one puts in force.
///
/// A backup is each service's configuration in force as the service publishes it: the schema's
/// defaults filled in, no bus section (broker and credentials stay the device's own), and every
/// secret (DTMF codes, the SIP password) as "********". Secrets are never in the file, so it can be
/// kept anywhere; restored, a "********" keeps the secret in force on this device, matched as a
/// live change matches it (a DTMF code by its rule's id). Pure.
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace intercom::web {

/// {"intercom_io_backup":1,"device":…,"created_at":…,"secrets":"not included …","configs":{"gpio":{…},…}}
nlohmann::json make_backup(const std::map<std::string, nlohmann::json>& configs, const std::string& device, const std::string& created_at);

/// One service's document to put in force.
struct RestoreStep {
  std::string service;
  nlohmann::json document;
};

/// Why a file cannot be restored, before anything is sent: where in the file, and why.
struct RestoreRefusal {
  std::string path;
  std::string reason;
};

/// The documents of a backup that differ from the configurations in force, in the order that is
/// safe to apply (gpio's ports before the rules that name them), or why the file is no backup. A
/// service the device does not run (not in `in_force`) is refused: nothing of the file is applied
/// then.
std::variant<std::vector<RestoreStep>, RestoreRefusal> restore_plan(const nlohmann::json& backup,
                                                                    const std::map<std::string, nlohmann::json>& in_force);

}  // namespace intercom::web
