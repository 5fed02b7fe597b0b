#pragma once
/// The gate every incoming bus message passes before a handler sees it: pure, no I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "intercom/contract/schema.hpp"
#include "intercom/contract/topics.hpp"

namespace intercom {

/// Larger payloads are refused unparsed: nothing on this bus is legitimately that big.
inline constexpr std::size_t kMaxPayloadBytes = 64 * 1024;
/// No payload of the contract nests deeper than a few levels.
inline constexpr std::size_t kMaxNestingDepth = 32;

/// Why a message was not acted on; kind is one of the error schema's kinds.
struct Rejection {
  std::string kind;
  std::string reason;
};

/// What a handler says of a message it was given: nothing when it acted on it (or had nothing to
/// do), or why it refused it; the bus adapter reports a refusal on the service's error topic.
using HandlerResult = std::optional<Rejection>;

/// A refusal of a valid message the service cannot act on (kind "rejected"): an output that does
/// not exist, keys for a call that is not there.
inline Rejection refused(std::string reason) { return Rejection{"rejected", std::move(reason)}; }

/// Deepest bracket nesting outside strings. A 64 KiB payload can nest 30,000 levels, enough to
/// exhaust the stack of a recursive validator, so depth is checked before anything parses it.
std::size_t nesting_depth(std::string_view text);

/// The payload, parsed and conforming to the topic's schema, or why not.
std::variant<nlohmann::json, Rejection> accept_inbound(const TopicSpec& spec, std::string_view payload, bool retained,
                                                       const SchemaSet& schemas);

}  // namespace intercom
