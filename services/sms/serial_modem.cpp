#include "serial_modem.hpp"

#include <termios.h>

#include <boost/asio/write.hpp>

#include "intercom/runtime/timer.hpp"

namespace intercom::sms {

std::string_view to_string(ModemLinkState state) {
  switch (state) {
    case ModemLinkState::absent: return "absent";
    case ModemLinkState::initialising: return "initialising";
    case ModemLinkState::ready: return "ready";
    case ModemLinkState::not_answering: return "not-answering";
  }
  return "unknown";
}

SerialModem::SerialModem(boost::asio::io_context& io, SerialModemSettings settings, std::shared_ptr<spdlog::logger> log)
    : settings_(std::move(settings)),
      log_(std::move(log)),
      port_(io),
      session_timer_(io),
      reopen_timer_(io),
      backoff_(settings_.reopen_min, settings_.reopen_max),
      session_(settings_.timings) {}

SerialModem::~SerialModem() { stop(); }

void SerialModem::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  handlers_.on_link({std::string(to_string(state_)), settings_.device, state_reason_});
  open();
}

void SerialModem::stop() {
  stopped_ = true;
  ++generation_;
  session_timer_.cancel();
  reopen_timer_.cancel();
  boost::system::error_code ignored;
  port_.close(ignored);
}

void SerialModem::set_state(ModemLinkState state, const std::string& reason) {
  if (state == state_ && reason == state_reason_) return;
  state_ = state;
  state_reason_ = reason;
  handlers_.on_link({std::string(to_string(state)), settings_.device, reason});
}

void SerialModem::open() {
  if (stopped_) return;
  boost::system::error_code error;
  port_.open(settings_.device, error);
  if (!error) {
    using boost::asio::serial_port_base;
    port_.set_option(serial_port_base::baud_rate(settings_.baud), error);
    if (!error) port_.set_option(serial_port_base::character_size(8), error);
    if (!error) port_.set_option(serial_port_base::parity(serial_port_base::parity::none), error);
    if (!error) port_.set_option(serial_port_base::stop_bits(serial_port_base::stop_bits::one), error);
    if (!error) port_.set_option(serial_port_base::flow_control(serial_port_base::flow_control::none), error);
  }
  if (error) return close_and_retry(ModemLinkState::absent, settings_.device + ": " + error.message());
  // Whatever the modem said before (late answers to a command that timed out) would be taken for
  // answers to the new session's commands.
  ::tcflush(port_.native_handle(), TCIOFLUSH);
  log_->info("modem: {} open, initialising", settings_.device);
  set_state(ModemLinkState::initialising, {});
  write_queue_.clear();
  session_.start(std::chrono::steady_clock::now());
  read();
  after_session_ran();
}

void SerialModem::close_and_retry(ModemLinkState state, const std::string& reason) {
  ++generation_;
  boost::system::error_code ignored;
  port_.close(ignored);
  session_timer_.cancel();
  writing_.clear();
  write_queue_.clear();
  if (state_ != state || state_reason_ != reason) log_->warn("modem: {}; trying again", reason);
  set_state(state, reason);
  if (stopped_) return;
  reopen_timer_.expires_after(backoff_.next());
  reopen_timer_.async_wait([this](boost::system::error_code error) {
    if (!error) open();
  });
}

void SerialModem::read() {
  port_.async_read_some(boost::asio::buffer(read_buffer_),
                        [this, generation = generation_](boost::system::error_code error, std::size_t size) {
                          if (generation != generation_) return;
                          if (error) return close_and_retry(ModemLinkState::absent, settings_.device + ": " + error.message());
                          session_.on_bytes(std::string_view(read_buffer_.data(), size), std::chrono::steady_clock::now());
                          after_session_ran();
                          if (generation == generation_) read();
                        });
}

void SerialModem::flush() {
  if (!writing_.empty() || write_queue_.empty()) return;
  writing_ = std::exchange(write_queue_, {});
  boost::asio::async_write(port_, boost::asio::buffer(writing_),
                           [this, generation = generation_](boost::system::error_code error, std::size_t) {
                             if (generation != generation_) return;
                             writing_.clear();
                             if (error) return close_and_retry(ModemLinkState::absent, settings_.device + ": " + error.message());
                             flush();
                           });
}

void SerialModem::after_session_ran() {
  write_queue_ += session_.take_output();
  flush();
  const auto generation = generation_;
  bool became_ready = false;
  for (auto& event : session_.take_events()) {
    switch (event.kind) {
      case ModemEvent::Kind::ready:
        backoff_.reset();
        log_->info("modem: ready");
        set_state(ModemLinkState::ready, {});
        became_ready = true;
        break;
      case ModemEvent::Kind::received:
        if (event.message.stored_before_start) log_->info("modem: a message from {} was waiting in the modem", event.message.sender);
        handlers_.on_received({"gsm", event.message.sender, event.message.text, event.message.sent_at, "",
                               "modem:" + settings_.device});
        break;
      case ModemEvent::Kind::sent:
        handlers_.on_outcome({event.id, true, "message reference " + std::to_string(event.reference)});
        became_ready = true;
        break;
      case ModemEvent::Kind::send_failed:
        handlers_.on_outcome({event.id, false, event.reason});
        became_ready = true;
        break;
      case ModemEvent::Kind::failed:
        close_and_retry(ModemLinkState::not_answering, event.reason);
        break;
    }
  }
  if (generation != generation_) return;  // closed above: the reopen timer runs things now
  schedule_at(session_timer_, session_.deadline(), [this](auto now) {
    if (stopped_) return;  // queued before stop() cancelled the timer
    session_.on_time(now);
    after_session_ran();
  });
  if (became_ready && session_.can_send()) handlers_.on_ready();
}

std::optional<std::string> SerialModem::check(const std::string& to, const std::string& text) const {
  return ModemSession::check_sendable(to, text);
}

bool SerialModem::can_send() const { return !stopped_ && session_.can_send(); }

void SerialModem::send(const std::string& id, const std::string& to, const std::string& text) {
  session_.send(id, to, text, std::chrono::steady_clock::now());
  after_session_ran();
}

}  // namespace intercom::sms
