#pragma once
/// The guide's settings on the page: reading them (GET /api/settings: each port's linkages, the
/// messages' trust lists and alarm server, the SIP line) from the configurations in force, and
/// saving a form (a port, the messages, the line, the LAN) as changes to the services' documents;
/// and the test pulse of an output.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "config_saves.hpp"
#include "device_model.hpp"
#include "http_types.hpp"
#include "intercom/bus/bus.hpp"
#include "intercom/contract/schema.hpp"
#include "lan_form.hpp"
#include "access_form.hpp"
#include "linkage_form.hpp"
#include "page_identity.hpp"

namespace intercom::web {

class SettingsRoutes {
 public:
  SettingsRoutes(Bus& bus, const SchemaSet& schemas, const DeviceModel& model, ConfigSaves& saves, LanForm& lan,
                 const PageIdentity& identity, std::shared_ptr<spdlog::logger> log);

  void settings(const Request& request, Respond respond);
  void save_port(const Request& request, const std::string& kind, const std::string& name, const nlohmann::json& form, Respond respond);
  void save_messages(const Request& request, const nlohmann::json& form, Respond respond);
  void save_line(const Request& request, const nlohmann::json& form, Respond respond);
  void save_lan(const Request& request, const nlohmann::json& form, Respond respond);
  /// A door access control watches (access_form's door_change), by its lock's output.
  void save_door(const Request& request, const std::string& lock, const nlohmann::json& form, Respond respond);
  /// The time profiles, holidays and lockout (access_form's schedule_change).
  void save_schedule(const Request& request, const nlohmann::json& form, Respond respond);
  void lan(const Request& request, Respond respond);
  void pulse(const Request& request, const std::string& output, Respond respond);

 private:
  using json = nlohmann::json;

  /// Checks the changed documents against their schemas here first, so that a form wrong in one
  /// of them changes neither; then sends them one after the other (rules first: its own checks
  /// refuse most) and answers with the first refusal, naming the form field it points into.
  void save(const Request& request, LinkageChange change, Respond respond);
  /// Sends a change of access's configuration, or the form's refusal.
  void save_access(unsigned version, AccessResult result, Respond respond);
  /// The aliases of the sms service's configuration in force, or nothing while it is not known.
  std::optional<std::vector<std::string>> sms_aliases() const;
  /// The enabled rules that send a report to this recipient, as a list for a sentence ("" for none).
  std::string rules_reporting_to(const std::string& recipient) const;

  Bus& bus_;
  const SchemaSet& schemas_;
  const DeviceModel& model_;
  ConfigSaves& saves_;
  LanForm& lan_;
  const PageIdentity& identity_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace intercom::web
