#include "service_process.hpp"

#include <fstream>

namespace intercom::testing {

nlohmann::json shipped_config(const std::string& service) {
  std::ifstream file(std::string(INTERCOM_SOURCE_DIR) + "/config/" + service + ".json");
  auto config = nlohmann::json::parse(file);
  config.erase("bus");
  // The launcher's state folder (../var/<service>) would be outside the test's own directory and
  // shared by every test: each test's service keeps its state beside its config file.
  if (config.contains("state_dir") && config["state_dir"].get<std::string>().rfind("../var/", 0) == 0) config["state_dir"] = service + "-state";
  return config;
}

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

ServiceProcess::ServiceProcess(const TestBroker& broker, std::string service, std::string device, nlohmann::json config)
    : broker_(broker), service_(std::move(service)), device_(std::move(device)) {
  config_file_ = broker.directory() / (service_ + "-" + device_ + ".json");
  log_file_ = broker.directory() / (service_ + "-" + device_ + ".log");
  rewrite_config(config);
  start();
}

void ServiceProcess::rewrite_config(const nlohmann::json& config) { rewrite_config_text(config.dump(2)); }

void ServiceProcess::rewrite_config_text(const std::string& text) { std::ofstream(config_file_) << text; }

namespace {
std::string& binaries_dir() {
  static std::string dir = INTERCOM_BUILD_DIR;
  return dir;
}
std::vector<std::string>& binaries_runner() {
  static std::vector<std::string> runner;
  return runner;
}
std::string& log_level() {
  static std::string level = "debug";
  return level;
}
}  // namespace

void ServiceProcess::use_binaries(std::string build_dir, std::vector<std::string> runner) {
  binaries_dir() = std::move(build_dir);
  binaries_runner() = std::move(runner);
}

void ServiceProcess::use_log_level(std::string level) { log_level() = std::move(level); }

void ServiceProcess::start() {
  auto argv = binaries_runner();
  for (const auto& arg : {binaries_dir() + "/services/" + service_ + "/intercom-" + service_, std::string("--config"), config_file_.string(),
                          std::string("--broker"), broker_.uri(), std::string("--device"), device_, std::string("--password-file"),
                          broker_.password_file(service_).string(), std::string("--log-level"), log_level()})
    argv.push_back(arg);
  process_ = std::make_unique<ChildProcess>(argv, log_file_);
}

void ServiceProcess::restart() {
  process_->stop();
  start();
}

}  // namespace intercom::testing
