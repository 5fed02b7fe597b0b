#pragma once
/// A GSM modem as far as the sms service uses one (TS 27.005 text mode), pure: it is given what the
/// host wrote and returns what a modem would answer. pty_modem puts it on a pseudo-terminal for the
/// tests and for intercom-modem-sim. Like a real modem it starts with echo on and in PDU mode, keeps
/// received messages in numbered memory slots and announces them with +CMTI once AT+CNMI asks.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intercom::sms {

class ModemSimulator {
 public:
  struct SentSms {
    std::string to;
    std::string text;
  };

  /// Bytes from the host; returns the modem's answer (possibly nothing yet).
  std::string on_bytes(std::string_view bytes);

  /// A message arrives from the network: stored, and announced if indications are on. Returns what
  /// the modem writes now (the +CMTI line, or nothing).
  std::string deliver(const std::string& from, const std::string& text, std::chrono::system_clock::time_point sent_at);

  /// A modem that hangs: it takes bytes and answers nothing, announces nothing.
  void set_answering(bool answering) { answering_ = answering; }

  /// Makes AT+CMGS fail with +CMS ERROR: <code> (say 331, no network), or succeed again (nothing).
  void fail_sends_with(std::optional<int> cms_error) { send_error_ = cms_error; }

  const std::vector<SentSms>& sent() const { return sent_; }
  std::size_t stored() const { return memory_.size(); }

 private:
  struct StoredSms {
    std::string status;
    std::string from;
    std::string text;
    std::string timestamp;
  };

  std::string execute(const std::string& command);
  std::string finish_text_entry();

  bool answering_ = true;
  bool echo_ = true;
  bool text_mode_ = false;
  bool indications_ = false;
  std::optional<int> send_error_;
  std::string line_;
  std::optional<std::string> entering_text_for_;  ///< the number of an AT+CMGS waiting for its text
  std::map<int, StoredSms> memory_;
  int next_reference_ = 1;
  std::vector<SentSms> sent_;
};

}  // namespace intercom::sms
