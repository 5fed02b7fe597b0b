#pragma once
/// The real intercom-gpio binary, started against a TestBroker with a config the test writes.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {

/// Two inputs and two outputs on the simulated chip, as the i12's J11/J12 are wired in the guide.
nlohmann::json default_test_gpio_config();

class GpioProcess {
 public:
  GpioProcess(const TestBroker& broker, std::string device, nlohmann::json config = default_test_gpio_config());

  ChildProcess& process() { return *process_; }
  /// The topic root of this device, "intercom/<device>".
  std::string root() const { return "intercom/" + device_; }
  void restart();

 private:
  void start();
  const TestBroker& broker_;
  std::string device_;
  std::filesystem::path config_file_;
  std::filesystem::path log_file_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace intercom::testing
