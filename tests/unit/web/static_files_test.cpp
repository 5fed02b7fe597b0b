#include "static_files.hpp"

#include <fstream>

#include <gtest/gtest.h>

namespace intercom::web {
namespace {

TEST(StaticFiles, ServesTheFilesOfItsFolderByNameOnly) {
  const auto folder = std::filesystem::temp_directory_path() / ("static-files-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder / "sub");
  std::ofstream(folder / "index.html") << "<!doctype html>";
  std::ofstream(folder / "app.js") << "'use strict';";
  std::ofstream(folder / "sub" / "secret.txt") << "no";
  const StaticFiles files(folder);
  ASSERT_NE(files.find("/"), nullptr);
  EXPECT_EQ(files.find("/")->content_type, "text/html; charset=utf-8");
  ASSERT_NE(files.find("/app.js?v=3"), nullptr);
  EXPECT_EQ(files.find("/app.js")->body, "'use strict';");
  EXPECT_EQ(files.find("/sub/secret.txt"), nullptr);
  EXPECT_EQ(files.find("/../etc/passwd"), nullptr);
  EXPECT_EQ(files.find("/%2e%2e/etc/passwd"), nullptr);
  EXPECT_EQ(files.find("/missing.css"), nullptr);
  EXPECT_EQ(files.find(""), nullptr);
  std::filesystem::remove_all(folder);
}

TEST(StaticFiles, AFolderWithoutTheIndexIsAnErrorAtStartUp) {
  EXPECT_THROW(StaticFiles("/nonexistent-folder-of-the-page"), std::runtime_error);
}

TEST(StaticFiles, TheShippedPageIsComplete) {
  const StaticFiles files(INTERCOM_WEB_STATIC_DIR);
  for (const char* name : {"/", "/app.js", "/style.css"}) EXPECT_NE(files.find(name), nullptr) << name;
}

}  // namespace
}  // namespace intercom::web
