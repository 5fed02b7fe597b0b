// The page in a real browser: headless Chromium (Debian's) driven by tests/browser/page.test.mjs
// (playwright-core from npm), against the real services on a real broker. Screenshots are kept in
// build/screenshots.
#include <regex>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "http_client.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(WebPageTest, AnInstallerSetsUpALinkageAndTestsAnOutputOnADesktopAndAPhone) {
  TestBroker broker;
  BusProbe probe(broker, "probe");
  probe.subscribe("intercom/#");
  GpioProcess gpio(broker, "d1");
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  ServiceProcess telephony(broker, "telephony", "d1", shipped_config("telephony"));
  ServiceProcess sms(broker, "sms", "d1", json::parse(R"({"outbox":{"state_dir":"sms-state"}})"));
  ServiceProcess web(broker, "web", "d1",
                     {{"listen", {{"port", free_loopback_port()}}}, {"credentials_file", "web-password.hash"}, {"hash_cost", "minimum"}});
  for (const auto* service : {"gpio", "rules", "telephony", "sms", "web"})
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", service), 10s)) << service;

  // The first password, through the setup token the log shows.
  std::smatch match;
  const auto log = web.process().log();
  ASSERT_TRUE(std::regex_search(log, match, std::regex("page is at http://127\\.0\\.0\\.1:([0-9]+)/.*\\n.*setup token ([0-9a-f]+)"))) << log;
  const int port = std::stoi(match[1]);
  const std::string origin = "http://127.0.0.1:" + std::to_string(port);
  const auto setup = http_request(port, "POST", "/api/setup", json{{"token", match[2]}, {"password", "gate keeper 2"}}.dump(),
                                  {{"Origin", origin}, {"Content-Type", "application/json"}});
  ASSERT_EQ(setup.status, 200) << setup.body;

  const auto screenshots = std::string(INTERCOM_BUILD_DIR) + "/screenshots";
  ChildProcess browser({"/usr/bin/node", INTERCOM_SOURCE_DIR "/tests/browser/page.test.mjs", "--url", origin + "/", "--password",
                        "gate keeper 2", "--screenshots", screenshots},
                       broker.directory() / "browser.log");
  const auto exit_code = browser.wait_exit(120s);
  ASSERT_TRUE(exit_code) << "the browser test did not finish in 120 s\n" << browser.log();
  EXPECT_EQ(*exit_code, 0) << browser.log() << web.process().log();

  // What the page did reached the services: the code of output 2 is set, the test pulse came from
  // the page.
  const auto rules_config = probe.wait_for(on_topic_where("intercom/d1/rules/config", [](const auto& c) {
    for (const auto& rule : c["config"]["rules"])
      if (rule["id"] == "dtmf-out2" && rule["enabled"] == true) return true;
    return false;
  }));
  EXPECT_TRUE(rules_config) << "the DTMF trigger of out2 is in force";
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s.value("cause", "") == "web:test"; })));
  EXPECT_TRUE(std::filesystem::exists(screenshots + "/phone-live-test-pulse.png"));
}

}  // namespace
}  // namespace intercom::testing
