#include "intercom/schema.hpp"

#include <fstream>
#include <stdexcept>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace intercom {
namespace {

constexpr std::string_view kSuffix = ".schema.json";

/// valijson reports a path as {"<root>", "[bus]", "[0]", ...}; the bus and users read JSON pointers.
std::string to_json_pointer(const std::vector<std::string>& context) {
  std::string pointer;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
    if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
    std::string escaped;
    for (char c : token) {
      if (c == '~') escaped += "~0";
      else if (c == '/') escaped += "~1";
      else escaped += c;
    }
    pointer += "/" + escaped;
  }
  return pointer;
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
      valijson::SchemaParser parser;
      valijson::adapters::NlohmannJsonAdapter adapter(document);
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
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  if (validator.validate(*found->second, target, &results)) return std::nullopt;
  // valijson lists the enclosing failures ("not all of allOf", "failed to validate item #0") before
  // the leaf that caused them; the deepest one is the one a person can act on.
  valijson::ValidationResults::Error error, deepest;
  while (results.popError(error)) {
    if (deepest.context.empty() || error.context.size() > deepest.context.size()) deepest = error;
  }
  return SchemaViolation{to_json_pointer(deepest.context), deepest.description};
}

void SchemaSet::apply_defaults(const std::string& id, nlohmann::json& document) const {
  const auto& schema = documents_.at(id);
  fill_defaults(schema, schema, document);
}

}  // namespace intercom
