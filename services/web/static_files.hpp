#pragma once
/// The page's files (HTML, CSS, JavaScript, images), read once at start-up from one folder into
/// memory: a request names a file by its name only, so no path can lead out of the folder.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace intercom::web {

struct StaticFile {
  std::string content_type;
  std::string body;
};

class StaticFiles {
 public:
  /// Reads every regular file directly in the folder; throws std::runtime_error if there is none.
  explicit StaticFiles(const std::filesystem::path& folder);
  /// The file a target ("/", "/app.js", "/app.js?v=2") names, or nothing.
  const StaticFile* find(std::string_view target) const;

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

/// The media type of a file name by its extension.
std::string content_type_of(const std::string& name);

}  // namespace intercom::web
