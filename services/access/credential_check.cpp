#include "credential_check.hpp"

#include <variant>

#include "intercom/util/clock.hpp"
#include "users_command.hpp"

namespace intercom::access {
namespace {

std::string wall_iso(const AccessMoment& now, TimePoint steady_now, TimePoint at) {
  return to_iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(now.wall_ms)) +
                    std::chrono::duration_cast<std::chrono::system_clock::duration>(at - steady_now));
}

}  // namespace

CheckOutcome CredentialCheck::check(const contract::AccessCredential& credential, const ReaderSettings& reader,
                                    const AccessDirectory& directory, const TimeProfiles& profiles, const AccessMoment& now,
                                    TimePoint steady_now) {
  const auto kind = credential_kind(credential.kind);
  const auto at = to_iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(now.wall_ms)));
  CheckOutcome outcome{{.result = "refused", .reason = std::nullopt, .door = reader.door, .credential = credential.kind,
                        .reader = credential.reader, .user_id = std::nullopt, .user = std::nullopt, .failures = 0,
                        .locked_until = std::nullopt, .request_id = std::nullopt, .at = at},
                       std::nullopt};
  auto& event = outcome.event;
  if (const auto until = lockout_.locked_until(credential.reader, steady_now)) {
    lockout_.failed(credential.reader, steady_now);
    event.reason = refusal_name(Refusal::locked_out);
    event.failures = lockout_.failures(credential.reader);
    event.locked_until = wall_iso(now, steady_now, *until);
    return outcome;
  }
  // A value not in the one form it is enrolled in (a 3-digit PIN) is nobody's.
  const auto canonical = canonical_credential(kind, credential.value, "/value");
  const auto* value = std::get_if<std::string>(&canonical);
  const auto match = value ? directory.find(hasher_.hash(kind, *value)) : std::nullopt;
  const auto decision = decide(match ? match->user : nullptr, reader.door, profiles, now);
  if (decision.user) {
    event.user_id = decision.user->id;
    event.user = decision.user->name;
  }
  if (decision.granted()) {
    lockout_.granted(credential.reader);
    event.result = "granted";
    event.request_id = request_prefix_ + "-" + std::to_string(++grants_);
    outcome.open = contract::OutputCommand{.action = "pulse", .duration_ms = std::nullopt, .on_ms = std::nullopt, .off_ms = std::nullopt,
                                           .count = std::nullopt, .cause = "access:" + decision.user->id, .request_id = event.request_id};
    return outcome;
  }
  event.reason = refusal_name(*decision.refusal);
  // Guessing counts, a known credential at the wrong time does not: a card unknown here, or a PIN.
  if (*decision.refusal == Refusal::unknown) {
    if (lockout_.failed(credential.reader, steady_now))
      event.locked_until = wall_iso(now, steady_now, *lockout_.locked_until(credential.reader, steady_now));
  }
  event.failures = lockout_.failures(credential.reader);
  return outcome;
}

}  // namespace intercom::access
