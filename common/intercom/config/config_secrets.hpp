#pragma once
/// Secrets in a configuration (DTMF codes, passwords) are write-only: never published, logged or
/// returned. The configuration shown on the bus has each one replaced by kRedacted; a document sent
/// back with kRedacted there, or without the field, keeps the value in force. Pure.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/config/config.hpp"

namespace intercom {

inline constexpr std::string_view kRedacted = "********";

/// Where a secret lives. Either a plain field (`field` is a JSON pointer from the root, `array`
/// empty), or a field inside each element of an array of objects, matched between two documents by
/// their `key` member (rules by their "id"): {"/rules", "id", "/trigger/code"}.
struct SecretField {
  std::string array;  ///< JSON pointer of the array; empty for a plain field
  std::string key;    ///< member that names an element of the array
  std::string field;  ///< JSON pointer of the secret, from the root or from the element
};

/// The document with every secret that is present replaced by kRedacted.
nlohmann::json redact_secrets(nlohmann::json document, const std::vector<SecretField>& secrets);

/// The incoming document with every secret it left out or gave as kRedacted taken from `in_force`
/// (for an array element, from the element with the same key). A secret to keep that has no value in
/// force (a new rule's code given as kRedacted) is refused: throws ConfigError at its path. A field
/// left out is filled only where the element in force had one, so a trigger that changes kind does
/// not inherit a code.
nlohmann::json keep_secrets(nlohmann::json incoming, const nlohmann::json& in_force, const std::vector<SecretField>& secrets);

/// Whether the JSON pointer names a secret, or something inside one.
bool is_secret_pointer(const std::string& pointer, const std::vector<SecretField>& secrets);

/// Whether `text` contains the value of any secret of the document (for tests and log guards).
bool mentions_a_secret(const std::string& text, const nlohmann::json& document, const std::vector<SecretField>& secrets);

}  // namespace intercom
