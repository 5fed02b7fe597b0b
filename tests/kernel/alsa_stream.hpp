#pragma once
/// The test's own side of a sound card (alsa-lib): what it plays into the card and what it records
/// from it, as a microphone and an ear held to the board's codec would.
#include <atomic>
#include <string>
#include <thread>

#include "wav_audio.hpp"

namespace intercom::testing {

/// Plays audio into an ALSA device, over and over, until destroyed.
class AlsaPlayer {
 public:
  AlsaPlayer(std::string device, WavAudio audio);
  ~AlsaPlayer();
  AlsaPlayer(const AlsaPlayer&) = delete;
  AlsaPlayer& operator=(const AlsaPlayer&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// Records this long from an ALSA device (16-bit mono at the rate asked); throws if it cannot.
WavAudio alsa_record(const std::string& device, double seconds, int rate = 8000);

}  // namespace intercom::testing
