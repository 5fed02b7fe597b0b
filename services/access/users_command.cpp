#include "users_command.hpp"

#include <algorithm>

#include "access_directory.hpp"
#include "intercom/util/clock.hpp"
#include "intercom/util/date_time.hpp"

namespace intercom::access {
namespace {

constexpr std::size_t kMinPinDigits = 4;
constexpr std::size_t kMaxPinDigits = 12;

bool all_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string without_leading_zeros(const std::string& digits) {
  const auto first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0" : digits.substr(first);
}

std::optional<std::string> iso_of(const std::optional<std::int64_t>& ms) {
  if (!ms) return std::nullopt;
  return to_iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms)));
}

}  // namespace

CredentialKind credential_kind(const std::string& name) { return name == "card" ? CredentialKind::card : CredentialKind::pin; }

std::string credential_kind_name(CredentialKind kind) { return kind == CredentialKind::card ? "card" : "pin"; }

std::variant<AccessUser, CommandRefusal> read_user(const contract::AccessUserRecord& record, const AccessConfig& config,
                                                   const KnownOutputs& outputs, const std::string& path) {
  AccessUser user{.id = record.id, .name = record.name, .callers = record.callers.value_or(std::vector<std::string>{}),
                  .doors = record.doors.value_or(std::vector<std::string>{}), .valid_from_ms = std::nullopt,
                  .valid_until_ms = std::nullopt, .profile = record.profile.value_or(""), .enabled = record.enabled.value_or(true)};
  for (std::size_t i = 0; i < user.doors.size(); ++i) {
    if (outputs && !outputs->contains(user.doors[i])) {
      std::string list;
      for (const auto& name : *outputs) list += (list.empty() ? "" : ", ") + name;
      return CommandRefusal{path + "/doors/" + std::to_string(i), "no output named " + user.doors[i] + " (gpio has " + list + ")"};
    }
    if (std::count(user.doors.begin(), user.doors.end(), user.doors[i]) > 1)
      return CommandRefusal{path + "/doors/" + std::to_string(i), user.doors[i] + " is named twice"};
  }
  for (std::size_t i = 0; i < user.callers.size(); ++i)
    if (AccessDirectory::normalise_caller(user.callers[i]).empty())
      return CommandRefusal{path + "/callers/" + std::to_string(i),
                            "\"" + user.callers[i] + "\" names nobody: a SIP URI (sip:anna@pbx.local) or a phone number (+4915112345678)"};
  if (!user.profile.empty() && !config.profiles.profiles.contains(user.profile)) {
    std::string list;
    for (const auto& [name, profile] : config.profiles.profiles) list += (list.empty() ? "" : ", ") + name;
    return CommandRefusal{path + "/profile", "no time profile named " + user.profile + " (configured: " + (list.empty() ? "none" : list) + ")"};
  }
  // The schema has checked the form of both times; parse_rfc3339 is the adapter's own check.
  if (record.valid_from) user.valid_from_ms = unix_ms(*parse_rfc3339(*record.valid_from));
  if (record.valid_until) user.valid_until_ms = unix_ms(*parse_rfc3339(*record.valid_until));
  if (user.valid_from_ms && user.valid_until_ms && *user.valid_until_ms <= *user.valid_from_ms)
    return CommandRefusal{path + "/valid_until", "the validity ends before it starts (valid_from)"};
  return user;
}

std::variant<std::string, CommandRefusal> canonical_credential(CredentialKind kind, const std::string& value, const std::string& path) {
  if (kind == CredentialKind::pin) {
    if (!all_digits(value) || value.size() < kMinPinDigits || value.size() > kMaxPinDigits)
      return CommandRefusal{path, "a PIN is " + std::to_string(kMinPinDigits) + " to " + std::to_string(kMaxPinDigits) + " digits"};
    return value;
  }
  const auto separator = value.find_first_of("-:, /");
  const auto facility = separator == std::string::npos ? std::string() : value.substr(0, separator);
  const auto number = separator == std::string::npos ? std::string() : value.substr(separator + 1);
  if (!all_digits(facility) || !all_digits(number) || facility.size() > 10 || number.size() > 20)
    return CommandRefusal{path, "a card is <facility>-<number> in decimal, as printed on most cards (12-34567)"};
  return without_leading_zeros(facility) + "-" + without_leading_zeros(number);
}

contract::AccessUserShown shown(const AccessUser& user, const std::vector<const StoredCredential*>& credentials) {
  contract::AccessUserShown out{.id = user.id, .name = user.name, .callers = user.callers, .doors = user.doors,
                                .valid_from = iso_of(user.valid_from_ms), .valid_until = iso_of(user.valid_until_ms),
                                .profile = user.profile.empty() ? std::nullopt : std::optional<std::string>(user.profile),
                                .enabled = user.enabled, .credentials = {}};
  for (const auto* credential : credentials) out.credentials.push_back({credential->id, credential_kind_name(credential->kind), credential->label});
  return out;
}

}  // namespace intercom::access
