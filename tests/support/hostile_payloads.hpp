#pragma once
/// Bad payloads of every kind issue 14 names, made from one valid example of a topic's payload:
/// random bytes, truncated JSON, wrong types, 1e400 and 2^64, 10,000-deep nesting, 1 MB strings,
/// invalid UTF-8, empty, duplicate keys. Each one must be refused by a service, never acted on.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace intercom::testing {

struct HostilePayload {
  std::string kind;
  std::string payload;
};

struct HostileOptions {
  std::size_t count = 200;
  std::uint32_t seed = 1;
  /// An empty payload on a state topic clears the retained state: it is not a bad payload there.
  bool include_empty = true;
  /// How many of the 1 MB payloads (they are slow to send; the rest are small).
  std::size_t large = 2;
};

/// `count` payloads, the kinds in turn, each with some variation from the seed. `example` is an
/// object with at least one member.
std::vector<HostilePayload> hostile_payloads(const nlohmann::json& example, const HostileOptions& options);

}  // namespace intercom::testing
