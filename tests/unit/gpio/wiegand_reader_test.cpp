// A reader fed the edges a simulated reader puts on its lines (wiegand_waveform): cards, keys
// gathered into a PIN, and frames that do not read reported, never guessed.
#include <gtest/gtest.h>

#include "wiegand_reader.hpp"
#include "wiegand_waveform.hpp"

namespace intercom::gpio {
namespace {

using namespace std::chrono_literals;

/// H10301: facility 12, card 34567, parity computed by hand: even over the first 12 data bits,
/// odd over the last 12.
const std::string kCard26 = "1" "00001100" "1000011100000111" "1";
/// The 8-bit form of a key: its complement, then the key.
std::string key8(int key) {
  std::string bits;
  for (int i = 3; i >= 0; --i) bits += ((~key >> i) & 1) ? '1' : '0';
  for (int i = 3; i >= 0; --i) bits += ((key >> i) & 1) ? '1' : '0';
  return bits;
}

struct Played {
  std::vector<ReaderCredential> credentials;
  std::vector<std::string> faults;
};

/// Sends each frame as a reader does (80 us pulses, 2 ms apart), 100 ms between frames, and lets
/// every timer the reader asks for run.
Played play(WiegandReader& reader, const std::vector<std::string>& frames, std::chrono::microseconds pulse = 80us) {
  Played played;
  auto take = [&](const ReaderOutcome& outcome) {
    played.credentials.insert(played.credentials.end(), outcome.credentials.begin(), outcome.credentials.end());
    for (const auto& fault : outcome.faults) played.faults.push_back(fault.reason);
  };
  TimePoint at{};
  for (const auto& frame : frames) {
    for (const auto& edge : wiegand_waveform(frame, at, pulse, 2ms)) take(reader.edge(edge.line, edge.level, edge.at));
    at += 100ms;
    while (reader.deadline() && *reader.deadline() <= at) take(reader.on_time(*reader.deadline()));
  }
  while (reader.deadline()) take(reader.on_time(*reader.deadline()));
  return played;
}

TEST(WiegandReader, ACardIsReadAsFacilityDashNumber) {
  WiegandReader reader(KeypadSettings{});
  const auto played = play(reader, {kCard26});
  ASSERT_EQ(played.credentials.size(), 1u) << (played.faults.empty() ? "" : played.faults.front());
  EXPECT_EQ(played.credentials.front(), (ReaderCredential{"card", "12-34567", 26}));
}

TEST(WiegandReader, KeysOfFourAndEightBitsMakeOnePin) {
  WiegandReader reader(KeypadSettings{});
  const auto played = play(reader, {"0100", key8(7), "0001", key8(1), "1011"});
  ASSERT_EQ(played.credentials.size(), 1u);
  EXPECT_EQ(played.credentials.front(), (ReaderCredential{"pin", "4711", 0}));
  EXPECT_TRUE(played.faults.empty());
}

TEST(WiegandReader, ACardWithABitFlippedIsAFaultNotACard) {
  WiegandReader reader(KeypadSettings{});
  auto flipped = kCard26;
  flipped[5] = flipped[5] == '0' ? '1' : '0';
  const auto played = play(reader, {flipped});
  EXPECT_TRUE(played.credentials.empty());
  ASSERT_EQ(played.faults.size(), 1u);
  EXPECT_NE(played.faults.front().find("parity"), std::string::npos) << played.faults.front();
}

TEST(WiegandReader, AFrameCutOffOrPulsesTooShortAreFaults) {
  WiegandReader reader(KeypadSettings{});
  const auto cut = play(reader, {kCard26.substr(0, 20)});
  ASSERT_EQ(cut.faults.size(), 1u);
  EXPECT_NE(cut.faults.front().find("20 bit"), std::string::npos) << cut.faults.front();
  const auto noise = play(reader, {kCard26}, 2us);
  EXPECT_TRUE(noise.credentials.empty());
  ASSERT_EQ(noise.faults.size(), 1u);
  EXPECT_NE(noise.faults.front().find("pulse of"), std::string::npos) << noise.faults.front();
}

TEST(WiegandReader, AnUnfinishedPinIsReportedAfterTheKeyTimeout) {
  WiegandReader reader(KeypadSettings{.key_timeout = 5s});
  const auto played = play(reader, {"0100", "0111"});
  EXPECT_TRUE(played.credentials.empty());
  ASSERT_EQ(played.faults.size(), 1u);
  EXPECT_NE(played.faults.front().find("keypad: 2 digit(s)"), std::string::npos) << played.faults.front();
}

TEST(WiegandWaveform, PulsesAlternateLowAndHighOnTheLineOfEachBitInTimeOrder) {
  const auto edges = wiegand_waveform("10", TimePoint{}, 80us, 2ms);
  ASSERT_EQ(edges.size(), 4u);
  EXPECT_EQ(edges[0], (WiegandEdge{WiegandLine::d1, Level::low, TimePoint{}}));
  EXPECT_EQ(edges[1], (WiegandEdge{WiegandLine::d1, Level::high, TimePoint{} + 80us}));
  EXPECT_EQ(edges[2], (WiegandEdge{WiegandLine::d0, Level::low, TimePoint{} + 2ms}));
  EXPECT_EQ(edges[3], (WiegandEdge{WiegandLine::d0, Level::high, TimePoint{} + 2080us}));
}

}  // namespace
}  // namespace intercom::gpio
