#include "wiegand_decoder.hpp"

namespace intercom::gpio {
namespace {

int ones(const std::vector<bool>& bits, std::size_t from, std::size_t to) {
  int count = 0;
  for (std::size_t i = from; i <= to; ++i) count += bits[i] ? 1 : 0;
  return count;
}

std::uint64_t value_of(const std::vector<bool>& bits, std::size_t from, std::size_t to) {
  std::uint64_t value = 0;
  for (std::size_t i = from; i <= to; ++i) value = (value << 1) | (bits[i] ? 1 : 0);
  return value;
}

std::string raw_of(const std::vector<bool>& bits) {
  std::string raw;
  for (const bool bit : bits) raw += bit ? '1' : '0';
  return raw;
}

char key_of(std::uint64_t value) {
  if (value <= 9) return static_cast<char>('0' + value);
  if (value == 10) return '*';
  if (value == 11) return '#';
  return 0;
}

/// A card with a leading even parity bit over the first half and a trailing odd parity bit over
/// the second (the halves share a middle bit when the count is odd), facility then number between.
WiegandFrame card(const std::vector<bool>& bits, std::size_t even_to, std::size_t odd_from, std::size_t facility_bits) {
  const int n = static_cast<int>(bits.size());
  if (ones(bits, 0, even_to) % 2 != 0)
    return WiegandError{n, "a " + std::to_string(n) + "-bit card whose leading (even) parity bit is wrong: a bit was lost or added on the way"};
  if (ones(bits, odd_from, bits.size() - 1) % 2 != 1)
    return WiegandError{n, "a " + std::to_string(n) + "-bit card whose trailing (odd) parity bit is wrong: a bit was lost or added on the way"};
  return WiegandCard{.bits = n,
                     .facility = static_cast<std::uint32_t>(value_of(bits, 1, facility_bits)),
                     .number = value_of(bits, facility_bits + 1, bits.size() - 2),
                     .raw = raw_of(bits)};
}

}  // namespace

WiegandFrame decode_wiegand(const std::vector<bool>& bits) {
  const int n = static_cast<int>(bits.size());
  switch (n) {
    case 4: {
      const auto key = key_of(value_of(bits, 0, 3));
      if (!key) return WiegandError{4, "a 4-bit keypad burst of " + std::to_string(value_of(bits, 0, 3)) + ": not a key (0-9, 10 *, 11 #)"};
      return WiegandKey{key, 4};
    }
    case 8: {
      const auto check = value_of(bits, 0, 3), value = value_of(bits, 4, 7);
      if (check != (~value & 0xF)) return WiegandError{8, "an 8-bit keypad burst whose first half is not the complement of its key"};
      const auto key = key_of(value);
      if (!key) return WiegandError{8, "an 8-bit keypad burst of " + std::to_string(value) + ": not a key (0-9, 10 *, 11 #)"};
      return WiegandKey{key, 8};
    }
    case 26: return card(bits, 12, 13, 8);   // H10301: 8-bit facility, 16-bit number
    case 34: return card(bits, 16, 17, 16);  // 16-bit facility, 16-bit number
    case 37: return card(bits, 18, 18, 16);  // H10304: 16-bit facility, 19-bit number
    default:
      return WiegandError{n, std::to_string(n) + " bits: not a 4- or 8-bit key nor a 26-, 34- or 37-bit card (a frame cut off, "
                                                  "noise, or a format not known)"};
  }
}

WiegandDecoder::WiegandDecoder(WiegandTiming timing) : timing_(timing) {}

void WiegandDecoder::fail(std::string reason) {
  if (!broken_) broken_ = std::move(reason);
}

std::optional<WiegandFrame> WiegandDecoder::edge(WiegandLine line, bool low, std::int64_t at_ns) {
  std::optional<WiegandFrame> ended;
  if (const auto due = deadline(); due && at_ns >= *due) ended = on_time(at_ns);
  const auto index = line == WiegandLine::d1 ? 1 : 0;
  const char* name = line == WiegandLine::d1 ? "D1" : "D0";
  last_edge_ = at_ns;
  if (low) {
    if (pulse_start_[1 - index]) fail("both lines low at once (noise, or D0 and D1 swapped or shorted)");
    pulse_start_[index] = at_ns;
    return ended;
  }
  if (!pulse_start_[index]) return ended;  // it was low before we looked: no bit to read
  const auto width = at_ns - *pulse_start_[index];
  pulse_start_[index].reset();
  if (width < timing_.min_pulse_ns || width > timing_.max_pulse_ns) {
    fail(std::string("a pulse of ") + std::to_string(width / 1000) + " us on " + name + ": a bit is " +
         std::to_string(timing_.min_pulse_ns / 1000) + " to " + std::to_string(timing_.max_pulse_ns / 1000) + " us");
    return ended;
  }
  if (bits_.size() == kMaxWiegandBits) {
    fail("more than " + std::to_string(kMaxWiegandBits) + " bits without a pause (noise, or a reader that never stops)");
    return ended;
  }
  bits_.push_back(index == 1);
  return ended;
}

std::optional<WiegandFrame> WiegandDecoder::on_time(std::int64_t now_ns) {
  const auto due = deadline();
  if (!due || now_ns < *due) return std::nullopt;
  for (const auto line : {0, 1})
    if (pulse_start_[line]) fail(std::string("a pulse on ") + (line == 1 ? "D1" : "D0") + " that never ended (a line held low: check the wiring)");
  if (bits_.empty() && !broken_) {
    finish();  // a line rising that was low before we looked: nothing was sent
    return std::nullopt;
  }
  return finish();
}

std::optional<std::int64_t> WiegandDecoder::deadline() const {
  if (!last_edge_) return std::nullopt;
  return *last_edge_ + timing_.frame_gap_ns;
}

WiegandFrame WiegandDecoder::finish() {
  WiegandFrame frame = broken_ ? WiegandFrame(WiegandError{static_cast<int>(bits_.size()), *broken_}) : decode_wiegand(bits_);
  bits_.clear();
  pulse_start_[0].reset();
  pulse_start_[1].reset();
  last_edge_.reset();
  broken_.reset();
  return frame;
}

}  // namespace intercom::gpio
