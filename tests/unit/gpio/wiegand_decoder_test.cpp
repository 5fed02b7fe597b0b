// Wiegand frames as readers and keypads send them, built here bit by bit with their parity (an
// encoder of the test's own), played as edges with the kernel's timestamps into the decoder.
#include <gtest/gtest.h>

#include "wiegand_decoder.hpp"

namespace intercom::gpio {
namespace {

constexpr std::int64_t kUs = 1000, kMs = 1000 * kUs;

std::vector<bool> bits_of(std::uint64_t value, int count) {
  std::vector<bool> bits;
  for (int i = count - 1; i >= 0; --i) bits.push_back(((value >> i) & 1) != 0);
  return bits;
}

/// A card of `bits` (26, 34 or 37): even parity first over the first half, odd parity last over the second.
std::vector<bool> card_bits(int bits, std::uint64_t facility, std::uint64_t number) {
  const int facility_bits = bits == 26 ? 8 : 16;
  auto data = bits_of(facility, facility_bits);
  const auto tail = bits_of(number, bits - 2 - facility_bits);
  data.insert(data.end(), tail.begin(), tail.end());
  // The halves of the data: 26 → 12 + 12, 34 → 16 + 16; 37 (H10304) → 18 + 18 that share the
  // frame's bit 18 (data bit 17), counted in both parities.
  const std::size_t first_half = bits == 37 ? 18 : (bits - 2) / 2;
  const std::size_t second_from = bits == 37 ? 17 : first_half;
  int first = 0, second = 0;
  for (std::size_t i = 0; i < first_half; ++i) first += data[i];
  for (std::size_t i = second_from; i < data.size(); ++i) second += data[i];
  std::vector<bool> frame{first % 2 == 1};
  frame.insert(frame.end(), data.begin(), data.end());
  frame.push_back(second % 2 == 0);
  return frame;
}

/// Plays the bits as a reader does: an 80 us low pulse on D0 or D1 every 2 ms, from `start`;
/// returns what the decoder gave, ending with the frame after the quiet time.
std::vector<WiegandFrame> play(WiegandDecoder& decoder, const std::vector<bool>& bits, std::int64_t start = 0, std::int64_t width = 80 * kUs) {
  std::vector<WiegandFrame> frames;
  std::int64_t at = start;
  for (const bool bit : bits) {
    const auto line = bit ? WiegandLine::d1 : WiegandLine::d0;
    if (auto frame = decoder.edge(line, true, at)) frames.push_back(*frame);
    if (auto frame = decoder.edge(line, false, at + width)) frames.push_back(*frame);
    at += 2 * kMs;
  }
  EXPECT_TRUE(decoder.deadline());
  if (decoder.deadline()) {
    EXPECT_FALSE(decoder.on_time(*decoder.deadline() - 1)) << "not before the quiet time";
    if (auto frame = decoder.on_time(*decoder.deadline())) frames.push_back(*frame);
  }
  return frames;
}

WiegandFrame one(const std::vector<bool>& bits) {
  WiegandDecoder decoder;
  const auto frames = play(decoder, bits);
  EXPECT_EQ(frames.size(), 1u);
  return frames.empty() ? WiegandFrame(WiegandError{}) : frames.front();
}

TEST(WiegandDecoder, CardsOf26_34And37BitsReadWithTheirFacilityAndNumber) {
  const auto h10301 = one(card_bits(26, 123, 45678));
  ASSERT_TRUE(std::holds_alternative<WiegandCard>(h10301)) << std::get<WiegandError>(h10301).reason;
  EXPECT_EQ(std::get<WiegandCard>(h10301).facility, 123u);
  EXPECT_EQ(std::get<WiegandCard>(h10301).number, 45678u);
  EXPECT_EQ(std::get<WiegandCard>(h10301).bits, 26);
  EXPECT_EQ(std::get<WiegandCard>(h10301).raw.size(), 26u);

  const auto card34 = one(card_bits(34, 4321, 65000));
  ASSERT_TRUE(std::holds_alternative<WiegandCard>(card34)) << std::get<WiegandError>(card34).reason;
  EXPECT_EQ(std::get<WiegandCard>(card34).facility, 4321u);
  EXPECT_EQ(std::get<WiegandCard>(card34).number, 65000u);

  const auto h10304 = one(card_bits(37, 65535, 524287));
  ASSERT_TRUE(std::holds_alternative<WiegandCard>(h10304)) << std::get<WiegandError>(h10304).reason;
  EXPECT_EQ(std::get<WiegandCard>(h10304).facility, 65535u);
  EXPECT_EQ(std::get<WiegandCard>(h10304).number, 524287u);
  for (const std::uint64_t number : {0u, 1u, 300000u}) {
    const auto again = one(card_bits(37, 7, number));
    ASSERT_TRUE(std::holds_alternative<WiegandCard>(again)) << number << ": " << std::get<WiegandError>(again).reason;
    EXPECT_EQ(std::get<WiegandCard>(again).number, number);
  }
}

TEST(WiegandDecoder, AKnownH10301FrameReadsAsItsFacilityAndNumber) {
  // Facility 1, card 1, worked by hand: even parity 1 (one 1 in the first 12 data bits), odd parity
  // 0 (one 1 in the last 12).
  std::vector<bool> bits;
  for (const char c : std::string("10000000100000000000000010")) bits.push_back(c == '1');
  EXPECT_EQ(decode_wiegand(bits), WiegandFrame(WiegandCard{.bits = 26, .facility = 1, .number = 1, .raw = "10000000100000000000000010"}));
  EXPECT_EQ(card_bits(26, 1, 1), bits) << "the test's encoder agrees";
}

TEST(WiegandDecoder, AParityErrorIsSaidNotGuessed) {
  for (const int bits : {26, 34, 37}) {
    auto frame = card_bits(bits, 99, 1234);
    for (const std::size_t flipped : {std::size_t{3}, frame.size() - 3}) {
      auto wrong = frame;
      wrong[flipped] = !wrong[flipped];
      const auto read = one(wrong);
      ASSERT_TRUE(std::holds_alternative<WiegandError>(read)) << bits << " bits, bit " << flipped << " flipped";
      EXPECT_NE(std::get<WiegandError>(read).reason.find("parity"), std::string::npos) << std::get<WiegandError>(read).reason;
      EXPECT_EQ(std::get<WiegandError>(read).bits, bits);
    }
  }
}

TEST(WiegandDecoder, KeypadsSendAKeyIn4BitsOrIn8WithItsComplement) {
  const std::string keys = "0123456789*#";
  for (std::size_t value = 0; value < keys.size(); ++value) {
    EXPECT_EQ(one(bits_of(value, 4)), WiegandFrame(WiegandKey{keys[value], 4})) << value;
    EXPECT_EQ(one(bits_of(((~value & 0xF) << 4) | value, 8)), WiegandFrame(WiegandKey{keys[value], 8})) << value;
  }
  EXPECT_TRUE(std::holds_alternative<WiegandError>(one(bits_of(14, 4)))) << "14 is no key";
  const auto unchecked = one(bits_of(0x55, 8));  // 0101 0101: the check nibble is not the complement
  ASSERT_TRUE(std::holds_alternative<WiegandError>(unchecked));
  EXPECT_NE(std::get<WiegandError>(unchecked).reason.find("complement"), std::string::npos);
}

TEST(WiegandDecoder, NoiseAPulseTooShortOrTooLongAndAFrameCutOffAreReported) {
  // A frame cut off: 20 bits of a 26-bit card.
  auto cut = card_bits(26, 1, 2);
  cut.resize(20);
  const auto short_frame = one(cut);
  ASSERT_TRUE(std::holds_alternative<WiegandError>(short_frame));
  EXPECT_EQ(std::get<WiegandError>(short_frame).bits, 20);
  EXPECT_NE(std::get<WiegandError>(short_frame).reason.find("20 bits"), std::string::npos);

  WiegandDecoder decoder;
  const auto glitch = play(decoder, card_bits(26, 1, 2), 0, 2 * kUs);
  ASSERT_EQ(glitch.size(), 1u);
  EXPECT_NE(std::get<WiegandError>(glitch[0]).reason.find("a pulse of 2 us on"), std::string::npos) << std::get<WiegandError>(glitch[0]).reason;
  const auto held = play(decoder, card_bits(26, 1, 2), 100 * kMs, 1500 * kUs);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_NE(std::get<WiegandError>(held[0]).reason.find("1500 us"), std::string::npos);

  // Both lines low at once.
  decoder.edge(WiegandLine::d0, true, 0);
  decoder.edge(WiegandLine::d1, true, 10 * kUs);
  decoder.edge(WiegandLine::d0, false, 80 * kUs);
  decoder.edge(WiegandLine::d1, false, 90 * kUs);
  const auto noise = decoder.on_time(*decoder.deadline());
  ASSERT_TRUE(noise && std::holds_alternative<WiegandError>(*noise));
  EXPECT_NE(std::get<WiegandError>(*noise).reason.find("both lines low"), std::string::npos);

  // A line held low (a cut wire): said when the quiet time passes.
  decoder.edge(WiegandLine::d1, true, 0);
  const auto stuck = decoder.on_time(*decoder.deadline());
  ASSERT_TRUE(stuck && std::holds_alternative<WiegandError>(*stuck));
  EXPECT_NE(std::get<WiegandError>(*stuck).reason.find("never ended"), std::string::npos);
  EXPECT_FALSE(decoder.deadline()) << "idle again";
}

TEST(WiegandDecoder, TwoFramesApartAreTwoAndALoneRisingEdgeIsNothing) {
  WiegandDecoder decoder;
  // The second card's first edge comes after the first's quiet time, before on_time was called.
  std::vector<WiegandFrame> frames;
  std::int64_t at = 0;
  for (const auto& bits : {card_bits(26, 10, 20), card_bits(26, 30, 40)}) {
    for (const bool bit : bits) {
      const auto line = bit ? WiegandLine::d1 : WiegandLine::d0;
      if (auto frame = decoder.edge(line, true, at)) frames.push_back(*frame);
      if (auto frame = decoder.edge(line, false, at + 80 * kUs)) frames.push_back(*frame);
      at += 2 * kMs;
    }
    at += 100 * kMs;
  }
  if (auto frame = decoder.on_time(at)) frames.push_back(*frame);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(std::get<WiegandCard>(frames[0]).facility, 10u);
  EXPECT_EQ(std::get<WiegandCard>(frames[1]).number, 40u);

  decoder.edge(WiegandLine::d0, false, at + kMs);  // low before we looked
  EXPECT_FALSE(decoder.on_time(*decoder.deadline()));
}

}  // namespace
}  // namespace intercom::gpio
