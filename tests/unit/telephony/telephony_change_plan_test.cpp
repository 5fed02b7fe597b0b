#include "telephony_change_plan.hpp"

#include <gtest/gtest.h>

#include "intercom/config.hpp"
#include "../shipped_schemas.hpp"

namespace intercom::telephony {
namespace {

TelephonyConfig linphone_line() {
  TelephonyConfig config;
  config.backend = "linphone";
  config.linphone.registrar = "sip:pbx.local";
  config.linphone.user = "door1";
  config.auto_answer_allow = {"sip:100@*"};
  return config;
}

TEST(TelephonyChangePlan, TheAutoAnswerListTouchesNeitherTheAccountNorTheListener) {
  auto next = linphone_line();
  next.auto_answer_allow = {"sip:200@*"};
  next.peer_hosts = {"192.0.2.7"};
  const auto plan = plan_telephony_change(linphone_line(), next);
  EXPECT_FALSE(plan.account_changed);
  EXPECT_FALSE(plan.listener_changed);
}

TEST(TelephonyChangePlan, AnAccountChangeRegistersAgainAListenerChangeRestarts) {
  auto account = linphone_line();
  account.linphone.password = "new";
  EXPECT_TRUE(plan_telephony_change(linphone_line(), account).account_changed);
  EXPECT_FALSE(plan_telephony_change(linphone_line(), account).listener_changed);
  auto listener = linphone_line();
  listener.linphone.port = 5070;
  EXPECT_TRUE(plan_telephony_change(linphone_line(), listener).listener_changed);
}

TEST(TelephonyChangePlan, TheSimulatedLineHasNoListenerOrAccountAndTheBackendNeedsARestart) {
  auto simulated = linphone_line();
  simulated.backend = "simulated";
  auto next = simulated;
  next.linphone.port = 5070;
  const auto plan = plan_telephony_change(simulated, next);
  EXPECT_FALSE(plan.listener_changed);
  try {
    plan_telephony_change(linphone_line(), simulated);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/backend");
  }
}

}  // namespace
}  // namespace intercom::telephony

namespace intercom::telephony {
namespace {

nlohmann::json with_account(nlohmann::json account) {
  return validate_config({{"backend", "linphone"}, {"account", std::move(account)}}, testing::shipped_schemas(), "telephony");
}

TEST(TelephonyConfigAccount, ThePasswordIsInTheConfigOrInAFileButNotBoth) {
  const auto inline_password = parse_telephony_config(
      with_account({{"registrar", "sip:pbx.local"}, {"user", "door1"}, {"password", "s3cret"}}), "/etc/intercom-io/telephony.json");
  EXPECT_EQ(inline_password.linphone.password, "s3cret");
  try {
    with_account({{"registrar", "sip:pbx.local"}, {"user", "door1"}, {"password", "s3cret"}, {"password_file", "door1.pw"}});
    ADD_FAILURE() << "both were accepted";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/account");
  }
}

}  // namespace
}  // namespace intercom::telephony
