#pragma once
/// JSON as a door must read it: a document whose object repeats a name is refused, not read with
/// the last value winning (RFC 8259 leaves that to the parser; `{"action":1,"action":"pulse"}` must
/// not pulse a lock because one parser keeps the first value and another the last). Pure, no I/O.
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace intercom {

/// Why a text is not a usable JSON document.
struct JsonError {
  enum class Kind { syntax, duplicate_key };
  Kind kind;
  std::string pointer;  ///< JSON pointer of the object holding the repeated name ("" for the root)
  std::string message;  ///< what a person can act on
  std::string to_string() const;
};

/// The parsed document, or why it is not one.
std::variant<nlohmann::json, JsonError> parse_strict_json(std::string_view text);

}  // namespace intercom
