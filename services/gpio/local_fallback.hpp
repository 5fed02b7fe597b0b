#pragma once
/// The few linkages gpio carries out itself while the door's deciders are away, so that the door
/// still opens from inside and a fire alarm still releases the lock with the broker, the rules or
/// the access service down: the exit button pulses the lock; a release input (a fire alarm)
/// holds it open while it is active. They act only while the bus or the access service is away
/// (otherwise access opens for the exit button, and rules for whatever else); a release the
/// fallback started ends when its input does, whoever is back. Pure.
#include <optional>
#include <string>
#include <vector>

#include "output_logic.hpp"

namespace intercom::gpio {

struct LocalLinkage {
  enum class Kind { exit, release };
  Kind kind = Kind::exit;
  std::string input;
  std::string output;
  bool operator==(const LocalLinkage&) const = default;
};

std::string_view to_string(LocalLinkage::Kind kind);

/// The cause an output takes from a local linkage ("local:exit", "local:release").
std::string local_cause(LocalLinkage::Kind kind);

struct LocalAction {
  const LocalLinkage* linkage = nullptr;
  OutputCommand command;
  /// Apply only while the output's cause is still this one (a release ends only what it started).
  std::optional<std::string> only_if_cause;
};

class LocalFallback {
 public:
  explicit LocalFallback(std::vector<LocalLinkage> linkages = {});
  /// New linkages (a configuration change); what it knows of the bus and access stays.
  void reconfigure(std::vector<LocalLinkage> linkages) { linkages_ = std::move(linkages); }

  void set_bus_connected(bool connected) { bus_connected_ = connected; }
  /// The access service's status: online or not; unknown (never heard) counts as away.
  void set_access_online(bool online) { access_online_ = online; }
  bool access_online() const { return access_online_; }
  bool in_force() const { return !bus_connected_ || !access_online_; }
  /// Why the fallback is in force, for the report: "the bus is away", "the access service is offline".
  std::string why() const;

  /// An input's new state: the commands gpio gives its outputs itself.
  std::vector<LocalAction> on_input(const std::string& input, bool active) const;

  const std::vector<LocalLinkage>& linkages() const { return linkages_; }

 private:
  std::vector<LocalLinkage> linkages_;
  bool bus_connected_ = false;
  bool access_online_ = false;
};

}  // namespace intercom::gpio
