#pragma once
/// What a users command asks, checked member by member before anything is changed: a user's fields,
/// a credential's value in the one form it is hashed in, and a user as the answers show them. A
/// refusal names the command's member (a JSON pointer) and what it allows. Pure.
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "access_config.hpp"
#include "access_user.hpp"
#include "intercom/contract/access_payloads.hpp"

namespace intercom::access {

struct CommandRefusal {
  std::string path;
  std::string reason;
};

/// The outputs a user's doors must be among: gpio's, once it has said which it has (none: not
/// known yet, any name goes).
using KnownOutputs = std::optional<std::set<std::string>>;

/// The user a command gives (at `path`, "/user" in a command), checked: doors among the outputs,
/// a configured profile, a validity window that ends after it starts, callers that name someone.
std::variant<AccessUser, CommandRefusal> read_user(const contract::AccessUserRecord& record, const AccessConfig& config,
                                                   const KnownOutputs& outputs, const std::string& path);

/// A credential's value as it is hashed: a PIN's 4 to 12 digits; a card's <facility>-<number> in
/// decimal without leading zeros ("012:034567" and "12-34567" are one card). Refused at `path`.
std::variant<std::string, CommandRefusal> canonical_credential(CredentialKind kind, const std::string& value, const std::string& path);

CredentialKind credential_kind(const std::string& name);
std::string credential_kind_name(CredentialKind kind);

/// A user and their credentials as the answers show them: credentials by id, kind and label, never a hash.
contract::AccessUserShown shown(const AccessUser& user, const std::vector<const StoredCredential*>& credentials);

}  // namespace intercom::access
