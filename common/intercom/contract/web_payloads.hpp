#pragma once
/// The web page's login events.
/// One type per payload, next to its topic; schemas/bus/ stays the authority (the bus validates
/// every payload against it), tests/unit/contract_test.cpp keeps the two equal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

/// A login to the web page: let in, refused, or a client blocked after too many (event). The password tried is
/// never published.
struct WebLogin {
  static constexpr const TopicSpec& spec = topic::web_login;
  /// ok | failed | blocked | refused-while-blocked | setup-token-wrong; ok: the right password, a session begun;
  /// failed: a wrong password; blocked: this
  /// failure blocked the client; refused-while-blocked: a try during the block, not checked; setup-token-
  /// wrong: a wrong first-start token
  std::string result;
  std::string client;  ///< the client's address
  std::int64_t failures = 0;  ///< failed logins in a row from this client
  std::optional<std::string> blocked_until;  ///< ISO 8601
  std::string at;  ///< ISO 8601
  bool operator==(const WebLogin&) const = default;
};
void to_json(nlohmann::json& json, const WebLogin& value);
void from_json(const nlohmann::json& json, WebLogin& value);

}  // namespace intercom::contract
