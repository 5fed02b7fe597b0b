#include "gpio_process.hpp"

#include <fstream>

namespace intercom::testing {

nlohmann::json default_test_gpio_config() {
  return nlohmann::json::parse(R"({
    "backend": "simulated",
    "inputs": [
      {"name": "in1", "label": "Door contact", "line": {"chip": "sim", "offset": 0}, "trigger": "low", "debounce_ms": 20},
      {"name": "in2", "label": "Emergency button", "line": {"chip": "sim", "offset": 1}, "trigger": "high", "debounce_ms": 20}
    ],
    "outputs": [
      {"name": "out1", "label": "Electric lock", "line": {"chip": "sim", "offset": 8}, "level": "NO", "pulse_ms": 400},
      {"name": "out2", "label": "Alarm light", "line": {"chip": "sim", "offset": 9}, "level": "NC", "max_on_ms": 60000}
    ]
  })");
}

GpioProcess::GpioProcess(const TestBroker& broker, std::string device, nlohmann::json config)
    : broker_(broker), device_(std::move(device)) {
  config_file_ = broker.directory() / ("gpio-" + device_ + ".json");
  log_file_ = broker.directory() / ("gpio-" + device_ + ".log");
  std::ofstream(config_file_) << config.dump(2);
  start();
}

void GpioProcess::start() {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{INTERCOM_GPIO_BINARY, "--config", config_file_.string(), "--broker", broker_.uri(),
                               "--device", device_, "--password-file", broker_.password_file("gpio").string(),
                               "--log-level", "debug"},
      log_file_);
}

void GpioProcess::restart() {
  process_->stop();
  start();
}

}  // namespace intercom::testing
