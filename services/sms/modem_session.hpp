#pragma once
/// A conversation with a GSM modem in 3GPP TS 27.005 text mode, as a pure state machine: it is fed
/// the modem's bytes and the time, and says what to write and what happened. The serial port, the
/// timers and reopening the port belong to the transport (serial_modem).
///
/// Init: AT, ATE0, AT+CMEE=1, AT+CMGF=1, AT+CSCS="IRA", AT+CNMI=2,1,0,0,0, then AT+CMGL="ALL" to
/// pick up what arrived while nobody listened. Receive: +CMTI -> AT+CMGR=<i> -> AT+CMGD=<i>.
/// Send: AT+CMGS="<number>" -> '>' -> text and Ctrl-Z -> +CMGS: <mr> and OK (or +CMS ERROR).
/// A modem that does not answer a command in time, or refuses a required init command, has failed:
/// the transport reopens the port and starts again. An idle modem is asked "AT" every keepalive, so
/// one that died quietly is noticed before a report needs it.
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "at_parser.hpp"
#include "intercom/util/clock.hpp"

namespace intercom::sms {

struct ModemTimings {
  std::chrono::milliseconds command{5000};  ///< answer to an ordinary command
  std::chrono::milliseconds send{60000};    ///< AT+CMGS: the network may take this long
  std::chrono::milliseconds keepalive{30000};
  bool operator==(const ModemTimings&) const = default;
};

/// A text message the modem received.
struct ModemSms {
  std::string sender;
  std::string text;
  std::optional<std::chrono::system_clock::time_point> sent_at;  ///< the service centre's time stamp
  bool stored_before_start = false;  ///< found in the modem's memory at init, not announced live
};

struct ModemEvent {
  enum class Kind {
    ready,        ///< init done: sends are possible
    received,     ///< message
    sent,         ///< id, reference
    send_failed,  ///< id, reason
    failed,       ///< reason: the modem must be reopened
  };
  Kind kind;
  std::string id;
  std::string reason;
  int reference = -1;
  ModemSms message;
};

class ModemSession {
 public:
  using TimePoint = intercom::TimePoint;

  explicit ModemSession(ModemTimings timings = {});

  /// Starts (again) from the beginning: after the port was opened.
  void start(TimePoint now);

  void on_bytes(std::string_view bytes, TimePoint now);

  /// Call when deadline() has come.
  void on_time(TimePoint now);

  /// When on_time must be called next, if at all.
  std::optional<TimePoint> deadline() const;

  /// Initialised and not failed.
  bool ready() const { return state_ == State::ready; }

  /// Ready, and no message on its way: one send at a time keeps results unambiguous.
  bool can_send() const;

  /// Sends a text; check_sendable first. The result is a sent or send_failed event with this id.
  void send(std::string id, std::string number, std::string text, TimePoint now);

  /// Why a text cannot go over a modem in text mode to this number, or nothing if it can.
  static std::optional<std::string> check_sendable(std::string_view number, std::string_view text);

  /// What to write to the modem, since the last call.
  std::string take_output();

  /// What happened, since the last call.
  std::vector<ModemEvent> take_events();

 private:
  struct Step {
    enum class Kind { init_required, init_optional, keepalive, list, read, remove, send };
    Kind kind;
    std::string command;
    bool last_init = false;
    int index = -1;
    std::string id;
    std::string text;
  };
  enum class State { stopped, initialising, ready, failed };

  void queue(Step step);
  bool queued(Step::Kind kind, int index) const;
  void pump(TimePoint now);
  void handle_line(const std::string& line, TimePoint now);
  void finish(const FinalResult& result, TimePoint now);
  void fail(const std::string& reason);
  void emit_listed();
  void emit(ModemEvent event) { events_.push_back(std::move(event)); }

  ModemTimings timings_;
  State state_ = State::stopped;
  AtLineReader reader_;
  std::deque<Step> steps_;
  std::optional<Step> current_;
  bool awaiting_prompt_ = false;
  TimePoint current_deadline_{};
  TimePoint last_activity_{};
  int reference_ = -1;
  std::optional<StoredMessageHeader> header_;  ///< of the message whose text lines are being read
  std::vector<std::string> body_;
  std::vector<std::pair<StoredMessageHeader, std::string>> listed_;
  std::string output_;
  std::vector<ModemEvent> events_;
};

}  // namespace intercom::sms
