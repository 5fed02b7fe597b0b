#pragma once
/// The page's whole documents: the rules file downloaded and uploaded as it is, and the backup of
/// every service's configuration, downloaded and restored; a restore that a service refuses puts
/// back the configurations it had already changed, so that nothing is left half done.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "backup.hpp"
#include "config_requests.hpp"
#include "config_saves.hpp"
#include "device_model.hpp"
#include "http_types.hpp"
#include "intercom/bus/bus.hpp"

namespace intercom::web {

class DocumentRoutes {
 public:
  DocumentRoutes(Bus& bus, const DeviceModel& model, ConfigRequests& config, ConfigSaves& saves, std::shared_ptr<spdlog::logger> log);

  void download_rules(const Request& request, Respond respond);
  void upload_rules(const Request& request, const std::string& text, Respond respond);
  void download_backup(const Request& request, Respond respond);
  void restore_backup(const Request& request, const nlohmann::json& backup, Respond respond);

 private:
  using json = nlohmann::json;

  void restore_next(unsigned version, std::vector<RestoreStep> steps, std::size_t next, std::map<std::string, json> before,
                    std::vector<std::string> restored, Respond respond);
  void roll_back(std::vector<std::string> services, std::map<std::string, json> before, std::function<void()> done);

  Bus& bus_;
  const DeviceModel& model_;
  ConfigRequests& config_;
  ConfigSaves& saves_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace intercom::web
