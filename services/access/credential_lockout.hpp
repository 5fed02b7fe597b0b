#pragma once
/// Brute-force protection for credentials, as the DTMF code entry has it: after max_failures wrong
/// credentials in a row from one source (a keypad, a reader, the calls), that source is locked for
/// lockout_s, even for a right one. A grant resets the count. Pure: time is passed in.
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "intercom/util/clock.hpp"

namespace intercom::access {

struct LockoutSettings {
  int max_failures = 5;
  std::chrono::seconds lockout{30};
};

class CredentialLockout {
 public:
  explicit CredentialLockout(LockoutSettings settings) : settings_(settings) {}
  void reconfigure(LockoutSettings settings) { settings_ = settings; }

  /// Until when the source is locked, if it is now.
  std::optional<TimePoint> locked_until(const std::string& source, TimePoint now) const;
  /// A wrong credential from the source; whether this one locked it.
  bool failed(const std::string& source, TimePoint now);
  void granted(const std::string& source);
  /// The wrong credentials in a row from the source.
  int failures(const std::string& source) const;

 private:
  struct Count {
    int failures = 0;
    std::optional<TimePoint> locked_until;
  };
  LockoutSettings settings_;
  std::map<std::string, Count> counts_;
};

}  // namespace intercom::access
