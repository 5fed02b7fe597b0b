#pragma once
/// The start-up and shut-down every service shares, so that each main.cpp is wiring only.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "intercom/bus/bus.hpp"
#include "intercom/config/live_config.hpp"
#include "intercom/contract/schema.hpp"

namespace intercom {

/// What a service is built from.
struct ServiceContext {
  boost::asio::io_context& io;
  Bus& bus;
  const nlohmann::json& config;  ///< validated, defaults filled in
  const std::filesystem::path& config_file;
  const SchemaSet& schemas;
  std::shared_ptr<spdlog::logger> log;
  /// The configuration at run time: a service that can take changes in place says how
  /// (LiveConfig::accept_changes).
  LiveConfig& live_config;
  /// How the bus was reached (the config's "bus" section and the command line): for a service
  /// that opens a second connection with the same credentials.
  const BusSettings& bus_settings;
};

/// A running service.
class Service {
 public:
  virtual ~Service() = default;
  /// Called on SIGINT/SIGTERM before the bus says offline: put everything in its safe state, then
  /// call done (on the loop).
  virtual void stop(std::function<void()> done) { done(); }
};

struct ServiceDefinition {
  std::string name;         ///< "gpio": the client id suffix, MQTT user, config schema and log name
  std::string description;  ///< one line for --help
};

using ServiceFactory = std::function<std::unique_ptr<Service>(ServiceContext&)>;

/// Parses the command line, loads and validates the config, builds the bus and the service, runs
/// the loop until SIGINT/SIGTERM, and shuts down in order (service safe, offline status, disconnect).
/// Returns the process exit code: 0 after a clean stop, 2 for a usage or config error.
int run_service(int argc, char** argv, const ServiceDefinition& definition, const ServiceFactory& make_service);

/// The bus settings of a validated config's "bus" section, with command-line overrides applied and
/// the password read from its file (relative to the config file). Throws ConfigError.
struct CommonOptions;
BusSettings resolve_bus_settings(const std::string& service, const nlohmann::json& bus_section,
                                 const std::filesystem::path& config_file, const CommonOptions& options);

}  // namespace intercom
