#pragma once
/// Assembles DTMF digits into codes during calls and checks them, with brute-force protection.
/// Pure: time is passed in.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules_config.hpp"

namespace intercom::rules {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

/// The outcome of one submitted code. The digits themselves are not kept in it.
struct CodeCheck {
  enum class Result { accepted, rejected, locked } result = Result::rejected;
  std::string call_id;
  std::vector<std::string> rules;         ///< rules whose code matched (accepted)
  int failures = 0;                       ///< wrong codes in a row, after this one
  std::optional<TimePoint> locked_until;  ///< set while code entry is locked
};

class DtmfCollector {
 public:
  /// codes: (code, rule id) pairs; one code may belong to several rules.
  DtmfCollector(DtmfSettings settings, std::vector<std::pair<std::string, std::string>> codes);

  /// New settings and codes (a reload); the failure count, a running lockout and digits being
  /// entered are kept.
  void reconfigure(DtmfSettings settings, std::vector<std::pair<std::string, std::string>> codes);

  /// One key. '#' submits what was entered; '*' clears it; reaching max_digits submits.
  std::optional<CodeCheck> on_digit(const std::string& call_id, char digit, TimePoint now);

  /// Submits the digits of calls whose inter-digit timeout has passed.
  std::vector<CodeCheck> on_time(TimePoint now);

  /// The call ended: its partial entry is dropped, unsubmitted.
  void end_call(const std::string& call_id);

  std::optional<TimePoint> deadline() const;

 private:
  struct Entry {
    std::string digits;
    TimePoint last_key{};
  };
  CodeCheck submit(const std::string& call_id, const std::string& digits, TimePoint now);

  DtmfSettings settings_;
  std::vector<std::pair<std::string, std::string>> codes_;
  std::map<std::string, Entry> entries_;  ///< by call id
  int failures_ = 0;
  std::optional<TimePoint> locked_until_;
};

}  // namespace intercom::rules
