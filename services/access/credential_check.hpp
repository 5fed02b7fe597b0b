#pragma once
/// A credential from a reader, judged: the reader's door, the lockout, the user it belongs to and
/// the decision; the event that says so and, for a grant, the door's pulse. Pure: the users, the
/// key and the time are given.
#include <cstdint>
#include <optional>
#include <string>

#include "access_config.hpp"
#include "access_decision.hpp"
#include "access_directory.hpp"
#include "credential_lockout.hpp"
#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"

namespace intercom::access {

struct CheckOutcome {
  contract::AccessEvent event;
  /// A grant: the command for the door's output.
  std::optional<contract::OutputCommand> open;
};

class CredentialCheck {
 public:
  /// request_prefix: unique per start, so that gpio never takes a grant for a redelivered old one.
  CredentialCheck(const CredentialHasher& hasher, LockoutSettings lockout, std::string request_prefix)
      : hasher_(hasher), lockout_(lockout), request_prefix_(std::move(request_prefix)) {}
  void reconfigure(LockoutSettings lockout) { lockout_.reconfigure(lockout); }

  /// The reader must be one of config's (the caller refuses others).
  CheckOutcome check(const contract::AccessCredential& credential, const ReaderSettings& reader, const AccessDirectory& directory,
                     const TimeProfiles& profiles, const AccessMoment& now, TimePoint steady_now);

 private:
  const CredentialHasher& hasher_;
  CredentialLockout lockout_;
  std::string request_prefix_;
  std::uint64_t grants_ = 0;
};

}  // namespace intercom::access
