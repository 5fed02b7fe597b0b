#include "client_id_binding.hpp"

#include <gtest/gtest.h>

namespace intercom::broker {
namespace {

const std::vector<std::string> kServices{"gpio", "rules", "telephony", "sms", "web"};

bool allowed(std::string_view user, std::string_view client_id) {
  return !client_id_refusal(kServices, user, client_id).has_value();
}

TEST(ClientIdBinding, AServiceUsesItsOwnIdOnAnyDevice) {
  EXPECT_TRUE(allowed("gpio", "door1-gpio"));
  EXPECT_TRUE(allowed("gpio", "gate-2-gpio"));
  EXPECT_TRUE(allowed("telephony", "d1-telephony"));
}

TEST(ClientIdBinding, NobodyElseMayUseAServicesId) {
  EXPECT_FALSE(allowed("web", "door1-gpio"));
  EXPECT_FALSE(allowed("operator", "door1-gpio"));
  EXPECT_FALSE(allowed("", "door1-gpio"));
  EXPECT_EQ(*client_id_refusal(kServices, "web", "door1-gpio"), "client id door1-gpio belongs to user gpio");
}

TEST(ClientIdBinding, AServiceIsHeldToItsId) {
  EXPECT_FALSE(allowed("gpio", "door1-rules"));
  EXPECT_FALSE(allowed("gpio", "gpio"));  // "-gpio" needs a device in front
  EXPECT_FALSE(allowed("gpio", "probe"));
  EXPECT_EQ(*client_id_refusal(kServices, "gpio", "x"), "user gpio may connect only with a client id ending in -gpio");
}

TEST(ClientIdBinding, OtherUsersAndIdsAreLeftToThePasswordFile) {
  EXPECT_TRUE(allowed("operator", "my-dashboard"));
  EXPECT_TRUE(allowed("operator", "gpio-watcher"));
  EXPECT_TRUE(allowed("homeassistant", "ha"));
}

TEST(ClientIdBinding, TheOptionListsUsers) {
  EXPECT_EQ(parse_service_users(" gpio rules,sms  web "), (std::vector<std::string>{"gpio", "rules", "sms", "web"}));
  EXPECT_TRUE(parse_service_users("").empty());
}

}  // namespace
}  // namespace intercom::broker
