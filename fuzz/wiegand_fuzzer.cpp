// Wiegand edges as a broken or hostile reader may send them: any order of edges on D0 and D1, any
// widths and gaps. Nothing may crash or trip a sanitizer; a card read must read again the same
// from its own bits, and its number must fit its format's field. The same edges go through a
// reader (frames, keys gathered into a PIN): a card is <facility>-<number>, a PIN 1 to 12 digits.
//
// Input: triples of bytes: the line and its level (bit 0, bit 1), and the time since the last edge
// (two bytes, in microseconds, times 16 when bit 2 of the first is set).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "wiegand_decoder.hpp"
#include "wiegand_reader.hpp"

namespace {

using intercom::gpio::WiegandCard;
using intercom::gpio::WiegandFrame;

void check(const WiegandFrame& frame) {
  const auto* card = std::get_if<WiegandCard>(&frame);
  if (!card) return;
  std::vector<bool> bits;
  for (const char c : card->raw) bits.push_back(c == '1');
  const int number_bits = card->bits - 2 - (card->bits == 26 ? 8 : 16);
  if (static_cast<int>(bits.size()) != card->bits || !(intercom::gpio::decode_wiegand(bits) == frame) ||
      (card->number >> number_bits) != 0) {
    std::fprintf(stderr, "a %d-bit card that does not read again the same\n", card->bits);
    std::abort();
  }
}

void check(const intercom::gpio::ReaderOutcome& outcome) {
  for (const auto& credential : outcome.credentials) {
    const auto& value = credential.value;
    const auto dash = value.find('-');
    const bool card_ok = credential.kind == "card" && dash != std::string::npos && dash > 0 && dash + 1 < value.size() &&
                         value.find_first_not_of("0123456789-") == std::string::npos && value.find('-', dash + 1) == std::string::npos;
    const bool pin_ok = credential.kind == "pin" && !value.empty() && value.size() <= intercom::gpio::kMaxPinDigits &&
                        value.find_first_not_of("0123456789") == std::string::npos;
    if (!card_ok && !pin_ok) {
      std::fprintf(stderr, "a reader gave a %s that no reader sends\n", credential.kind.c_str());
      std::abort();
    }
  }
}

void read_as_reader(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  using namespace std::chrono;
  intercom::gpio::WiegandReader reader(intercom::gpio::KeypadSettings{.key_timeout = seconds(1 + data[0] % 10), .submit_after = data[0] % 13});
  intercom::TimePoint at{};
  for (std::size_t i = 1; i + 2 < size; i += 3) {
    const auto scale = (data[i] & 4) ? 16 : 1;
    at += microseconds(static_cast<std::int64_t>((data[i + 1] << 8) | data[i + 2]) * scale);
    const auto line = (data[i] & 1) ? intercom::gpio::WiegandLine::d1 : intercom::gpio::WiegandLine::d0;
    check(reader.edge(line, (data[i] & 2) ? intercom::gpio::Level::low : intercom::gpio::Level::high, at));
    if (const auto due = reader.deadline(); due && (data[i] & 8)) check(reader.on_time(*due));
  }
  while (const auto due = reader.deadline()) check(reader.on_time(*due));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  intercom::gpio::WiegandDecoder decoder;
  std::int64_t at = 0;
  for (std::size_t i = 0; i + 2 < size; i += 3) {
    const auto scale = (data[i] & 4) ? 16 : 1;
    at += static_cast<std::int64_t>((data[i + 1] << 8) | data[i + 2]) * 1000 * scale;
    const auto line = (data[i] & 1) ? intercom::gpio::WiegandLine::d1 : intercom::gpio::WiegandLine::d0;
    if (auto frame = decoder.edge(line, (data[i] & 2) != 0, at)) check(*frame);
    if (const auto due = decoder.deadline(); due && (data[i] & 8))
      if (auto frame = decoder.on_time(*due)) check(*frame);
  }
  if (const auto due = decoder.deadline())
    if (auto frame = decoder.on_time(*due)) check(*frame);
  // Whole frames of any length, as the decoder ends them.
  std::vector<bool> bits;
  for (std::size_t i = 0; i < size && bits.size() < 64; ++i) bits.push_back((data[i] & 1) != 0);
  check(intercom::gpio::decode_wiegand(bits));
  read_as_reader(data, size);
  return 0;
}
