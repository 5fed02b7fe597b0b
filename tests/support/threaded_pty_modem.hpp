#pragma once
/// The simulated modem for a test that drives it from the test's thread: a PtyModem on a loop
/// thread of its own, each call carried over to that loop.
#include <memory>

#include "loop_thread.hpp"
#include "pty_modem.hpp"

namespace intercom::testing {

class ThreadedPtyModem {
 public:
  explicit ThreadedPtyModem(std::filesystem::path link) {
    loop_.run([&] { modem_ = std::make_unique<sms::PtyModem>(loop_.io(), std::move(link)); });
  }
  ~ThreadedPtyModem() {
    loop_.run([&] { modem_.reset(); });
  }

  void deliver(const std::string& from, const std::string& text,
               std::chrono::system_clock::time_point sent_at = std::chrono::system_clock::now()) {
    loop_.run([&] { modem_->deliver(from, text, sent_at); });
  }
  std::vector<sms::ModemSimulator::SentSms> sent() {
    return loop_.run([&] { return modem_->sent(); });
  }
  std::size_t stored() {
    return loop_.run([&] { return modem_->stored(); });
  }
  void set_answering(bool answering) {
    loop_.run([&] { modem_->set_answering(answering); });
  }
  void fail_sends_with(std::optional<int> cms_error) {
    loop_.run([&] { modem_->fail_sends_with(cms_error); });
  }
  void unplug() {
    loop_.run([&] { modem_->unplug(); });
  }
  void plug() {
    loop_.run([&] { modem_->plug(); });
  }
  /// The handler runs on the modem's loop thread.
  void on_sent(std::function<void(const sms::ModemSimulator::SentSms&)> handler) {
    loop_.run([&] { modem_->on_sent(std::move(handler)); });
  }

 private:
  LoopThread loop_;
  std::unique_ptr<sms::PtyModem> modem_;  ///< built and destroyed on the loop
};

}  // namespace intercom::testing
