#include "intercom/contract/schema.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <span>
#include <stdexcept>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "intercom/util/date_time.hpp"
#include "intercom/util/utf8_prefix.hpp"
#include "intercom/util/utf8_text.hpp"

namespace intercom {
namespace {

constexpr std::string_view kSuffix = ".schema.json";

using JsonPointer = nlohmann::json::json_pointer;

/// valijson reports a path as {"<root>", "[bus]", "[0]", ...}: the reference tokens of a JSON pointer.
std::vector<std::string> context_tokens(const std::vector<std::string>& context) {
  std::vector<std::string> tokens;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
    if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

const nlohmann::json* resolve_local_ref(const nlohmann::json& root, const nlohmann::json& node) {
  if (!node.is_object() || !node.contains("$ref") || !node["$ref"].is_string()) return &node;
  const auto ref = node["$ref"].get<std::string>();
  if (ref.rfind("#", 0) != 0) return &node;
  try {
    return &root.at(nlohmann::json::json_pointer(ref.substr(1)));
  } catch (const nlohmann::json::exception&) {
    return &node;
  }
}

void fill_defaults(const nlohmann::json& root, const nlohmann::json& schema_node, nlohmann::json& value) {
  const auto& schema = *resolve_local_ref(root, schema_node);
  if (!schema.is_object()) return;
  if (value.is_object() && schema.contains("properties")) {
    for (const auto& [key, property_node] : schema["properties"].items()) {
      const auto& property = *resolve_local_ref(root, property_node);
      // A default may stand beside a $ref (our schemas do that) or inside what it points to.
      const auto* with_default = property_node.contains("default") ? &property_node : &property;
      if (!value.contains(key) && with_default->is_object() && with_default->contains("default"))
        value[key] = (*with_default)["default"];
      if (value.contains(key)) fill_defaults(root, property, value[key]);
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (auto& item : value) fill_defaults(root, schema["items"], item);
  }
}

/// Takes every "format" keyword out of a schema document (valijson's own checks throw on a value
/// that is not a string, and cost a std::regex per value) and says whether there was one. Our own
/// check (check_formats) walks properties, items, allOf and local $refs only, so a format anywhere
/// else, or one other than date-time, is refused here rather than left unchecked.
bool strip_formats(nlohmann::json& node, const std::string& where, bool checkable) {
  if (node.is_array()) {
    bool found = false;
    for (std::size_t i = 0; i < node.size(); ++i) found |= strip_formats(node[i], where + "/" + std::to_string(i), checkable);
    return found;
  }
  if (!node.is_object()) return false;
  bool found = false;
  if (auto format = node.find("format"); format != node.end() && format->is_string()) {
    if (*format != "date-time")
      throw std::runtime_error(where + ": format \"" + format->get<std::string>() + "\" is not supported (only date-time)");
    if (!checkable)
      throw std::runtime_error(where + ": a format is checked only under properties, items, allOf and definitions");
    node.erase(format);
    found = true;
  }
  for (auto& [keyword, child] : node.items()) {
    const auto child_where = where + "/" + keyword;
    if (keyword == "properties" || keyword == "definitions" || keyword == "$defs") {
      if (!child.is_object()) continue;
      for (auto& [name, subschema] : child.items()) found |= strip_formats(subschema, child_where + "/" + name, checkable);
    } else if (keyword == "items" || keyword == "allOf") {
      found |= strip_formats(child, child_where, checkable);
    } else if (child.is_object() || child.is_array()) {
      found |= strip_formats(child, child_where, false);
    }
  }
  return found;
}

/// Where a document holds a string or a name that is not UTF-8 text. The bus refuses such payloads
/// before they are parsed, but a document built here from outside text (a CSV cell) must be refused
/// too: valijson counts the characters of a string assuming UTF-8 and reads past its tables on
/// anything else. A name that is not UTF-8 is reported at its object, which can be written.
std::optional<SchemaViolation> first_non_utf8_text(const nlohmann::json& value, const JsonPointer& pointer) {
  if (value.is_string()) {
    if (!valid_utf8(value.get_ref<const std::string&>())) return SchemaViolation{pointer.to_string(), "not UTF-8 text"};
  } else if (value.is_object()) {
    for (const auto& [name, member] : value.items()) {
      if (!valid_utf8(name)) return SchemaViolation{pointer.to_string(), "a name that is not UTF-8 text"};
      if (auto violation = first_non_utf8_text(member, pointer / name)) return violation;
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      if (auto violation = first_non_utf8_text(value[i], pointer / i)) return violation;
  }
  return std::nullopt;
}

/// The first date-time value of a valid document that is not one, walking the schema as
/// strip_formats allows.
std::optional<SchemaViolation> check_formats(const nlohmann::json& root, const nlohmann::json& schema_node,
                                             const nlohmann::json& value, const JsonPointer& pointer) {
  const auto& schema = *resolve_local_ref(root, schema_node);
  if (!schema.is_object()) return std::nullopt;
  if (value.is_string()) {
    const auto format = schema.find("format");
    if (format != schema.end() && *format == "date-time" && !is_rfc3339_date_time(value.get_ref<const std::string&>()))
      return SchemaViolation{pointer.to_string(), "not an RFC 3339 date-time (like 2026-11-24T14:25:03.120Z)"};
  }
  if (const auto properties = schema.find("properties"); value.is_object() && properties != schema.end() && properties->is_object()) {
    for (const auto& [name, subschema] : properties->items()) {
      const auto member = value.find(name);
      if (member == value.end()) continue;
      if (auto violation = check_formats(root, subschema, *member, pointer / name)) return violation;
    }
  }
  if (const auto items = schema.find("items"); value.is_array() && items != schema.end() && items->is_object()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      if (auto violation = check_formats(root, *items, value[i], pointer / i)) return violation;
  }
  if (const auto all_of = schema.find("allOf"); all_of != schema.end() && all_of->is_array()) {
    for (const auto& subschema : *all_of)
      if (auto violation = check_formats(root, subschema, value, pointer)) return violation;
  }
  return std::nullopt;
}

/// Calls visit with every schema node that describes the place the tokens name: through oneOf,
/// anyOf, allOf and local $refs, down properties and items.
void for_each_schema_at(const nlohmann::json& root, const nlohmann::json& schema_node, std::span<const std::string> tokens, int depth,
                        const std::function<void(const nlohmann::json&)>& visit) {
  if (depth > 32) return;  // a $ref cycle
  const auto& schema = *resolve_local_ref(root, schema_node);
  if (!schema.is_object()) return;
  for (const char* branches : {"oneOf", "anyOf", "allOf"})
    if (const auto found = schema.find(branches); found != schema.end() && found->is_array())
      for (const auto& branch : *found) for_each_schema_at(root, branch, tokens, depth + 1, visit);
  if (tokens.empty()) return visit(schema);
  const auto& token = tokens.front();
  if (const auto properties = schema.find("properties"); properties != schema.end() && properties->is_object()) {
    if (const auto property = properties->find(token); property != properties->end())
      for_each_schema_at(root, *property, tokens.subspan(1), depth + 1, visit);
  }
  if (const auto items = schema.find("items"); items != schema.end() && items->is_object() && !token.empty() &&
                                               std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }))
    for_each_schema_at(root, *items, tokens.subspan(1), depth + 1, visit);
}

/// For a value refused by an enum or a const (possibly one per oneOf branch): every value the
/// schema allows at the place the tokens name, so an error can name them.
std::vector<nlohmann::json> allowed_at(const nlohmann::json& schema, std::span<const std::string> tokens) {
  std::vector<nlohmann::json> allowed;
  const auto add = [&](const nlohmann::json& value) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) allowed.push_back(value);
  };
  for_each_schema_at(schema, schema, tokens, 0, [&](const nlohmann::json& node) {
    if (const auto found = node.find("enum"); found != node.end() && found->is_array())
      for (const auto& value : *found) add(value);
    if (const auto found = node.find("const"); found != node.end()) add(*found);
  });
  return allowed;
}

/// For a value refused by a pattern: what the schema says of the form asked for there (the
/// description of the node with the pattern), or the pattern itself. The value is not repeated:
/// it may be a secret (a DTMF code).
std::string form_asked_at(const nlohmann::json& schema, std::span<const std::string> tokens) {
  std::string form;
  for_each_schema_at(schema, schema, tokens, 0, [&](const nlohmann::json& node) {
    const auto pattern = node.find("pattern");
    if (!form.empty() || pattern == node.end() || !pattern->is_string()) return;
    const auto description = node.find("description");
    form = description != node.end() && description->is_string() ? description->get<std::string>()
                                                                  : "text matching " + pattern->get<std::string>();
  });
  return form;
}

}  // namespace

std::string SchemaViolation::to_string() const { return (pointer.empty() ? "/" : pointer) + ": " + message; }

SchemaSet::SchemaSet(SchemaSet&&) noexcept = default;
SchemaSet& SchemaSet::operator=(SchemaSet&&) noexcept = default;
SchemaSet::~SchemaSet() = default;

SchemaSet SchemaSet::load(const std::filesystem::path& directory) {
  if (!std::filesystem::is_directory(directory))
    throw std::runtime_error("schema directory " + directory.string() + " does not exist");
  SchemaSet set;
  set.directory_ = directory;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) {
    const auto path = entry.path().string();
    if (!entry.is_regular_file() || path.size() <= kSuffix.size() || !path.ends_with(kSuffix)) continue;
    auto id = std::filesystem::relative(entry.path(), directory).generic_string();
    id.resize(id.size() - kSuffix.size());
    std::ifstream file(entry.path());
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(file);
    } catch (const nlohmann::json::exception& error) {
      throw std::runtime_error(path + ": not valid JSON: " + error.what());
    }
    auto compiled = std::make_unique<valijson::Schema>();
    try {
      auto without_formats = document;
      if (strip_formats(without_formats, "", true)) set.with_formats_.insert(id);
      valijson::SchemaParser parser;
      valijson::adapters::NlohmannJsonAdapter adapter(without_formats);
      parser.populateSchema(adapter, *compiled);
    } catch (const std::exception& error) {
      throw std::runtime_error(path + ": not a usable JSON Schema: " + error.what());
    }
    set.documents_.emplace(id, std::move(document));
    set.compiled_.emplace(id, std::move(compiled));
  }
  return set;
}

bool SchemaSet::contains(const std::string& id) const { return compiled_.contains(id); }

std::optional<SchemaViolation> SchemaSet::validate(const std::string& id, const nlohmann::json& document) const {
  const auto found = compiled_.find(id);
  if (found == compiled_.end()) throw std::out_of_range("no schema " + id + " in " + directory_.string());
  if (auto violation = first_non_utf8_text(document, JsonPointer{})) return violation;
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  bool conforms = false;
  try {
    conforms = validator.validate(*found->second, target, &results);
  } catch (const std::exception& error) {
    // Not expected once formats are ours, but a validator that throws on some document must turn
    // into a refusal of that document, never into a service that aborts.
    return SchemaViolation{"", std::string("cannot be checked against the schema: ") + error.what()};
  }
  if (conforms) {
    if (!with_formats_.contains(id)) return std::nullopt;
    const auto& schema = documents_.at(id);
    return check_formats(schema, schema, document, JsonPointer{});
  }
  // valijson lists the enclosing failures ("not all of allOf", "failed to validate item #0") before
  // the leaf that caused them; the deepest one is the one a person can act on.
  // In a oneOf whose branches are told apart by a const ("type": "dtmf"), every other branch fails on
  // that const; those failures are noise when the value is one the schema allows there, and the
  // failure of the branch it chose is the one to report (a bad "code", not "dtmf is not allowed").
  const auto is_choice_noise = [&](const valijson::ValidationResults::Error& candidate) {
    if (candidate.description.find("const") == std::string::npos && candidate.description.find("enum") == std::string::npos)
      return false;
    const auto candidate_tokens = context_tokens(candidate.context);
    JsonPointer at;
    for (const auto& token : candidate_tokens) at /= token;
    if (!document.contains(at)) return false;
    const auto allowed = allowed_at(documents_.at(id), candidate_tokens);
    return std::find(allowed.begin(), allowed.end(), document[at]) != allowed.end();
  };
  valijson::ValidationResults::Error error, deepest, deepest_meaningful;
  bool meaningful = false;
  while (results.popError(error)) {
    if (deepest.context.empty() || error.context.size() > deepest.context.size()) deepest = error;
    if (!is_choice_noise(error) && (!meaningful || error.context.size() > deepest_meaningful.context.size())) {
      deepest_meaningful = error;
      meaningful = true;
    }
  }
  if (meaningful) deepest = deepest_meaningful;
  const auto tokens = context_tokens(deepest.context);
  JsonPointer pointer;
  for (const auto& token : tokens) pointer /= token;
  SchemaViolation violation{pointer.to_string(), deepest.description};
  // valijson says "Failed to match against any enum values." or names a 'const' constraint: a person
  // fixing a typo needs to know what is allowed.
  if (violation.message.find("enum") != std::string::npos || violation.message.find("const") != std::string::npos) {
    const auto allowed = allowed_at(documents_.at(id), tokens);
    if (!allowed.empty()) {
      std::string list;
      for (const auto& value : allowed) list += (list.empty() ? "" : ", ") + value.dump();
      std::string given;
      try {
        given = document.at(pointer).dump();
      } catch (const nlohmann::json::exception&) {
      }
      if (given.size() > 60) given = utf8_prefix(given, 57) + "...";
      violation.message = (given.empty() ? "not allowed" : given + " is not allowed") + "; allowed: " + list;
    }
  }
  // valijson says "Failed to match regex specified by 'pattern' constraint.": say which form is asked.
  if (violation.message.find("'pattern'") != std::string::npos) {
    if (const auto form = form_asked_at(documents_.at(id), tokens); !form.empty()) violation.message = "not of the form asked here: " + form;
  }
  return violation;
}

void SchemaSet::apply_defaults(const std::string& id, nlohmann::json& document) const {
  const auto& schema = documents_.at(id);
  fill_defaults(schema, schema, document);
}

}  // namespace intercom
