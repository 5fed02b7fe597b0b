#pragma once
/// The access service's doors on the bus: each door's contact and exit button (input states) and
/// its lock (output state) fed to its DoorMonitor; the exit button's grant (the lock pulsed, an
/// access event), the alarms (access events, result "alarm") and the door's state (retained on
/// <root>/access/door/<lock>) published; the relock sent when the door has closed.
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "door_monitor.hpp"
#include "intercom/bus/bus.hpp"
#include "intercom/contract/io_payloads.hpp"

namespace spdlog { class logger; }

namespace intercom::access {

class DoorWatch {
 public:
  /// request_prefix: unique per start (see CredentialCheck).
  DoorWatch(Bus& bus, std::shared_ptr<spdlog::logger> log, boost::asio::io_context& io, std::string request_prefix);

  /// The doors in force; at start and at a configuration change. A door whose settings did not
  /// change keeps what it knows; a removed one's retained state is cleared.
  void configure(const std::map<std::string, DoorSettings>& doors);
  void stop();

 private:
  struct Door {
    DoorMonitor monitor;
    std::string since;
  };

  HandlerResult on_input(const Received<contract::InputState>& input);
  HandlerResult on_output(const Received<contract::OutputState>& output);
  void act(Door& door, const DoorOutcome& outcome, const std::string& source);
  void publish_state(const Door& door);
  void arm_timer();

  Bus& bus_;
  std::shared_ptr<spdlog::logger> log_;
  std::string request_prefix_;
  std::chrono::system_clock::time_point started_at_;
  std::uint64_t requests_ = 0;
  std::map<std::string, Door> doors_;  ///< by lock
  std::map<std::string, contract::OutputState> locks_;  ///< the latest state of every output seen
  std::map<std::string, bool> inputs_;  ///< whether each input seen is active, for a door configured after it reported
  boost::asio::steady_timer timer_;
  bool stopping_ = false;
};

}  // namespace intercom::access
