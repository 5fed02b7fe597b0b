#include "modem_session.hpp"

#include <gtest/gtest.h>

#include "modem_simulator.hpp"

namespace intercom::sms {
namespace {

using namespace std::chrono_literals;
using Kind = ModemEvent::Kind;

/// The session talking to the simulated modem, bytes passed by hand: no pty, no threads.
struct Wired {
  ModemSession session{ModemTimings{5s, 60s, 30s}};
  ModemSimulator modem;
  ModemSession::TimePoint now{};
  std::vector<ModemEvent> events;

  void settle() {
    for (int round = 0; round < 100; ++round) {
      const auto written = session.take_output();
      if (written.empty()) break;
      session.on_bytes(modem.on_bytes(written), now);
    }
    for (auto& event : session.take_events()) events.push_back(std::move(event));
  }
  void start() {
    session.start(now);
    settle();
  }
  void deliver(const std::string& from, const std::string& text) {
    session.on_bytes(modem.deliver(from, text, std::chrono::system_clock::now()), now);
    settle();
  }
  std::vector<ModemEvent> take(Kind kind) {
    std::vector<ModemEvent> found;
    std::erase_if(events, [&](ModemEvent& event) {
      if (event.kind != kind) return false;
      found.push_back(std::move(event));
      return true;
    });
    return found;
  }
};

/// The session alone, its output read and the modem's answers typed in by the test.
struct Scripted {
  ModemSession session{ModemTimings{5s, 60s, 30s}};
  ModemSession::TimePoint now{};

  std::string written() { return session.take_output(); }
  void modem_says(std::string_view bytes) { session.on_bytes(bytes, now); }
  void answer_ok_until_ready() {
    session.start(now);
    for (int i = 0; i < 10 && !session.ready(); ++i) {
      written();
      modem_says("\r\nOK\r\n");
    }
    ASSERT_TRUE(session.ready());
    EXPECT_EQ(written(), "AT+CMGL=\"ALL\"\r");  // messages that came while nobody listened
    modem_says("\r\nOK\r\n");
    session.take_events();
  }
  /// Sends a text up to the modem's prompt and the text written after it.
  void send_until_text_written(const std::string& text) {
    session.send("r1", "+4915112345678", text, now);
    written();
    modem_says("\r\n> ");
    EXPECT_EQ(written(), text + "\x1a");
  }
  /// The one event since the last call; a failed test if there are more or none.
  ModemEvent only_event() {
    auto events = session.take_events();
    EXPECT_EQ(events.size(), 1u);
    return events.empty() ? ModemEvent{Kind::failed, {}, "no event"} : events.front();
  }
};

TEST(ModemSession, InitialisesTextModeWithIndications) {
  Scripted s;
  s.session.start(s.now);
  const std::vector<std::string> expected{"\x1b" "AT\r", "ATE0\r", "AT+CMEE=1\r", "AT+CMGF=1\r", "AT+CSCS=\"IRA\"\r",
                                          "AT+CNMI=2,1,0,0,0\r"};
  for (const auto& command : expected) {
    EXPECT_EQ(s.written(), command);
    EXPECT_FALSE(s.session.ready());
    s.modem_says("\r\nOK\r\n");
  }
  EXPECT_TRUE(s.session.ready());
  const auto events = s.session.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::ready);
}

TEST(ModemSession, TheEchoBeforeAte0IsNotAnAnswer) {
  Scripted s;
  s.session.start(s.now);
  s.written();
  s.modem_says("AT\r\r\nOK\r\n");  // echo on: the command comes back first
  EXPECT_EQ(s.written(), "ATE0\r");
  s.modem_says("ATE0\r\r\nOK\r\n");
  EXPECT_EQ(s.written(), "AT+CMEE=1\r");
}

TEST(ModemSession, ARequiredInitCommandRefusedFailsTheModem) {
  Scripted s;
  s.session.start(s.now);
  for (int i = 0; i < 3; ++i) {
    s.written();
    s.modem_says("\r\nOK\r\n");
  }
  EXPECT_EQ(s.written(), "AT+CMGF=1\r");
  s.modem_says("\r\n+CME ERROR: 3\r\n");
  const auto events = s.session.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::failed);
  EXPECT_EQ(events[0].reason, "modem refused AT+CMGF=1: +CME ERROR: 3");
  EXPECT_FALSE(s.session.ready());
}

TEST(ModemSession, AnOptionalInitCommandMayFail) {
  Scripted s;
  s.session.start(s.now);
  for (int i = 0; i < 6; ++i) {
    const auto command = s.written();
    s.modem_says(command == "AT+CSCS=\"IRA\"\r" ? "\r\nERROR\r\n" : "\r\nOK\r\n");
  }
  EXPECT_TRUE(s.session.ready());
}

TEST(ModemSession, ReceivesReadsAndDeletes) {
  Scripted s;
  s.answer_ok_until_ready();
  s.modem_says("\r\n+CMTI: \"SM\",3\r\n");
  EXPECT_EQ(s.written(), "AT+CMGR=3\r");
  s.modem_says("\r\n+CMGR: \"REC UNREAD\",\"+4915112345678\",,\"26/11/24,14:25:03+04\"\r\nALERT=OUT1_SOS\r\n\r\nOK\r\n");
  EXPECT_EQ(s.written(), "AT+CMGD=3\r");
  const auto events = s.session.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::received);
  EXPECT_EQ(events[0].message.sender, "+4915112345678");
  EXPECT_EQ(events[0].message.text, "ALERT=OUT1_SOS");
  EXPECT_EQ(events[0].message.sent_at, parse_scts("26/11/24,14:25:03+04"));
  EXPECT_FALSE(events[0].message.stored_before_start);
}

TEST(ModemSession, AMultiLineTextKeepsItsLines) {
  Scripted s;
  s.answer_ok_until_ready();
  s.modem_says("\r\n+CMTI: \"SM\",1\r\n");
  s.written();
  s.modem_says("\r\n+CMGR: \"REC UNREAD\",\"+4915112345678\",,\"26/11/24,14:25:03+04\"\r\nline one\r\n+CMTI: not a URC here\r\n\r\nOK\r\n");
  EXPECT_EQ(s.only_event().message.text, "line one\n+CMTI: not a URC here");
}

TEST(ModemSession, AnIndicationInTheMiddleOfACommandIsQueued) {
  Scripted s;
  s.answer_ok_until_ready();
  s.session.send("r1", "+4915112345678", "ALERT=IN1_ACTIVE", s.now);
  EXPECT_EQ(s.written(), "AT+CMGS=\"+4915112345678\"\r");
  s.modem_says("\r\n+CMTI: \"SM\",2\r\n\r\n> ");  // a message arrives before the prompt
  EXPECT_EQ(s.written(), "ALERT=IN1_ACTIVE\x1a");
  s.modem_says("\r\n+CMTI: \"SM\",3\r\n\r\n+CMGS: 17\r\n\r\nOK\r\n");  // and another before the result
  auto events = s.session.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::sent);
  EXPECT_EQ(events[0].id, "r1");
  EXPECT_EQ(events[0].reference, 17);
  EXPECT_EQ(s.written(), "AT+CMGR=2\r");  // both are read, in order, once the send is done
  s.modem_says("\r\n+CMGR: \"REC UNREAD\",\"+4915112345678\",,\"26/11/24,14:25:03+04\"\r\nfirst\r\n\r\nOK\r\n");
  EXPECT_EQ(s.written(), "AT+CMGR=3\r");
  s.modem_says("\r\n+CMGR: \"REC UNREAD\",\"+4915112345678\",,\"26/11/24,14:25:04+04\"\r\nsecond\r\n\r\nOK\r\n");
  EXPECT_EQ(s.written(), "AT+CMGD=2\r");
  s.modem_says("\r\nOK\r\n");
  EXPECT_EQ(s.written(), "AT+CMGD=3\r");
  events = s.session.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].message.text, "first");
  EXPECT_EQ(events[1].message.text, "second");
}

// Field case (a landing run): two texts came while the service listed the memory at start, so each
// was listed and announced (+CMTI) too. Reading them again reported a false "second copy", and the
// second delete of slot 1 ran after a new text had landed in the freed slot: it was deleted unread.
TEST(ModemSession, AMessageListedAndAnnouncedIsReadAndDeletedOnceAndTheFreedSlotIsNotDeletedAgain) {
  Scripted s;
  s.session.start(s.now);
  for (int i = 0; i < 10 && !s.session.ready(); ++i) {
    s.written();
    s.modem_says("\r\nOK\r\n");
  }
  ASSERT_TRUE(s.session.ready());
  s.session.take_events();
  EXPECT_EQ(s.written(), "AT+CMGL=\"ALL\"\r");
  s.modem_says("\r\n+CMTI: \"SM\",1\r\n\r\n+CMTI: \"SM\",1\r\n");  // announced twice, as a modem may
  s.modem_says(
      "\r\n+CMGL: 1,\"REC UNREAD\",\"+4915112345678\",,\"26/11/24,14:25:03+04\"\r\nALERT=OUT1_SOS\r\n\r\nOK\r\n");
  EXPECT_EQ(s.written(), "AT+CMGD=1\r") << "slot 1 was listed: it is not read again";
  EXPECT_EQ(s.session.take_events().size(), 1u);
  s.modem_says("\r\nOK\r\n");
  EXPECT_EQ(s.written(), "") << "slot 1 is deleted once";
  s.modem_says("\r\n+CMTI: \"SM\",1\r\n");  // a new text in the freed slot
  EXPECT_EQ(s.written(), "AT+CMGR=1\r");
  s.modem_says("\r\n+CMGR: \"REC UNREAD\",\"+4915112345678\",,\"26/11/24,14:25:08+04\"\r\nagain\r\n\r\nOK\r\n");
  EXPECT_EQ(s.only_event().message.text, "again");
  EXPECT_EQ(s.written(), "AT+CMGD=1\r");
}

TEST(ModemSession, SplitAnswersAreUnderstood) {
  Scripted s;
  s.answer_ok_until_ready();
  s.session.send("r1", "+4915112345678", "hello", s.now);
  s.written();
  for (const auto* piece : {"\r", "\n", ">", " "}) s.modem_says(piece);
  EXPECT_EQ(s.written(), "hello\x1a");
  for (const auto* piece : {"\r\n+CM", "GS: 5\r", "\n\r\nO", "K", "\r\n"}) s.modem_says(piece);
  const auto event = s.only_event();
  EXPECT_EQ(event.kind, Kind::sent);
  EXPECT_EQ(event.reference, 5);
}

TEST(ModemSession, ASendRefusedByTheNetworkSaysWhy) {
  Scripted s;
  s.answer_ok_until_ready();
  s.send_until_text_written("hello");
  s.modem_says("\r\n+CMS ERROR: 331\r\n");
  const auto event = s.only_event();
  EXPECT_EQ(event.kind, Kind::send_failed);
  EXPECT_EQ(event.reason, "+CMS ERROR: 331 (no network service)");
  EXPECT_TRUE(s.session.ready());  // the modem is fine; the network is not
  EXPECT_TRUE(s.session.can_send());
}

TEST(ModemSession, OneSendAtATime) {
  Scripted s;
  s.answer_ok_until_ready();
  EXPECT_TRUE(s.session.can_send());
  s.session.send("r1", "+4915112345678", "hello", s.now);
  EXPECT_FALSE(s.session.can_send());
}

TEST(ModemSession, AModemThatStopsAnsweringFailsTheSendAndItself) {
  Scripted s;
  s.answer_ok_until_ready();
  s.send_until_text_written("hello");
  EXPECT_EQ(s.session.deadline(), s.now + 60s);
  s.now += 60s;
  s.session.on_time(s.now);
  const auto events = s.session.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::send_failed);
  EXPECT_EQ(events[0].reason, "modem did not answer AT+CMGS=\"+4915112345678\" within 60000 ms");
  EXPECT_EQ(events[1].kind, Kind::failed);
  EXPECT_FALSE(s.session.ready());
  EXPECT_FALSE(s.session.deadline());
}

TEST(ModemSession, AnIdleModemIsAskedIfItIsStillThere) {
  Scripted s;
  s.answer_ok_until_ready();
  EXPECT_EQ(s.session.deadline(), s.now + 30s);
  s.now += 30s;
  s.session.on_time(s.now);
  EXPECT_EQ(s.written(), "AT\r");
  s.now += 5s;
  s.session.on_time(s.now);
  const auto events = s.session.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::failed);
  EXPECT_EQ(events[0].reason, "modem did not answer AT within 5000 ms");
}

TEST(ModemSession, StartAgainAfterFailure) {
  Scripted s;
  s.answer_ok_until_ready();
  s.now += 30s;
  s.session.on_time(s.now);  // asks "AT"
  s.now += 5s;
  s.session.on_time(s.now);  // no answer
  ASSERT_FALSE(s.session.ready());
  s.answer_ok_until_ready();
}

TEST(ModemSession, SendableTexts) {
  EXPECT_FALSE(ModemSession::check_sendable("+4915112345678", "ALERT=IN1_ACTIVE"));
  EXPECT_EQ(ModemSession::check_sendable("alarm-server", "x"), "\"alarm-server\" is not a phone number");
  EXPECT_EQ(ModemSession::check_sendable("+49\"; AT", "x"), "\"+49\"; AT\" is not a phone number");
  EXPECT_TRUE(ModemSession::check_sendable("+4915112345678", std::string(161, 'a')));
  EXPECT_FALSE(ModemSession::check_sendable("+4915112345678", std::string(160, 'a')));
  EXPECT_TRUE(ModemSession::check_sendable("+4915112345678", "line\x1a" "AT+CMGD=1"));  // Ctrl-Z ends the text early
  EXPECT_TRUE(ModemSession::check_sendable("+4915112345678", "T\xc3\xbcr offen"));
}

TEST(ModemSessionWithSimulator, ReceiveAndSendRoundTrip) {
  Wired w;
  w.start();
  ASSERT_EQ(w.take(Kind::ready).size(), 1u);
  w.deliver("+4915112345678", "ALERT=OUT1_SOS");
  const auto received = w.take(Kind::received);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].message.text, "ALERT=OUT1_SOS");
  EXPECT_EQ(w.modem.stored(), 0u);  // read and deleted

  w.session.send("r1", "+4915187654321", "ALERT=IN1_ACTIVE", w.now);
  w.settle();
  ASSERT_EQ(w.take(Kind::sent).size(), 1u);
  ASSERT_EQ(w.modem.sent().size(), 1u);
  EXPECT_EQ(w.modem.sent()[0].to, "+4915187654321");
  EXPECT_EQ(w.modem.sent()[0].text, "ALERT=IN1_ACTIVE");
}

TEST(ModemSessionWithSimulator, MessagesStoredBeforeStartAreListedOnceAndDeleted) {
  Wired w;
  w.modem.deliver("+4915112345678", "while away 1", std::chrono::system_clock::now());
  w.modem.deliver("+4915112345679", "while away 2", std::chrono::system_clock::now());
  w.start();
  const auto received = w.take(Kind::received);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].message.text, "while away 1");
  EXPECT_EQ(received[1].message.sender, "+4915112345679");
  EXPECT_TRUE(received[0].message.stored_before_start);
  EXPECT_EQ(w.modem.stored(), 0u);
}

TEST(ModemSessionWithSimulator, CmsErrorFromTheModem) {
  Wired w;
  w.start();
  w.modem.fail_sends_with(331);
  w.session.send("r1", "+4915187654321", "x", w.now);
  w.settle();
  const auto failed = w.take(Kind::send_failed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].reason, "+CMS ERROR: 331 (no network service)");
  EXPECT_TRUE(w.modem.sent().empty());
}

}  // namespace
}  // namespace intercom::sms
