#include "alsa_probe.hpp"

#include <alsa/asoundlib.h>

namespace intercom::telephony {

namespace {

/// alsa-lib prints its configuration's complaints to standard error (a board without card 0 gets
/// six lines per try): the reason is returned and logged by the service instead.
void quiet(const char*, int, const char*, int, const char*, ...) {}

}  // namespace

std::optional<std::string> alsa_device_problem(const std::string& device, bool capture) {
  snd_lib_error_set_handler(&quiet);
  snd_pcm_t* pcm = nullptr;
  // Non-blocking: a device another program holds answers "busy" at once instead of waiting.
  const int error = snd_pcm_open(&pcm, device.c_str(), capture ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
  snd_lib_error_set_handler(nullptr);
  if (error < 0) return std::string("ALSA cannot open \"") + device + "\" for " + (capture ? "capture" : "playback") + ": " + snd_strerror(error);
  snd_pcm_close(pcm);
  return std::nullopt;
}

}  // namespace intercom::telephony
