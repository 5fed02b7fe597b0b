#include "wiegand_reader.hpp"

#include <variant>

#include "intercom/runtime/timer.hpp"

namespace intercom::gpio {
namespace {

std::int64_t ns_of(TimePoint at) { return std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count(); }

TimePoint time_of(std::int64_t ns) { return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns))); }

}  // namespace

WiegandReader::WiegandReader(KeypadSettings keypad, WiegandTiming timing) : decoder_(timing), keypad_(keypad) {}

ReaderOutcome WiegandReader::edge(WiegandLine line, Level level, TimePoint at) {
  ReaderOutcome outcome;
  take(keypad_.on_time(at), outcome);  // a PIN left unfinished is said before what this edge ends
  if (const auto ended = decoder_.edge(line, level == Level::low, ns_of(at))) take(*ended, at, outcome);
  return outcome;
}

ReaderOutcome WiegandReader::on_time(TimePoint now) {
  ReaderOutcome outcome;
  if (const auto ended = decoder_.on_time(ns_of(now))) take(*ended, now, outcome);
  take(keypad_.on_time(now), outcome);
  return outcome;
}

std::optional<TimePoint> WiegandReader::deadline() const {
  std::optional<TimePoint> frame;
  if (const auto due = decoder_.deadline()) frame = time_of(*due);
  return earlier(frame, keypad_.deadline());
}

void WiegandReader::take(const WiegandFrame& frame, TimePoint at, ReaderOutcome& outcome) {
  if (const auto* card = std::get_if<WiegandCard>(&frame)) {
    outcome.credentials.push_back({"card", std::to_string(card->facility) + "-" + std::to_string(card->number), card->bits});
  } else if (const auto* key = std::get_if<WiegandKey>(&frame)) {
    take(keypad_.key(key->key, at), outcome);
  } else {
    const auto& error = std::get<WiegandError>(frame);
    outcome.faults.push_back({"a frame of " + std::to_string(error.bits) + " bit(s) not read: " + error.reason});
  }
}

void WiegandReader::take(const KeypadOutcome& keys, ReaderOutcome& outcome) {
  if (keys.pin) outcome.credentials.push_back({"pin", *keys.pin, 0});
  if (keys.discarded) outcome.faults.push_back({"keypad: " + *keys.discarded});
}

}  // namespace intercom::gpio
