#include <gtest/gtest.h>

#include "linphone_agent.hpp"

namespace intercom::telephony {
namespace {

// What a live configuration change does to the line: an account change registers again, a
// listener change restarts the line. Each field belongs to exactly one of the two.
TEST(LinphoneSettings, EachFieldIsPartOfTheAccountOrOfTheListener) {
  const LinphoneSettings base;
  auto account = base;
  account.password = "new";
  EXPECT_FALSE(account.same_account(base));
  EXPECT_TRUE(account.same_listener(base));
  for (auto change : std::vector<void (*)(LinphoneSettings&)>{
           [](LinphoneSettings& s) { s.registrar = "sip:pbx"; }, [](LinphoneSettings& s) { s.user = "door2"; },
           [](LinphoneSettings& s) { s.domain = "example.org"; }, [](LinphoneSettings& s) { s.expires_s = 60; }}) {
    auto changed = base;
    change(changed);
    EXPECT_FALSE(changed.same_account(base));
    EXPECT_TRUE(changed.same_listener(base));
  }
  for (auto change : std::vector<void (*)(LinphoneSettings&)>{
           [](LinphoneSettings& s) { s.port = 5070; }, [](LinphoneSettings& s) { s.listen_address = "10.0.0.2"; },
           [](LinphoneSettings& s) { s.transport = "tcp"; }, [](LinphoneSettings& s) { s.media_port_min = 41000; },
           [](LinphoneSettings& s) { s.media_port_max = 41100; }, [](LinphoneSettings& s) { s.media_address = "10.0.0.3"; },
           [](LinphoneSettings& s) { s.dtmf_send = "sip-info"; }, [](LinphoneSettings& s) { s.session_expires_s = 0; },
           [](LinphoneSettings& s) { s.data_dir = "/tmp/x"; }}) {
    auto changed = base;
    change(changed);
    EXPECT_TRUE(changed.same_account(base));
    EXPECT_FALSE(changed.same_listener(base));
  }
}

}  // namespace
}  // namespace intercom::telephony
