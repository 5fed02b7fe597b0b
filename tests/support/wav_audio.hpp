#pragma once
/// WAV files for the audio tests: a tone to send, and how much of a known tone a recording holds
/// (the Goertzel algorithm at one frequency, against the recording's whole power).
#include <cstdint>
#include <filesystem>
#include <vector>

namespace intercom::testing {

struct WavAudio {
  int rate = 8000;
  std::vector<double> samples;  ///< mono (channels averaged), -1..1
  double seconds() const { return rate > 0 ? static_cast<double>(samples.size()) / rate : 0; }
};

/// A 16-bit PCM WAV file (any rate, any channels); throws if it is not one.
WavAudio read_wav(const std::filesystem::path& file);

/// A tone (or silence, frequency 0) as a 16-bit mono PCM WAV file.
void write_tone_wav(const std::filesystem::path& file, double frequency, double seconds, int rate = 8000, double amplitude = 0.5);

/// The share (0..1) of the audio's power that is at this frequency, from `from_s` for `length_s`
/// seconds (0: to the end).
double tone_share(const WavAudio& audio, double frequency, double from_s = 0, double length_s = 0);

/// The share (0..1) of 100 ms windows, after the first and before the last half second, in which
/// the tone is more than half the power: 1 for a tone heard without a gap.
double tone_coverage(const WavAudio& audio, double frequency);

/// The seconds of the audio louder than silence (an RMS over 20 ms windows above the threshold).
double seconds_of_sound(const WavAudio& audio, double threshold = 0.01);

}  // namespace intercom::testing
