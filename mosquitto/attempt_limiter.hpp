#pragma once
/// How often one address may try to log in on a listener open to the LAN. A password guesser in a
/// loop is refused before its password is checked once it has made more attempts in the last minute
/// than allowed, until its attempts fall back under the limit; other addresses are not affected, so
/// Home Assistant on its own address keeps its connection. Pure (the caller gives the time), used by
/// the broker plugin and unit-tested.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

namespace intercom::broker {

class AttemptLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kWindow{60};

  /// What became of one attempt.
  struct Verdict {
    bool allowed = true;
    /// Set when this attempt should be reported: the first refusal of an address, then every
    /// `report_every` further ones. Counts the address's refusals so far.
    std::optional<std::uint64_t> report_refused;
  };

  /// `max_per_window`: attempts an address may make within kWindow. `max_addresses`: addresses
  /// remembered; beyond it the one not heard from longest is forgotten (memory stays bounded under
  /// a scan from many addresses).
  AttemptLimiter(std::size_t max_per_window, std::size_t max_addresses = 4096, std::uint64_t report_every = 100);

  Verdict attempt(const std::string& address, Clock::time_point now);
  std::size_t addresses() const { return by_address_.size(); }

 private:
  struct Address {
    std::deque<Clock::time_point> attempts;  ///< within the window, oldest first; at most max+1 kept
    std::uint64_t refused = 0;
    std::list<std::string>::iterator recency;
  };
  std::size_t max_per_window_;
  std::size_t max_addresses_;
  std::uint64_t report_every_;
  std::unordered_map<std::string, Address> by_address_;
  std::list<std::string> recency_;  ///< most recently heard first
};

}  // namespace intercom::broker
