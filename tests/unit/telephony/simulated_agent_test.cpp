#include "simulated_agent.hpp"

#include <gtest/gtest.h>

namespace intercom::telephony {
namespace {

/// Runs what the agent posted and lists what it reported, as "<kind> <call id> <detail>".
struct AgentFixture : ::testing::Test {
  boost::asio::io_context io;
  SimulatedAgent agent{io};
  std::vector<std::string> events;

  void SetUp() override {
    SipAgent::Handlers handlers;
    static const char* const kKinds[] = {"incoming", "outgoing", "connected", "ended"};
    handlers.on_call = [this](const CallEvent& e) {
      events.push_back(std::string(kKinds[static_cast<int>(e.kind)]) + " " + e.call_id + " " + e.peer);
    };
    handlers.on_dtmf = [this](const std::string& id, char digit, DtmfSource) { events.push_back("dtmf " + id + " " + digit); };
    handlers.on_message = [this](const std::string& from, const std::string& text, const std::string& via) {
      events.push_back("message " + from + " " + text + " via " + via.substr(0, 21));
    };
    handlers.on_message_result = [this](const std::string& token, bool delivered, const std::string&) {
      events.push_back("result " + token + (delivered ? " delivered" : " failed"));
    };
    handlers.on_registration = [this](RegistrationState state, const std::string&) { events.push_back("registration " + std::string(to_string(state))); };
    agent.start(handlers);
    run();
    events.clear();
  }
  std::vector<std::string> run() {
    io.restart();
    io.poll();
    return std::exchange(events, {});
  }
};

TEST_F(AgentFixture, ACallRingsIsAnsweredCarriesKeysAndEnds) {
  const auto id = std::get<std::string>(agent.far_end_rings("sip:100@pbx.local"));
  EXPECT_TRUE(events.empty()) << "reported later, on the loop, as liblinphone does";
  EXPECT_EQ(run(), std::vector<std::string>{"incoming " + id + " sip:100@pbx.local"});
  EXPECT_EQ(agent.far_end_sends_dtmf("", "1")->reason, "call " + id + " is not talking: keys go nowhere");
  EXPECT_FALSE(agent.answer(id));
  EXPECT_EQ(run(), std::vector<std::string>{"connected " + id + " sip:100@pbx.local"});
  agent.far_end_sends_dtmf("", "12#");
  EXPECT_EQ(run(), (std::vector<std::string>{"dtmf " + id + " 1", "dtmf " + id + " 2", "dtmf " + id + " #"}));
  agent.far_end_hangs_up(id);
  EXPECT_EQ(run(), std::vector<std::string>{"ended " + id + " sip:100@pbx.local"});
  EXPECT_EQ(agent.hangup(id)->reason, "no call " + id);
}

TEST_F(AgentFixture, AnOutgoingCallIsAnsweredByTheFarEnd) {
  const auto id = std::get<std::string>(agent.dial("sip:security@pbx.local"));
  EXPECT_EQ(run(), std::vector<std::string>{"outgoing " + id + " sip:security@pbx.local"});
  EXPECT_TRUE(agent.answer(id)) << "the intercom cannot answer its own call";
  agent.far_end_answers("");
  EXPECT_EQ(run(), std::vector<std::string>{"connected " + id + " sip:security@pbx.local"});
  agent.send_dtmf(id, "5");
  EXPECT_EQ(agent.dtmf_sent(), "5");
  agent.hangup(id);
  EXPECT_EQ(run(), std::vector<std::string>{"ended " + id + " sip:security@pbx.local"});
  EXPECT_TRUE(std::holds_alternative<Refusal>(agent.dial("+4915112345678")));
}

TEST_F(AgentFixture, MessagesBothWays) {
  agent.far_end_sends_message("sip:alarm-server@127.0.0.1", "ALERT=OUT1_SOS");
  EXPECT_EQ(run(), std::vector<std::string>{"message sip:alarm-server@127.0.0.1 ALERT=OUT1_SOS via SIP/2.0/UDP 127.0.0.1"});
  agent.send_message("sip:alarm@pbx.local", "ALERT=IN1_ACTIVE", "r-1|sip:alarm@pbx.local");
  EXPECT_EQ(run(), std::vector<std::string>{"result r-1|sip:alarm@pbx.local delivered"});
  EXPECT_TRUE(agent.far_end_sends_message("alarm", "x"));
}

TEST_F(AgentFixture, NothingIsReportedAfterStop) {
  agent.far_end_rings("sip:100@pbx.local");
  bool stopped = false;
  agent.stop([&] { stopped = true; });
  EXPECT_FALSE(stopped) << "done comes later, on the loop";
  EXPECT_TRUE(run().empty());
  EXPECT_TRUE(stopped);
}

}  // namespace
}  // namespace intercom::telephony
