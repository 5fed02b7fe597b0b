#pragma once
/// A person the door knows: who they are, which doors they may open and when. Their PINs and cards
/// are kept apart (StoredCredential), as hashes only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "credential_hash.hpp"

namespace intercom::access {

struct AccessUser {
  std::string id;    ///< stable, chosen by whoever enrols: [a-z0-9_.-], 1..64
  std::string name;  ///< as shown and published with a grant
  /// SIP URIs or phone numbers that identify the user on a call (not secret: shown as written).
  std::vector<std::string> callers;
  std::vector<std::string> doors;  ///< the outputs the user may open
  std::optional<std::int64_t> valid_from_ms;   ///< Unix ms; none: since always
  std::optional<std::int64_t> valid_until_ms;  ///< Unix ms, exclusive; none: for ever
  std::string profile;  ///< a time profile's name; empty: at any time
  bool enabled = true;

  bool operator==(const AccessUser&) const = default;
};

/// A PIN or card of a user: its keyed hash, never the value, and a label to tell it by ("blue fob").
struct StoredCredential {
  std::int64_t id = 0;  ///< given by the store
  std::string user_id;
  CredentialKind kind = CredentialKind::pin;
  std::string hash;
  std::string label;

  bool operator==(const StoredCredential&) const = default;
};

}  // namespace intercom::access
