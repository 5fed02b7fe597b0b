// Writes real files in a temporary folder: the atomic replacement and the kept previous version.
#include "intercom/config/config_file_writer.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"

namespace intercom {
namespace {

std::string read(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

class ConfigFileWriter : public ::testing::Test {
 protected:
  std::filesystem::path folder = std::filesystem::temp_directory_path() /
                                 ("intercom-writer-" + std::to_string(::getpid()) + "-" +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::path file = folder / "rules.json";
  void SetUp() override { std::filesystem::create_directories(folder); }
  void TearDown() override { std::filesystem::remove_all(folder); }
};

TEST_F(ConfigFileWriter, ReplacesTheFileAndKeepsTheOldOneAsPrev) {
  write_config_file(file, {{"rules", nlohmann::json::array()}, {"v", 1}});
  EXPECT_FALSE(std::filesystem::exists(folder / "rules.json.prev")) << "nothing to keep the first time";
  write_config_file(file, {{"rules", nlohmann::json::array()}, {"v", 2}});
  EXPECT_EQ(parse_config_text(read(file))["v"], 2);
  EXPECT_EQ(parse_config_text(read(folder / "rules.json.prev"))["v"], 1);
  EXPECT_FALSE(std::filesystem::exists(folder / "rules.json.new")) << "no temporary file left";
}

TEST_F(ConfigFileWriter, AFolderThatCannotBeWrittenThrowsAndLeavesTheFile) {
  write_config_file(file, {{"v", 1}});
  EXPECT_THROW(write_config_file(folder / "missing" / "rules.json", {{"v", 2}}), std::system_error);
  EXPECT_EQ(parse_config_text(read(file))["v"], 1);
}

}  // namespace
}  // namespace intercom
