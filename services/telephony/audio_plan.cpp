#include "audio_plan.hpp"

namespace intercom::telephony {
namespace {

AudioSide try_side(const std::string& device, bool capture, const DeviceProbe& opens) {
  if (device == "none") return {device, "none", ""};
  if (auto problem = opens(device, capture)) return {device, "missing", *problem};
  return {device, "ok", ""};
}

}  // namespace

AudioPlan plan_audio(const AudioSettings& settings, const DeviceProbe& opens) {
  AudioPlan plan;
  plan.capture = try_side(settings.capture, true, opens);
  plan.playback = try_side(settings.playback, false, opens);
  // liblinphone uses sound cards for both sides of a call or files for both: a microphone without
  // a loudspeaker (or the other way) is used as neither, and said so.
  plan.sound_card = plan.capture.state == "ok" && plan.playback.state == "ok";
  if (!plan.sound_card) {
    for (auto* side : {&plan.capture, &plan.playback}) {
      if (side->state != "ok") continue;
      side->state = "unused";
      side->reason = "it opens, but the other side does not: a call uses a sound card for both sides or for neither";
    }
  }
  return plan;
}

}  // namespace intercom::telephony
