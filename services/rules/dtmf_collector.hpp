#pragma once
/// Assembles DTMF digits into codes during calls and checks them, with brute-force protection.
/// Pure: time is passed in.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules_config.hpp"
#include "intercom/util/clock.hpp"

namespace intercom::rules {


/// The outcome of one submitted code. The digits themselves are not kept in it.
struct CodeCheck {
  enum class Result { accepted, rejected, locked, forwarded } result = Result::rejected;
  std::string call_id;
  std::vector<std::string> rules;         ///< rules whose code matched (accepted)
  int failures = 0;                       ///< wrong codes in a row, after this one; while locked, the count that locked it
  std::optional<TimePoint> locked_until;  ///< set while code entry is locked
  /// forwarded: the digits, a user's PIN for the access service (never published but to it).
  std::optional<std::string> pin;
};

/// A code and the rule it belongs to; one code may belong to several rules.
struct DtmfCode {
  std::string code;
  std::string rule;
  /// Callers (SIP URIs, '*' matches any run of characters) who may use it; empty: any caller.
  /// From any other caller the right code is a wrong one, and counts towards the lockout.
  std::vector<std::string> callers;
};

class DtmfCollector {
 public:
  DtmfCollector(DtmfSettings settings, std::vector<DtmfCode> codes);

  /// New settings and codes (a reload); the failure count, a running lockout and digits being
  /// entered are kept.
  void reconfigure(DtmfSettings settings, std::vector<DtmfCode> codes);

  /// Who is on the call (its peer's SIP URI), for codes limited to some callers.
  void set_caller(const std::string& call_id, const std::string& peer);

  /// Whether code entry is locked now (after max_failures wrong codes in a row).
  bool locked(TimePoint now) const { return locked_until_ && now < *locked_until_; }

  /// One key. '#' submits what was entered; '*' clears it; reaching max_digits submits.
  std::optional<CodeCheck> on_digit(const std::string& call_id, char digit, TimePoint now);

  /// Submits the digits of calls whose inter-digit timeout has passed.
  std::vector<CodeCheck> on_time(TimePoint now);

  /// The access service granted a PIN forwarded to it: the wrong codes in a row start again.
  void pin_granted() { failures_ = 0; }

  /// The call ended: its partial entry is dropped, unsubmitted.
  void end_call(const std::string& call_id);

  std::optional<TimePoint> deadline() const;

 private:
  struct Entry {
    std::string digits;
    TimePoint last_key{};
    std::string caller;
  };
  CodeCheck submit(const std::string& call_id, const std::string& digits, TimePoint now);

  DtmfSettings settings_;
  std::vector<DtmfCode> codes_;
  std::map<std::string, Entry> entries_;  ///< by call id
  int failures_ = 0;
  int failures_at_lock_ = 0;  ///< the wrong codes in a row that started the running lockout
  std::optional<TimePoint> locked_until_;
};

}  // namespace intercom::rules
