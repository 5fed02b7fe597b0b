#include "alsa_stream.hpp"

#include <alsa/asoundlib.h>

#include <stdexcept>
#include <vector>

namespace intercom::testing {
namespace {

snd_pcm_t* open_pcm(const std::string& device, snd_pcm_stream_t stream, int rate) {
  snd_pcm_t* pcm = nullptr;
  if (const int error = snd_pcm_open(&pcm, device.c_str(), stream, 0); error < 0)
    throw std::runtime_error("ALSA cannot open " + device + ": " + snd_strerror(error));
  // Half a second of latency: under the VM's emulated CPU, less underruns.
  if (const int error = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, static_cast<unsigned>(rate), 1, 500000);
      error < 0) {
    snd_pcm_close(pcm);
    throw std::runtime_error("ALSA cannot set up " + device + ": " + snd_strerror(error));
  }
  return pcm;
}

}  // namespace

AlsaPlayer::AlsaPlayer(std::string device, WavAudio audio) {
  snd_pcm_t* pcm = open_pcm(device, SND_PCM_STREAM_PLAYBACK, audio.rate);
  thread_ = std::thread([this, pcm, audio = std::move(audio)] {
    std::vector<int16_t> samples;
    for (const double sample : audio.samples) samples.push_back(static_cast<int16_t>(sample * 32767));
    size_t at = 0;
    while (!stop_ && !samples.empty()) {
      const auto frames = std::min<size_t>(400, samples.size() - at);
      const auto written = snd_pcm_writei(pcm, samples.data() + at, frames);
      if (written < 0) {
        snd_pcm_recover(pcm, static_cast<int>(written), 1);
        continue;
      }
      at = (at + static_cast<size_t>(written)) % samples.size();
    }
    snd_pcm_drop(pcm);
    snd_pcm_close(pcm);
  });
}

AlsaPlayer::~AlsaPlayer() {
  stop_ = true;
  thread_.join();
}

WavAudio alsa_record(const std::string& device, double seconds, int rate) {
  snd_pcm_t* pcm = open_pcm(device, SND_PCM_STREAM_CAPTURE, rate);
  // snd_pcm_set_params() sets a capture to start once a whole buffer is asked for at once; reads of
  // less would wait for a start that never comes (EIO): started here.
  if (const int error = snd_pcm_start(pcm); error < 0) {
    snd_pcm_close(pcm);
    throw std::runtime_error("ALSA cannot start recording from " + device + ": " + snd_strerror(error));
  }
  WavAudio audio;
  audio.rate = rate;
  std::vector<int16_t> buffer(400);
  const auto wanted = static_cast<size_t>(seconds * rate);
  while (audio.samples.size() < wanted) {
    const auto read = snd_pcm_readi(pcm, buffer.data(), buffer.size());
    if (read < 0) {
      if (const int recovered = snd_pcm_recover(pcm, static_cast<int>(read), 1); recovered < 0) {
        snd_pcm_close(pcm);
        throw std::runtime_error("ALSA cannot record from " + device + " after " + std::to_string(audio.samples.size()) + " samples: " +
                                 snd_strerror(static_cast<int>(read)) + " (recovering: " + snd_strerror(recovered) + ")");
      }
      continue;
    }
    for (snd_pcm_sframes_t i = 0; i < read; ++i) audio.samples.push_back(buffer[static_cast<size_t>(i)] / 32768.0);
  }
  snd_pcm_close(pcm);
  return audio;
}

}  // namespace intercom::testing
