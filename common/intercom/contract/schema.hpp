#pragma once
/// JSON Schemas of the bus payloads and config files, compiled once at start-up.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace valijson {
class Schema;
}

namespace intercom {

/// A validation failure: where in the document (a JSON pointer, "" for the root) and what is wrong.
struct SchemaViolation {
  std::string pointer;
  std::string message;
  std::string to_string() const;
};

/// Every "*.schema.json" below a directory, keyed by its relative path without the suffix
/// ("bus/output-command", "config/gpio").
class SchemaSet {
 public:
  /// Throws std::runtime_error naming the file if a schema is not valid JSON or not a usable schema.
  static SchemaSet load(const std::filesystem::path& directory);

  SchemaSet(SchemaSet&&) noexcept;
  SchemaSet& operator=(SchemaSet&&) noexcept;
  ~SchemaSet();

  bool contains(const std::string& id) const;

  /// The first violation of the document against the schema, or nothing if it conforms. Never
  /// throws for any document; throws std::out_of_range for an unknown schema id (a programming
  /// error, not bad input). Formats are checked here, not by valijson (see strip_formats).
  std::optional<SchemaViolation> validate(const std::string& id, const nlohmann::json& document) const;

  /// Fills in the "default" values the schema declares for missing object properties, recursively
  /// through properties, array items and local $refs; the document must already be valid.
  void apply_defaults(const std::string& id, nlohmann::json& document) const;

  const std::filesystem::path& directory() const { return directory_; }

 private:
  SchemaSet() = default;
  std::filesystem::path directory_;
  std::map<std::string, nlohmann::json> documents_;
  std::map<std::string, std::unique_ptr<valijson::Schema>> compiled_;
  std::set<std::string> with_formats_;  ///< ids whose schema has a format that check_formats checks
};

}  // namespace intercom
