#include "wav_audio.hpp"

#include <cmath>
#include <fstream>
#include <numbers>
#include <stdexcept>

namespace intercom::testing {
namespace {

std::uint32_t u32(const std::vector<char>& bytes, std::size_t at) {
  return static_cast<std::uint8_t>(bytes[at]) | static_cast<std::uint8_t>(bytes[at + 1]) << 8 |
         static_cast<std::uint8_t>(bytes[at + 2]) << 16 | static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[at + 3])) << 24;
}
std::uint16_t u16(const std::vector<char>& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<std::uint8_t>(bytes[at]) | static_cast<std::uint8_t>(bytes[at + 1]) << 8);
}

}  // namespace

WavAudio read_wav(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  if (bytes.size() < 12 || std::string(bytes.data(), 4) != "RIFF" || std::string(bytes.data() + 8, 4) != "WAVE")
    throw std::runtime_error(file.string() + " is not a WAV file");
  WavAudio audio;
  int channels = 1, bits = 0;
  std::size_t at = 12;
  while (at + 8 <= bytes.size()) {
    const std::string id(bytes.data() + at, 4);
    auto size = static_cast<std::size_t>(u32(bytes, at + 4));
    at += 8;
    if (id == "fmt " && at + 16 <= bytes.size()) {
      channels = u16(bytes, at + 2);
      audio.rate = static_cast<int>(u32(bytes, at + 4));
      bits = u16(bytes, at + 14);
    } else if (id == "data") {
      if (bits != 16) throw std::runtime_error(file.string() + ": not 16-bit PCM");
      // A recorder stopped by a kill leaves the size unwritten: what is there counts.
      size = std::min(size, bytes.size() - at);
      for (std::size_t frame = at; frame + 2 * channels <= at + size; frame += 2 * channels) {
        double sum = 0;
        for (int channel = 0; channel < channels; ++channel) sum += static_cast<std::int16_t>(u16(bytes, frame + 2 * channel)) / 32768.0;
        audio.samples.push_back(sum / channels);
      }
      return audio;
    }
    at += size + (size % 2);
  }
  throw std::runtime_error(file.string() + ": no audio data");
}

void write_tone_wav(const std::filesystem::path& file, double frequency, double seconds, int rate, double amplitude) {
  const auto frames = static_cast<std::uint32_t>(seconds * rate);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  const auto put32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  const auto put16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  out.write("RIFF", 4);
  put32(36 + frames * 2);
  out.write("WAVEfmt ", 8);
  put32(16);
  put16(1);
  put16(1);
  put32(static_cast<std::uint32_t>(rate));
  put32(static_cast<std::uint32_t>(rate) * 2);
  put16(2);
  put16(16);
  out.write("data", 4);
  put32(frames * 2);
  for (std::uint32_t i = 0; i < frames; ++i) {
    const double value = frequency > 0 ? amplitude * std::sin(2 * std::numbers::pi * frequency * i / rate) : 0;
    put16(static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(value * 32767))));
  }
}

double tone_share(const WavAudio& audio, double frequency, double from_s, double length_s) {
  const auto begin = std::min(audio.samples.size(), static_cast<std::size_t>(from_s * audio.rate));
  const auto end = length_s > 0 ? std::min(audio.samples.size(), begin + static_cast<std::size_t>(length_s * audio.rate)) : audio.samples.size();
  const auto n = end - begin;
  if (n == 0) return 0;
  // Goertzel: the power at one frequency; for a pure tone it is n/2 times its mean square.
  const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / audio.rate);
  double s1 = 0, s2 = 0, energy = 0;
  for (auto i = begin; i < end; ++i) {
    const double s0 = audio.samples[i] + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += audio.samples[i] * audio.samples[i];
  }
  const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  if (energy <= 0) return 0;
  return std::min(1.0, power / (energy * static_cast<double>(n) / 2));
}

double tone_coverage(const WavAudio& audio, double frequency) {
  int windows = 0, heard = 0;
  for (double at = 0.5; at + 0.1 <= audio.seconds() - 0.5; at += 0.1, ++windows)
    if (tone_share(audio, frequency, at, 0.1) > 0.5) ++heard;
  return windows == 0 ? 0 : static_cast<double>(heard) / windows;
}

double seconds_of_sound(const WavAudio& audio, double threshold) {
  const std::size_t window = static_cast<std::size_t>(audio.rate / 50);
  std::size_t loud = 0;
  for (std::size_t at = 0; at + window <= audio.samples.size(); at += window) {
    double sum = 0;
    for (std::size_t i = at; i < at + window; ++i) sum += audio.samples[i] * audio.samples[i];
    if (std::sqrt(sum / window) > threshold) ++loud;
  }
  return loud * 0.02;
}

}  // namespace intercom::testing
