#include "static_files.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace intercom::web {

std::string content_type_of(const std::string& name) {
  const auto extension = std::filesystem::path(name).extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".json") return "application/json";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::filesystem::path& folder) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    const auto name = entry.path().filename().string();
    files_[name] = StaticFile{content_type_of(name), body.str()};
  }
  if (files_.find("index.html") == files_.end())
    throw std::runtime_error("the page's files are not in " + folder.string() + " (no index.html)");
}

const StaticFile* StaticFiles::find(std::string_view target) const {
  const auto query = target.find('?');
  if (query != std::string_view::npos) target = target.substr(0, query);
  if (target == "/") target = "/index.html";
  if (target.size() < 2 || target.front() != '/' || target.find('/', 1) != std::string_view::npos) return nullptr;
  const auto found = files_.find(target.substr(1));
  return found == files_.end() ? nullptr : &found->second;
}

}  // namespace intercom::web
