#pragma once
/// A real service binary (intercom-gpio, intercom-rules, ...) started against a TestBroker with a
/// config the test writes, as the launcher starts it.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {

/// A shipped default config (config/<service>.json) without its bus section, which tests supply.
nlohmann::json shipped_config(const std::string& service);

/// Two inputs and two outputs on the simulated chip, as the i12's J11/J12 are wired in the guide.
nlohmann::json default_test_gpio_config();

class ServiceProcess {
 public:
  ServiceProcess(const TestBroker& broker, std::string service, std::string device, nlohmann::json config);

  /// Where the binaries are (<build_dir>/services/<name>/intercom-<name>) and what runs them: this
  /// build folder's, run directly, unless a test of another build says otherwise (the arm64 build,
  /// run by qemu-aarch64).
  static void use_binaries(std::string build_dir, std::vector<std::string> runner = {});
  /// The log level of the services started from now on: "debug" (the tests' default, so that a
  /// failure shows all), or "info" as installed (a benchmark measures what runs on a device).
  static void use_log_level(std::string level);

  ChildProcess& process() { return *process_; }
  /// The topic root of this device, "intercom/<device>".
  std::string root() const { return "intercom/" + device_; }
  const std::filesystem::path& config_file() const { return config_file_; }
  /// Writes a new config file (the service reads it on its next start or reload).
  void rewrite_config(const nlohmann::json& config);
  /// Writes text that need not be JSON at all.
  void rewrite_config_text(const std::string& text);
  void restart();

 private:
  void start();
  const TestBroker& broker_;
  std::string service_;
  std::string device_;
  std::filesystem::path config_file_;
  std::filesystem::path log_file_;
  std::unique_ptr<ChildProcess> process_;
};

/// The gpio service with the test's two inputs and two outputs unless told otherwise.
class GpioProcess : public ServiceProcess {
 public:
  GpioProcess(const TestBroker& broker, std::string device, nlohmann::json config = default_test_gpio_config())
      : ServiceProcess(broker, "gpio", std::move(device), std::move(config)) {}
};

}  // namespace intercom::testing
