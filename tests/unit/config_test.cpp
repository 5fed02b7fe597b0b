#include "intercom/config/config.hpp"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "intercom/runtime/cli.hpp"
#include "shipped_schemas.hpp"
#include "intercom/runtime/service.hpp"

namespace intercom {
namespace {

class Config : public ::testing::Test {
 protected:
  const SchemaSet* schemas = &testing::shipped_schemas();

  std::filesystem::path write(const std::string& text, const std::string& name = "gpio.json") {
    const auto path = directory / name;
    std::ofstream(path) << text;
    return path;
  }
  std::string error_of(const std::string& text) {
    try {
      load_config(write(text), *schemas, "gpio");
    } catch (const ConfigError& error) {
      return error.what();
    }
    return "no error";
  }
  void SetUp() override {
    directory = std::filesystem::temp_directory_path() / ("intercom-config-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory);
  }
  void TearDown() override { std::filesystem::remove_all(directory); }
  std::filesystem::path directory;
};

TEST_F(Config, EveryShippedConfigIsValid) {
  for (const auto& entry : std::filesystem::directory_iterator(INTERCOM_SOURCE_DIR "/config")) {
    if (entry.path().extension() != ".json") continue;
    const auto service = entry.path().stem().string();
    EXPECT_NO_THROW(load_config(entry.path(), *schemas, service)) << entry.path();
  }
}

TEST_F(Config, ErrorsNameTheFileAndTheJsonPath) {
  const auto error = error_of(R"({"backend":"simulated","inputs":[{"name":"in1","line":{"chip":"c","offset":0},"trigger":"sideways"}]})");
  EXPECT_NE(error.find("gpio.json"), std::string::npos) << error;
  EXPECT_NE(error.find("/inputs/0/trigger"), std::string::npos) << error;
}

// Field use: a typo in a trigger type said only "Failed to match expected value set by 'const'
// constraint". Errors for enumerations and one-of choices name what is allowed.
TEST_F(Config, AnEnumerationErrorNamesTheAllowedValues) {
  const auto error = error_of(R"({"backend":"simulated","inputs":[{"name":"in1","line":{"chip":"c","offset":0},"trigger":"sideways"}]})");
  EXPECT_NE(error.find(R"("sideways" is not allowed; allowed: "high", "low")"), std::string::npos) << error;
}

TEST_F(Config, AOneOfChoiceErrorNamesEveryAllowedValue) {
  std::string error = "no error";
  try {
    load_config(write(R"({"rules":[{"id":"a","trigger":{"type":"whlie_input","input":"in1"},"actions":[]}]})", "rules.json"),
                *schemas, "rules");
  } catch (const ConfigError& caught) {
    error = caught.what();
  }
  EXPECT_NE(error.find("/rules/0/trigger/type"), std::string::npos) << error;
  for (const char* type : {"\"input\"", "\"while_input\"", "\"message\"", "\"dtmf\"", "\"call\"", "\"while_call\""})
    EXPECT_NE(error.find(type), std::string::npos) << error;
}

TEST_F(Config, BusSectionErrorsNameTheirPathToo) {
  const auto error = error_of(R"({"backend":"simulated","bus":{"broker":"http://x"}})");
  EXPECT_NE(error.find("/bus/broker"), std::string::npos) << error;
}

TEST_F(Config, NotJsonIsNamed) {
  const auto error = error_of("{ backend: simulated");
  EXPECT_NE(error.find("gpio.json"), std::string::npos);
  EXPECT_NE(error.find("not valid JSON"), std::string::npos);
}

TEST_F(Config, ARepeatedNameIsAnErrorWithItsPath) {
  const auto error = error_of(
      R"({"backend":"simulated","inputs":[{"name":"in1","line":{"chip":"c","offset":0},"trigger":"low","trigger":"high"}]})");
  EXPECT_NE(error.find("gpio.json"), std::string::npos) << error;
  EXPECT_NE(error.find("/inputs/0"), std::string::npos) << error;
  EXPECT_NE(error.find("\"trigger\""), std::string::npos) << error;
}

TEST_F(Config, FillsDefaultsFromTheSchema) {
  const auto config = load_config(
      write(R"({"backend":"simulated","outputs":[{"name":"out1","line":{"chip":"c","offset":1}}]})"), *schemas, "gpio");
  EXPECT_EQ(config["outputs"][0]["pulse_ms"], 5000);
  EXPECT_EQ(config["outputs"][0]["level"], "NO");
  EXPECT_EQ(config["outputs"][0]["retrigger"], "restart");
  EXPECT_EQ(config["inputs"], nlohmann::json::array());
  EXPECT_EQ(config["bus"]["broker"], "tcp://127.0.0.1:1883");
  EXPECT_EQ(config["bus"]["session_expiry_s"], 3600);
  EXPECT_EQ(config["bus"]["device"], "intercom");  // a default beside a $ref
}

TEST_F(Config, CommandLineOverridesTheFileAndThePasswordFileIsRelativeToIt) {
  write("s3cret\n", "gpio.password");
  const auto file = write(R"({"backend":"simulated","bus":{"device":"door7","password_file":"gpio.password"}})");
  const auto config = load_config(file, *schemas, "gpio");
  CommonOptions options;
  options.broker = "tcp://127.0.0.1:2883";
  const auto settings = resolve_bus_settings("gpio", config["bus"], file, options);
  EXPECT_EQ(settings.broker_uri, "tcp://127.0.0.1:2883");
  EXPECT_EQ(settings.device, "door7");
  EXPECT_EQ(settings.username, "gpio");
  EXPECT_EQ(settings.password, "s3cret");
}

TEST_F(Config, AMissingPasswordFileIsAConfigError) {
  const auto file = write(R"({"backend":"simulated","bus":{"password_file":"missing.password"}})");
  const auto config = load_config(file, *schemas, "gpio");
  EXPECT_THROW(resolve_bus_settings("gpio", config["bus"], file, CommonOptions{}), ConfigError);
}

}  // namespace
}  // namespace intercom

namespace intercom {
namespace {

ConfigError refusal_of(const nlohmann::json& document, const std::string& schema_id) {
  try {
    validate_config(document, testing::shipped_schemas(), schema_id);
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted: " << document.dump();
  return ConfigError("");
}

// In a oneOf told apart by "type", the branch the value chose names the error, not the others' const.
TEST(ValidateConfig, TheChosenBranchOfAOneOfNamesTheError) {
  const auto bad_code = refusal_of(nlohmann::json::parse(R"({"rules":[{"id":"x","trigger":{"type":"dtmf","code":"12#9"},
      "actions":[{"output":"out1","action":"on"}]}]})"), "rules");
  EXPECT_EQ(bad_code.pointer(), "/rules/0/trigger/code") << bad_code.what();
  EXPECT_TRUE(bad_code.file().empty());
  const auto typo = refusal_of(nlohmann::json::parse(R"({"rules":[{"id":"x","trigger":{"type":"dtfm","code":"1234"},
      "actions":[{"output":"out1","action":"on"}]}]})"), "rules");
  EXPECT_EQ(typo.pointer(), "/rules/0/trigger/type") << typo.what();
  EXPECT_NE(typo.reason().find("\"dtmf\""), std::string::npos) << "names what is allowed: " << typo.reason();
  const auto bus = refusal_of(nlohmann::json::parse(R"({"bus":{"keep_alive_s":"x"}})"), "rules");
  EXPECT_EQ(bus.pointer(), "/bus/keep_alive_s") << bus.what();
}

}  // namespace
}  // namespace intercom
