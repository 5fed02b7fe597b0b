#include "dtmf_collector.hpp"

#include <algorithm>

#include "intercom/runtime/timer.hpp"
#include "intercom/util/wildcard.hpp"

namespace intercom::rules {
namespace {

/// Compares without stopping at the first difference, so the time taken says nothing about how
/// many leading digits were right.
bool same_code(const std::string& a, const std::string& b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return difference == 0;
}

}  // namespace

DtmfCollector::DtmfCollector(DtmfSettings settings, std::vector<DtmfCode> codes)
    : settings_(settings), codes_(std::move(codes)) {}

void DtmfCollector::reconfigure(DtmfSettings settings, std::vector<DtmfCode> codes) {
  settings_ = settings;
  codes_ = std::move(codes);
}

void DtmfCollector::set_caller(const std::string& call_id, const std::string& peer) { entries_[call_id].caller = peer; }

std::optional<CodeCheck> DtmfCollector::on_digit(const std::string& call_id, char digit, TimePoint now) {
  auto& entry = entries_[call_id];
  if (digit == '*') {
    entry.digits.clear();
    entry.last_key = now;
    return std::nullopt;
  }
  if (digit == '#') {
    const auto digits = std::exchange(entry.digits, {});
    if (digits.empty()) return std::nullopt;
    return submit(call_id, digits, now);
  }
  entry.digits += digit;
  entry.last_key = now;
  if (entry.digits.size() >= settings_.max_digits) return submit(call_id, std::exchange(entry.digits, {}), now);
  return std::nullopt;
}

std::vector<CodeCheck> DtmfCollector::on_time(TimePoint now) {
  std::vector<CodeCheck> checks;
  for (auto& [call_id, entry] : entries_) {
    if (!entry.digits.empty() && now >= entry.last_key + settings_.inter_digit_timeout)
      checks.push_back(submit(call_id, std::exchange(entry.digits, {}), now));
  }
  if (locked_until_ && now >= *locked_until_) locked_until_.reset();
  return checks;
}

void DtmfCollector::end_call(const std::string& call_id) { entries_.erase(call_id); }

std::optional<TimePoint> DtmfCollector::deadline() const {
  std::optional<TimePoint> next = locked_until_;
  for (const auto& [call_id, entry] : entries_)
    if (!entry.digits.empty()) next = earlier(next, std::optional(entry.last_key + settings_.inter_digit_timeout));
  return next;
}

CodeCheck DtmfCollector::submit(const std::string& call_id, const std::string& digits, TimePoint now) {
  CodeCheck check{.call_id = call_id};
  if (locked_until_ && now >= *locked_until_) locked_until_.reset();
  if (locked_until_) {
    // Locked: refused without looking, even for the right code, and it does not extend the lockout.
    check.result = CodeCheck::Result::locked;
    check.failures = failures_at_lock_;
    check.locked_until = locked_until_;
    return check;
  }
  const auto& caller = entries_[call_id].caller;
  for (const auto& code : codes_) {
    const bool caller_allowed = code.callers.empty() || std::any_of(code.callers.begin(), code.callers.end(), [&](const auto& pattern) {
                                  return wildcard_match(pattern, caller);
                                });
    // Compared even for a caller who may not use it, so the time taken says nothing either way.
    if (same_code(digits, code.code) && caller_allowed) check.rules.push_back(code.rule);
  }
  if (!check.rules.empty()) {
    failures_ = 0;
    check.result = CodeCheck::Result::accepted;
    return check;
  }
  // No rule's code: a user's PIN, if access takes PINs from calls and it looks like one. It counts
  // as wrong until access grants it, so that guessing PINs locks code entry as guessing codes does.
  const bool pin_like = digits.size() >= 4 && digits.size() <= 12 && digits.find_first_not_of("0123456789") == std::string::npos;
  if (!settings_.access_reader.empty() && pin_like) {
    check.result = CodeCheck::Result::forwarded;
    check.pin = digits;
  } else {
    check.result = CodeCheck::Result::rejected;
  }
  check.failures = ++failures_;
  if (failures_ >= settings_.max_failures) {
    locked_until_ = now + settings_.lockout;
    failures_at_lock_ = failures_;
    failures_ = 0;  // after the lockout, a fresh count
    check.locked_until = locked_until_;
  }
  return check;
}

}  // namespace intercom::rules
