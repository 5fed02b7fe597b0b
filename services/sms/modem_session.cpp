#include "modem_session.hpp"

#include <algorithm>
#include <utility>

namespace intercom::sms {
namespace {

constexpr char kCtrlZ = '\x1a';
constexpr char kEscape = '\x1b';
/// One SMS in text mode with the GSM 7-bit alphabet; longer texts need PDU mode (concatenation).
constexpr std::size_t kMaxSmsText = 160;

}  // namespace

ModemSession::ModemSession(ModemTimings timings) : timings_(timings) {}

void ModemSession::start(TimePoint now) {
  reader_.clear();
  steps_.clear();
  current_.reset();
  awaiting_prompt_ = false;
  header_.reset();
  body_.clear();
  listed_.clear();
  state_ = State::initialising;
  last_activity_ = now;
  // ESC ends a text entry a previous run may have left the modem in; in command mode it is ignored.
  output_ += kEscape;
  using Kind = Step::Kind;
  queue({Kind::init_optional, "AT"});  // an ERROR still proves the modem is there
  queue({Kind::init_required, "ATE0"});
  queue({Kind::init_optional, "AT+CMEE=1"});  // numeric error codes where the modem can
  queue({Kind::init_required, "AT+CMGF=1"});
  queue({Kind::init_optional, "AT+CSCS=\"IRA\""});  // plain ASCII text; the GSM default works as well
  queue({Kind::init_required, "AT+CNMI=2,1,0,0,0", true});
  pump(now);
}

bool ModemSession::queued(Step::Kind kind, int index) const {
  return std::any_of(steps_.begin(), steps_.end(),
                     [&](const Step& step) { return step.kind == kind && step.index == index; });
}

void ModemSession::queue(Step step) {
  // A slot is freed only by our delete. A second delete of it may run after a new text has landed
  // there, deleting that text unread; a second read of it reads what we already have.
  if ((step.kind == Step::Kind::remove || step.kind == Step::Kind::read) && queued(step.kind, step.index)) return;
  steps_.push_back(std::move(step));
}

bool ModemSession::can_send() const {
  if (state_ != State::ready) return false;
  if (current_ && current_->kind == Step::Kind::send) return false;
  return std::none_of(steps_.begin(), steps_.end(), [](const Step& step) { return step.kind == Step::Kind::send; });
}

std::optional<std::string> ModemSession::check_sendable(std::string_view number, std::string_view text) {
  const auto digits = number.substr(!number.empty() && number.front() == '+' ? 1 : 0);
  if (digits.size() < 3 || digits.size() > 20 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return "\"" + std::string(number) + "\" is not a phone number";
  if (text.empty()) return std::string("empty text");
  if (text.size() > kMaxSmsText)
    return "text of " + std::to_string(text.size()) + " characters: one SMS in text mode holds " +
           std::to_string(kMaxSmsText);
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; }))
    return std::string("text mode sends printable ASCII only (no control characters, no accents)");
  return std::nullopt;
}

void ModemSession::send(std::string id, std::string number, std::string text, TimePoint now) {
  queue({Step::Kind::send, "AT+CMGS=\"" + number + "\"", false, -1, std::move(id), std::move(text)});
  pump(now);
}

void ModemSession::pump(TimePoint now) {
  if (current_ || (state_ != State::initialising && state_ != State::ready)) return;
  // A text announced (+CMTI) while the memory was being listed, and listed, is waiting for its
  // delete: the slot still holds what we have, so it is not read (and reported a copy) again.
  while (!steps_.empty() && steps_.front().kind == Step::Kind::read && queued(Step::Kind::remove, steps_.front().index))
    steps_.pop_front();
  if (steps_.empty()) return;
  current_ = std::move(steps_.front());
  steps_.pop_front();
  output_ += current_->command + '\r';
  awaiting_prompt_ = current_->kind == Step::Kind::send;
  reference_ = -1;
  header_.reset();
  body_.clear();
  listed_.clear();
  current_deadline_ = now + timings_.command;
}

void ModemSession::on_bytes(std::string_view bytes, TimePoint now) {
  if (state_ != State::initialising && state_ != State::ready) return;
  last_activity_ = now;
  reader_.feed(bytes);
  while (auto token = reader_.next(awaiting_prompt_)) {
    if (token->kind == AtToken::Kind::prompt) {
      awaiting_prompt_ = false;
      output_ += current_->text + kCtrlZ;
      current_deadline_ = now + timings_.send;
    } else {
      handle_line(token->text, now);
    }
    if (state_ == State::failed) return;
  }
}

void ModemSession::handle_line(const std::string& line, TimePoint now) {
  const bool reading_text = current_ && header_ &&
                            (current_->kind == Step::Kind::read || current_->kind == Step::Kind::list);
  if (!reading_text) {
    // Unsolicited results may come at any time, in the middle of a command's response too.
    if (const auto index = parse_cmti(line)) {
      queue({Step::Kind::read, "AT+CMGR=" + std::to_string(*index), false, *index});
      pump(now);
      return;
    }
  }
  if (!current_) return;  // RING, +CREG and other news nobody asked for
  if (line == current_->command) return;  // the echo before ATE0 took effect
  if (const auto result = parse_final_result(line)) {
    finish(*result, now);
    return;
  }
  switch (current_->kind) {
    case Step::Kind::read:
      if (header_) body_.push_back(line);
      else header_ = parse_cmgr_header(line);
      break;
    case Step::Kind::list:
      if (auto header = parse_cmgl_header(line)) {
        emit_listed();
        header_ = std::move(header);
      } else if (header_) {
        body_.push_back(line);
      }
      break;
    case Step::Kind::send:
      if (const auto reference = parse_cmgs(line)) reference_ = *reference;
      break;
    default: break;  // information text of a command whose answer does not matter
  }
}

void ModemSession::emit_listed() {
  if (!header_) return;
  std::string text;
  for (std::size_t i = 0; i < body_.size(); ++i) text += (i ? "\n" : "") + body_[i];
  listed_.emplace_back(*header_, std::move(text));
  header_.reset();
  body_.clear();
}

void ModemSession::finish(const FinalResult& result, TimePoint now) {
  auto step = std::move(*current_);
  current_.reset();
  awaiting_prompt_ = false;
  last_activity_ = now;
  switch (step.kind) {
    case Step::Kind::init_required:
      if (!result.ok) return fail("modem refused " + step.command + ": " + result.error);
      [[fallthrough]];
    case Step::Kind::init_optional:
      if (step.last_init) {
        state_ = State::ready;
        emit({ModemEvent::Kind::ready});
        queue({Step::Kind::list, "AT+CMGL=\"ALL\""});
      }
      break;
    case Step::Kind::read:
    case Step::Kind::list: {
      emit_listed();
      if (!result.ok) break;  // e.g. +CMS ERROR: 321, the index was empty after all
      for (auto& [header, text] : listed_) {
        // Only received messages; drafts and sent ones in the same memory are not ours to act on.
        if (header.status.rfind("REC", 0) != 0) continue;
        ModemSms sms{header.sender, std::move(text), parse_scts(header.timestamp), step.kind == Step::Kind::list};
        emit({ModemEvent::Kind::received, {}, {}, -1, std::move(sms)});
        const int index = step.kind == Step::Kind::list ? header.index : step.index;
        queue({Step::Kind::remove, "AT+CMGD=" + std::to_string(index), false, index});
      }
      listed_.clear();
      break;
    }
    case Step::Kind::send:
      if (result.ok) emit({ModemEvent::Kind::sent, step.id, {}, reference_});
      else emit({ModemEvent::Kind::send_failed, step.id, result.error});
      break;
    case Step::Kind::keepalive:
    case Step::Kind::remove: break;
  }
  pump(now);
}

void ModemSession::fail(const std::string& reason) {
  if (current_ && current_->kind == Step::Kind::send) emit({ModemEvent::Kind::send_failed, current_->id, reason});
  for (const auto& step : steps_)
    if (step.kind == Step::Kind::send) emit({ModemEvent::Kind::send_failed, step.id, reason});
  current_.reset();
  steps_.clear();
  awaiting_prompt_ = false;
  state_ = State::failed;
  emit({ModemEvent::Kind::failed, {}, reason});
}

void ModemSession::on_time(TimePoint now) {
  if (current_ && now >= current_deadline_) {
    const auto waited = current_->kind == Step::Kind::send && !awaiting_prompt_ ? timings_.send : timings_.command;
    return fail("modem did not answer " + current_->command + " within " + std::to_string(waited.count()) + " ms");
  }
  if (state_ == State::ready && !current_ && steps_.empty() && now >= last_activity_ + timings_.keepalive) {
    queue({Step::Kind::keepalive, "AT"});
    pump(now);
  }
}

std::optional<ModemSession::TimePoint> ModemSession::deadline() const {
  if (current_) return current_deadline_;
  if (state_ == State::ready) return last_activity_ + timings_.keepalive;
  return std::nullopt;
}

std::string ModemSession::take_output() { return std::exchange(output_, {}); }

std::vector<ModemEvent> ModemSession::take_events() { return std::exchange(events_, {}); }

}  // namespace intercom::sms
