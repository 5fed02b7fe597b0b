#pragma once
/// Which sound devices a call uses, decided once the configured ones have been tried. A door phone
/// without a sound card (the launcher, CI, a board whose codec is missing) still sends RTP: silence,
/// or the announcement, from files. Pure: opening a device is passed in.
#include <functional>
#include <optional>
#include <string>

#include "linphone_settings.hpp"

namespace intercom::telephony {

/// One side of the audio as it came out: the device used, or why none is.
struct AudioSide {
  std::string device;  ///< as configured
  /// "ok": the device is used; "none": configured "none"; "missing": it cannot be opened.
  std::string state;
  std::string reason;  ///< for "missing": what opening it said
};

struct AudioPlan {
  /// Both devices open: calls use the sound card. Otherwise files: the caller hears silence or the
  /// announcement, and what the caller says is only recorded (when record_dir says so).
  bool sound_card = false;
  AudioSide capture;
  AudioSide playback;
};

/// Tries a device: nothing when it opens, or why not.
using DeviceProbe = std::function<std::optional<std::string>(const std::string& device, bool capture)>;

AudioPlan plan_audio(const AudioSettings& settings, const DeviceProbe& opens);

}  // namespace intercom::telephony
