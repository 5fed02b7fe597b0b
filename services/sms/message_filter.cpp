#include "message_filter.hpp"

#include "intercom/wildcard.hpp"

#include <algorithm>
#include <cctype>

namespace intercom::sms {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

ParsedText parse_text(std::string_view text) {
  ParsedText result;
  const auto trimmed = trim(text);
  const auto equals = trimmed.find('=');
  if (equals == std::string_view::npos) return result;
  const auto keyword = trim(trimmed.substr(0, equals));
  if (keyword.size() != 5 || !std::equal(keyword.begin(), keyword.end(), "ALERT", [](char a, char b) {
        return std::toupper(static_cast<unsigned char>(a)) == b;
      }))
    return result;
  const auto message = trim(trimmed.substr(equals + 1));
  if (message.empty()) {
    result.problem = "empty alert";
    return result;
  }
  if (message.size() > kMaxAlertLength) {
    result.problem = "alert longer than " + std::to_string(kMaxAlertLength) + " characters";
    return result;
  }
  if (std::any_of(message.begin(), message.end(), [](char c) { return std::iscntrl(static_cast<unsigned char>(c)); })) {
    result.problem = "alert with control characters";
    return result;
  }
  std::string alert(message);
  std::transform(alert.begin(), alert.end(), alert.begin(), [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  result.alert = std::move(alert);
  return result;
}

std::optional<std::string> normalize_e164(std::string_view number) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    if (c == '+' && digits.empty() && !plus) plus = true;
    else if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/') continue;
    else return std::nullopt;
  }
  if (!plus) {
    if (digits.rfind("00", 0) != 0) return std::nullopt;  // a national number: its country is unknown
    digits.erase(0, 2);
  }
  // E.164: a country code that does not start with 0, at most 15 digits in all.
  if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') return std::nullopt;
  return "+" + digits;
}

std::optional<Address> classify_address(std::string_view address) {
  if (address.rfind("sip:", 0) == 0 || address.rfind("sips:", 0) == 0) {
    if (address.find_first_of(" \t\r\n") != std::string_view::npos || address.find(':') + 1 == address.size())
      return std::nullopt;
    return Address{"sip", std::string(address)};
  }
  if (address.rfind("tel:", 0) == 0) address.remove_prefix(4);
  if (auto number = normalize_e164(address)) return Address{"gsm", *number};
  return std::nullopt;
}

TrustList::TrustList(std::vector<std::string> sip_patterns, std::vector<std::string> gsm_numbers)
    : sip_patterns_(std::move(sip_patterns)) {
  for (const auto& number : gsm_numbers)
    if (auto normalized = normalize_e164(number)) gsm_numbers_.push_back(*normalized);
}

bool TrustList::trusted(std::string_view transport, std::string_view sender) const {
  if (transport == "sip")
    return std::any_of(sip_patterns_.begin(), sip_patterns_.end(),
                       [&](const std::string& pattern) { return wildcard_match(pattern, sender); });
  if (transport == "gsm") {
    const auto normalized = normalize_e164(sender);
    return normalized && std::find(gsm_numbers_.begin(), gsm_numbers_.end(), *normalized) != gsm_numbers_.end();
  }
  return false;
}

bool RateLimiter::allow(const std::string& sender, TimePoint now) {
  auto& times = recent_[sender];
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
  if (times.size() >= limit_) return false;
  times.push_back(now);
  return true;
}

bool DuplicateFilter::first_time(const std::string& sender, const std::string& text,
                                 std::chrono::system_clock::time_point sent_at, TimePoint now) {
  // Forget old entries as we go, so the map stays as small as the window's traffic.
  std::erase_if(seen_, [&](const auto& entry) { return now - entry.second >= window_; });
  const auto key = sender + '\n' + text + '\n' + std::to_string(sent_at.time_since_epoch().count());
  const auto [it, inserted] = seen_.emplace(key, now);
  if (!inserted) it->second = now;  // a repeat keeps the window open
  return inserted;
}

InboundFilter::InboundFilter(InboundSettings settings, TrustList trust)
    : settings_(settings),
      trust_(std::move(trust)),
      rate_(settings.rate_limit_messages, settings.rate_limit_window),
      duplicates_(settings.duplicate_window) {}

InboundVerdict InboundFilter::judge(const IncomingText& text, TimePoint now, std::chrono::system_clock::time_point wall_now) {
  InboundVerdict verdict;
  verdict.sender = text.from;
  if (text.transport == "gsm")
    if (auto number = normalize_e164(text.from)) verdict.sender = *number;
  using Action = InboundVerdict::Action;
  if (settings_.duplicate_window.count() > 0 && text.transport == "gsm" && text.sent_at &&
      !duplicates_.first_time(verdict.sender, text.text, *text.sent_at, now)) {
    verdict.action = Action::duplicate;
    verdict.reason = "a second copy of the message from " + verdict.sender +
                     " with the same service-centre time stamp: dropped, it was acted on once";
    return verdict;
  }
  if (!rate_.allow(text.transport + ':' + verdict.sender, now)) {
    verdict.action = Action::rate_limited;
    verdict.reason = "more than " + std::to_string(settings_.rate_limit_messages) + " messages from " + verdict.sender +
                     " within " + std::to_string(settings_.rate_limit_window.count()) + " s: dropped";
    return verdict;
  }
  if (settings_.max_age.count() > 0 && text.sent_at && wall_now - *text.sent_at > settings_.max_age) {
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(wall_now - *text.sent_at).count();
    verdict.action = Action::too_old;
    verdict.reason = "message from " + verdict.sender + " sent " + std::to_string(age) + " s ago (max_age_s " +
                     std::to_string(settings_.max_age.count()) + "): not acted on";
    return verdict;
  }
  verdict.parsed = parse_text(text.text);
  const bool listed = trust_.trusted(text.transport, verdict.sender);
  verdict.trusted = listed && text.untrusted_origin.empty();
  if (!listed)
    verdict.untrusted_reason = verdict.sender + " is not on the trust list for " + text.transport;
  else if (!verdict.trusted)
    verdict.untrusted_reason = verdict.sender + " is on the trust list, but " + text.untrusted_origin;
  return verdict;
}

}  // namespace intercom::sms
