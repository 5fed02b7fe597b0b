#pragma once
/// A real mosquitto on a free loopback port, configured exactly as the launcher configures it
/// (mosquitto/mosquitto.conf.in, the ACL file, a password per user), in a temporary directory.
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

#include "child_process.hpp"

namespace intercom::testing {

class TestBroker {
 public:
  TestBroker();
  /// With a bridge to a fleet's central service (a config/fleet/bridge.json of the test's), and with
  /// what a config/lan.json of the test's opens to the LAN (its reports for device "d1").
  explicit TestBroker(const std::filesystem::path& bridge_file, const std::filesystem::path& lan_file = {});
  ~TestBroker();

  int port() const { return port_; }
  /// The running mosquitto's process id (-1 while stopped).
  pid_t pid() const;
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& directory() const { return directory_; }
  std::filesystem::path password_file(const std::string& user) const;
  std::string password(const std::string& user) const;

  /// Stops the broker (SIGTERM: it saves its persistence file) and waits for it.
  void stop();
  /// Starts it again on the same port.
  void start();
  /// Freezes the broker (SIGSTOP): its connections stay open, it reads and acknowledges nothing.
  void pause();
  /// Lets a paused broker run on (SIGCONT).
  void resume();
  /// While stopped: forgets every retained message and session, as a broker replaced by a new one would.
  void wipe_persistence();
  std::string log() const;

 private:
  std::filesystem::path directory_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  int starts_ = 0;
};

/// A fresh directory under the system's temporary directory, removed by its destructor.
class TemporaryDirectory {
 public:
  TemporaryDirectory();
  ~TemporaryDirectory();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace intercom::testing
