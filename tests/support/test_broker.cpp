#include "test_broker.hpp"

#include <signal.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace intercom::testing {
namespace {

std::string mosquitto_binary() {
  for (const char* candidate : {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"})
    if (access(candidate, X_OK) == 0) return candidate;
  throw std::runtime_error("mosquitto is not installed (run scripts/setup.sh)");
}

}  // namespace

TemporaryDirectory::TemporaryDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "intercom-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

TestBroker::TestBroker() : TestBroker(std::filesystem::path()) {}

TestBroker::TestBroker(const std::filesystem::path& bridge_file, const std::filesystem::path& lan_file) {
  std::string pattern = (std::filesystem::temp_directory_path() / "intercom-broker-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
  // Another program may take the port between our look and mosquitto's bind: try a few.
  for (int attempt = 0; attempt < 5 && !(process_ && process_->running()); ++attempt) {
    port_ = free_loopback_port();
    const auto bridge = bridge_file.empty() ? std::string() : "INTERCOM_BRIDGE_FILE='" + bridge_file.string() + "' ";
    const auto lan = lan_file.empty() ? std::string() : "INTERCOM_DEVICE=d1 INTERCOM_LAN_FILE='" + lan_file.string() + "' ";
    const auto command = bridge + lan + "INTERCOM_BUILD_DIR='" + INTERCOM_BUILD_DIR + "' bash '" + INTERCOM_SOURCE_DIR + "/scripts/broker-config.sh' '" +
                         directory_.string() + "' " + std::to_string(port_) + " >/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("broker-config.sh failed: " + command);
    start();
  }
  if (!process_ || !process_->running()) throw std::runtime_error("mosquitto did not start: " + log());
}

TestBroker::~TestBroker() {
  process_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::filesystem::path TestBroker::password_file(const std::string& user) const {
  return directory_ / "secrets" / (user + ".password");
}

std::string TestBroker::password(const std::string& user) const {
  std::ifstream file(password_file(user));
  std::string text;
  std::getline(file, text);
  return text;
}

pid_t TestBroker::pid() const { return process_ ? process_->pid() : -1; }

void TestBroker::stop() {
  if (process_) process_->stop();
  process_.reset();
}

void TestBroker::start() {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{mosquitto_binary(), "-c", (directory_ / "mosquitto.conf").string()},
      directory_ / "broker.log");
  ++starts_;
  if (!eventually([&] { return port_accepts(port_) || !process_->running(); }, std::chrono::seconds(10)) ||
      !process_->running()) {
    process_->stop();
  }
}

void TestBroker::pause() {
  if (process_) process_->signal(SIGSTOP);
}

void TestBroker::resume() {
  if (process_) process_->signal(SIGCONT);
}

void TestBroker::wipe_persistence() {
  if (process_) throw std::logic_error("wipe_persistence needs a stopped broker");
  std::filesystem::remove(directory_ / "mosquitto.db");
}

std::string TestBroker::log() const {
  std::ifstream file(directory_ / "broker.log");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace intercom::testing
