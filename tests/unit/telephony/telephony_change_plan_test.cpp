#include "telephony_change_plan.hpp"

#include <gtest/gtest.h>

#include "intercom/config.hpp"

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
