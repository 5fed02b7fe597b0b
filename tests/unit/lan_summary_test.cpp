#include "lan_summary.hpp"

#include <gtest/gtest.h>

namespace intercom::ctl {
namespace {

using nlohmann::json;

TEST(LanSummary, ThePageOverHttpsOnTheLanWithItsFingerprint) {
  const auto text = format_lan({json::object(),
                                json{{"listen", {{"address", "0.0.0.0"}, {"port", 443}}}, {"tls", {{"certificate_file", "c.pem"}}}},
                                std::nullopt, "AB:CD"});
  EXPECT_NE(text.find("page        https on 0.0.0.0:443 (certificate SHA-256 AB:CD)"), std::string::npos) << text;
  EXPECT_NE(text.find("MQTT        off"), std::string::npos) << text;
  EXPECT_NE(text.find("HA bridge   off"), std::string::npos) << text;
}

TEST(LanSummary, TheLanListenerWithItsUsersAndTheBridge) {
  const json lan{{"mqtt", {{"enabled", true}, {"address", "192.0.2.10"}, {"port", 8883}, {"users", {"homeassistant"}}}},
                 {"home_assistant_bridge", {{"enabled", true}, {"address", "ha.local:1883"}, {"username", "intercom"}}}};
  const auto text = format_lan({lan, json{{"listen", {{"address", "127.0.0.1"}, {"port", 8080}}}}, "11:22", std::nullopt});
  EXPECT_NE(text.find("TLS on 192.0.2.10:8883 for homeassistant (certificate SHA-256 11:22)"), std::string::npos) << text;
  EXPECT_NE(text.find("to ha.local:1883 as intercom (plain MQTT)"), std::string::npos) << text;
  EXPECT_NE(text.find("http on 127.0.0.1:8080 (this device only)"), std::string::npos) << text;
}

TEST(LanSummary, PlainTextOnTheLanAndAnUnreadableCertificateAreSaid) {
  const json lan{{"mqtt", {{"enabled", true}, {"tls", false}}}};
  const auto text = format_lan({lan, json{{"listen", {{"address", "0.0.0.0"}, {"port", 80}}}}, std::nullopt, std::nullopt});
  EXPECT_NE(text.find("plain MQTT on 0.0.0.0:1883 for homeassistant, scada (WARNING"), std::string::npos) << text;
  EXPECT_NE(text.find("http on 0.0.0.0:80 (WARNING: plain HTTP on the LAN)"), std::string::npos) << text;
  const auto unreadable = format_lan({json{{"mqtt", {{"enabled", true}}}}, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_NE(unreadable.find("its certificate cannot be read"), std::string::npos) << unreadable;
}

}  // namespace
}  // namespace intercom::ctl
