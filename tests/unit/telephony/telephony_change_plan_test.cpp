#include "telephony_change_plan.hpp"

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"
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
      with_account({{"registrar", "sip:pbx.local"}, {"user", "door1"}, {"password", "s3cret"}}), "/etc/intercom-io/telephony.json", "door1");
  EXPECT_EQ(inline_password.linphone.password, "s3cret");
  try {
    with_account({{"registrar", "sip:pbx.local"}, {"user", "door1"}, {"password", "s3cret"}, {"password_file", "door1.pw"}});
    ADD_FAILURE() << "both were accepted";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/account");
  }
}

TEST(TelephonyConfigIdentity, TheIntercomIsItsDeviceAtTheAddressItListensOn) {
  EXPECT_EQ(default_sip_identity("door1", "192.0.2.10", 5060, "udp"), "sip:door1@192.0.2.10");
  EXPECT_EQ(default_sip_identity("door1", "192.0.2.10", 5070, "udp"), "sip:door1@192.0.2.10:5070");
  EXPECT_EQ(default_sip_identity("door1", "192.0.2.10", 5061, "tls"), "sips:door1@192.0.2.10");
  EXPECT_EQ(default_sip_identity("door1", "2001:db8::7", 5060, "udp"), "sip:door1@[2001:db8::7]");
  // Everywhere: the SIP stack writes the address of the interface it found (the agent does it).
  EXPECT_EQ(default_sip_identity("door1", "0.0.0.0", 5080, "udp"), "sip:door1@0.0.0.0");
  const auto config = parse_telephony_config(validate_config({{"sip", {{"listen_address", "127.0.0.1"}, {"port", 5072}}}}, testing::shipped_schemas(), "telephony"),
                                             "/etc/intercom-io/telephony.json", "gate");
  EXPECT_EQ(config.linphone.identity, "sip:gate@127.0.0.1:5072");
  const auto given = parse_telephony_config(validate_config({{"sip", {{"identity", "sip:front-door@pbx.example"}}}}, testing::shipped_schemas(), "telephony"),
                                            "/etc/intercom-io/telephony.json", "gate");
  EXPECT_EQ(given.linphone.identity, "sip:front-door@pbx.example");
  EXPECT_THROW(validate_config({{"sip", {{"identity", "front door"}}}}, testing::shipped_schemas(), "telephony"), ConfigError);
}

TEST(TelephonyConfigAudio, TheDefaultsAndAnAnnouncementThatIsNotThere) {
  const auto config = parse_telephony_config(validate_config(nlohmann::json::object(), testing::shipped_schemas(), "telephony"),
                                             "/etc/intercom-io/telephony.json", "door1");
  EXPECT_EQ(config.linphone.audio.capture, "default");
  EXPECT_EQ(config.linphone.audio.codecs, (std::vector<std::string>{"opus", "g722", "pcmu", "pcma"}));
  EXPECT_TRUE(config.linphone.audio.record_dir.empty()) << "no call is recorded unless asked";
  EXPECT_TRUE(config.decline_untrusted_calls);
  try {
    parse_telephony_config(validate_config({{"audio", {{"playback_file", "no-such-announcement.wav"}}}}, testing::shipped_schemas(), "telephony"),
                           "/etc/intercom-io/telephony.json", "door1");
    ADD_FAILURE() << "a missing announcement was accepted";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/audio/playback_file");
  }
  EXPECT_THROW(validate_config({{"audio", {{"codecs", {"pcmu", "mp3"}}}}}, testing::shipped_schemas(), "telephony"), ConfigError);
}

TEST(TelephonyChangePlan, AnotherIdentityOrAudioRestartsTheLine) {
  auto next = linphone_line();
  next.linphone.identity = "sip:gate@192.0.2.10";
  EXPECT_TRUE(plan_telephony_change(linphone_line(), next).listener_changed);
  next = linphone_line();
  next.linphone.audio.codecs = {"pcma"};
  EXPECT_TRUE(plan_telephony_change(linphone_line(), next).listener_changed);
}

}  // namespace
}  // namespace intercom::telephony
