#include "sms_change_plan.hpp"

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"

namespace intercom::sms {
namespace {

SmsConfig with_modem() {
  SmsConfig settings;
  settings.trusted_gsm = {"+4915112345678"};
  settings.state_dir = "/var/lib/intercom/sms";
  settings.modem = SerialModemSettings{"/dev/ttyUSB2"};
  return settings;
}

std::string refused_at(const SmsConfig& next) {
  try {
    plan_sms_change(with_modem(), next);
  } catch (const ConfigError& error) {
    return error.pointer();
  }
  return "accepted";
}

TEST(SmsChangePlan, TrustAliasesAndLimitsKeepTheModem) {
  auto next = with_modem();
  next.trusted_gsm = {"+4917600000001"};
  next.aliases = {{"alarm-server", {"+4915199999999"}}};
  next.inbound.rate_limit_messages = 3;
  next.retry.first = std::chrono::seconds(1);
  EXPECT_FALSE(plan_sms_change(with_modem(), next).modem_changed);
}

TEST(SmsChangePlan, AnotherDeviceOrNoModemReplacesTheModem) {
  auto other = with_modem();
  other.modem->device = "/dev/ttyACM0";
  EXPECT_TRUE(plan_sms_change(with_modem(), other).modem_changed);
  auto keepalive = with_modem();
  keepalive.modem->timings.keepalive = std::chrono::seconds(5);
  EXPECT_TRUE(plan_sms_change(with_modem(), keepalive).modem_changed);
  auto none = with_modem();
  none.modem.reset();
  EXPECT_TRUE(plan_sms_change(with_modem(), none).modem_changed);
}

TEST(SmsChangePlan, TheOutboxFolderAndTheSipTransportOnlyAtARestart) {
  auto folder = with_modem();
  folder.state_dir = "/tmp/elsewhere";
  EXPECT_EQ(refused_at(folder), "/outbox/state_dir");
  auto sip = with_modem();
  sip.sip_enabled = false;
  EXPECT_EQ(refused_at(sip), "/sip");
}

}  // namespace
}  // namespace intercom::sms
