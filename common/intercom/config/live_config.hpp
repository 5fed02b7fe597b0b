#pragma once
/// A service's configuration at run time, the same way for every service: read on
/// <root>/<service>/config (retained, secrets redacted), changed with <root>/<service>/config/set (a
/// whole document or a JSON merge patch), answered on <root>/<service>/config/result. A change is
/// validated exactly as the file is at start-up (schema, then the service's own checks), written to
/// the file atomically (the old one kept as <file>.prev), and only then put in force, in place. The
/// file read again (SIGHUP, rules' reload command) takes the same path. A refused change changes
/// nothing and says where and why.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <nlohmann/json.hpp>

#include "intercom/contract/service_payloads.hpp"
#include <spdlog/logger.h>

#include "intercom/bus/bus.hpp"
#include "intercom/config/config.hpp"
#include "intercom/config/config_secrets.hpp"
#include "intercom/contract/schema.hpp"

namespace intercom {

/// Puts a checked configuration in force.
using ApplyConfig = std::function<void()>;
/// A service's own checks of a document that passed its schema: throws ConfigError (ConfigError::at
/// with the JSON pointer) to refuse, changing nothing; otherwise returns the step that applies it.
using PlanConfig = std::function<ApplyConfig(const nlohmann::json& config)>;

/// What became of one change.
struct ConfigOutcome {
  enum class Source { bus, file };
  Source source = Source::bus;
  std::string request_id;
  std::optional<ConfigError> error;  ///< why it was refused; nothing when it is in force
  int revision = 1;                  ///< in force afterwards
  bool changed = false;              ///< accepted and different from what was in force (never on error)
  std::string cause;                 ///< who asked (the config/set's cause); empty when it did not say
  std::vector<std::string> changed_paths;  ///< where it changed, as JSON pointers (never a value)
};

class LiveConfig {
 public:
  /// `in_force` is the validated configuration the service starts with (revision 1).
  LiveConfig(boost::asio::io_context& io, Bus& bus, const SchemaSet& schemas, std::shared_ptr<spdlog::logger> log,
             std::string service, std::filesystem::path file, nlohmann::json in_force);

  /// Called by the service once it can take changes: its secrets and its checks. Until then a change
  /// is refused, saying that this service takes a new configuration only at a restart.
  void accept_changes(std::vector<SecretField> secrets, PlanConfig plan);

  /// Called after every outcome, accepted or refused (rules publishes its reloaded event).
  void on_outcome(std::function<void(const ConfigOutcome&)> handler) { on_outcome_ = std::move(handler); }

  /// Reads the file again and puts it in force through the same checks.
  ConfigOutcome reload_file(const std::string& request_id = "");

  /// A document to put in force (what config/set does, without the bus): for tests and tools.
  ConfigOutcome change(const contract::ConfigSet& command);

  /// Stops waiting for SIGHUP.
  void stop();

  const nlohmann::json& in_force() const { return in_force_; }
  int revision() const { return revision_; }

 private:
  /// Validates, plans, writes the file if asked, applies; false if it is the configuration in force
  /// already (nothing done). Throws ConfigError to refuse, with no secret in it.
  /// Where the document put in force changed the configuration (JSON pointers), or nothing when it
  /// is the configuration in force again.
  using Changes = std::optional<std::vector<std::string>>;
  Changes put_in_force(nlohmann::json document, bool write_file);
  Changes check_and_apply(nlohmann::json document, bool write_file);
  /// Records what put_in_force did in the outcome.
  static void note_changes(ConfigOutcome& outcome, Changes changes);
  ConfigOutcome finish(ConfigOutcome outcome);
  void publish_state();
  void wait_for_sighup();

  Bus& bus_;
  const SchemaSet& schemas_;
  std::shared_ptr<spdlog::logger> log_;
  std::string service_;
  std::filesystem::path file_;
  nlohmann::json in_force_;
  std::string in_force_since_;
  int revision_ = 1;
  std::vector<SecretField> secrets_;
  PlanConfig plan_;
  std::function<void(const ConfigOutcome&)> on_outcome_;
  boost::asio::signal_set sighup_;
  bool stopped_ = false;
};

}  // namespace intercom
