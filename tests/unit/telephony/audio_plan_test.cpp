// Which sound devices a call uses: both when both open, else files (silence or the announcement).
#include "audio_plan.hpp"

#include <set>

#include <gtest/gtest.h>

namespace intercom::telephony {
namespace {

DeviceProbe opening(std::set<std::string> devices) {
  return [devices](const std::string& device, bool) -> std::optional<std::string> {
    if (devices.contains(device)) return std::nullopt;
    return "no such device";
  };
}

TEST(AudioPlan, BothDevicesOpenSoTheSoundCardIsUsed) {
  AudioSettings settings;
  settings.capture = "plughw:CARD=Device,DEV=0";
  settings.playback = "plughw:CARD=Device,DEV=0";
  const auto plan = plan_audio(settings, opening({"plughw:CARD=Device,DEV=0"}));
  EXPECT_TRUE(plan.sound_card);
  EXPECT_EQ(plan.capture.state, "ok");
  EXPECT_EQ(plan.playback.state, "ok");
}

TEST(AudioPlan, NoSoundCardMeansFilesAndSaysWhy) {
  const auto plan = plan_audio(AudioSettings{}, opening({}));
  EXPECT_FALSE(plan.sound_card);
  EXPECT_EQ(plan.capture.state, "missing");
  EXPECT_EQ(plan.capture.reason, "no such device");
  AudioSettings none;
  none.capture = "none";
  none.playback = "default";
  const auto half = plan_audio(none, opening({"default"}));
  EXPECT_FALSE(half.sound_card) << "a loudspeaker without a microphone is not used alone";
  EXPECT_EQ(half.capture.state, "none");
  EXPECT_EQ(half.playback.state, "unused");
  EXPECT_FALSE(half.playback.reason.empty());
}

}  // namespace
}  // namespace intercom::telephony
