#include "intercom/bus/inbound.hpp"

#include <algorithm>

#include "intercom/util/strict_json.hpp"
#include "intercom/util/utf8_text.hpp"

namespace intercom {

namespace {

/// A plain-text payload (another program's contract) is checked as the JSON string it would be.
std::variant<nlohmann::json, Rejection> accept_text(const TopicSpec& spec, std::string_view payload, const SchemaSet& schemas) {
  if (!valid_utf8(payload)) return Rejection{"schema", "payload is not UTF-8 text"};  // as every string of the bus must be
  nlohmann::json document = std::string(payload);
  if (auto violation = schemas.validate(std::string(spec.schema), document)) return Rejection{"schema", violation->to_string()};
  return document;
}

}  // namespace

std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    else if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return deepest;
}

std::variant<nlohmann::json, Rejection> accept_inbound(const TopicSpec& spec, std::string_view payload, bool retained,
                                                       const SchemaSet& schemas) {
  if (payload.size() > kMaxPayloadBytes)
    return Rejection{"oversized", "payload of " + std::to_string(payload.size()) + " bytes exceeds the limit of " +
                                      std::to_string(kMaxPayloadBytes)};
  // A retained command would be replayed to us at every reconnect, opening a door long after anyone
  // asked; commands are acted on only when they are sent live.
  if (spec.kind == TopicKind::command && retained)
    return Rejection{"retained-command", "commands must not be retained; clear it with an empty retained message"};
  if (spec.format == PayloadFormat::text) return accept_text(spec, payload, schemas);
  if (nesting_depth(payload) > kMaxNestingDepth)
    return Rejection{"schema", "JSON nested deeper than " + std::to_string(kMaxNestingDepth) + " levels"};
  auto parsed = parse_strict_json(payload);
  if (auto* error = std::get_if<JsonError>(&parsed)) {
    if (error->kind == JsonError::Kind::duplicate_key) return Rejection{"duplicate-key", error->to_string()};
    return Rejection{"not-json", "payload is not valid JSON"};
  }
  auto& document = std::get<nlohmann::json>(parsed);
  if (auto violation = schemas.validate(std::string(spec.schema), document))
    return Rejection{"schema", violation->to_string()};
  return std::move(document);
}

}  // namespace intercom
