// The agent's sound: which ALSA devices a call uses (or the files that stand in for them), the
// codecs, the recording of each call and the announcement played when it is answered.
#include "linphone_agent.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>

#include <linphone++/linphone.hh>

#include "linphone_agent_events.hpp"

namespace intercom::telephony {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// A file name from a peer's URI: letters, digits and @._- kept, the rest made "_".
std::string file_name_part(const std::string& text) {
  std::string name;
  for (char c : text.substr(0, 60)) name += std::isalnum(static_cast<unsigned char>(c)) || c == '@' || c == '.' || c == '-' ? c : '_';
  return name;
}

std::string local_timestamp() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
  return text;
}

}  // namespace

void LinphoneAgent::set_up_audio() {
  const auto& audio = settings_.audio;
  // The codecs configured, in their order; every other one off.
  const auto available = core_->getAudioPayloadTypes();
  std::list<std::shared_ptr<linphone::PayloadType>> ordered;
  std::string offered;
  for (const auto& name : audio.codecs) {
    for (const auto& type : available) {
      if (lower(type->getMimeType()) != name) continue;
      type->enable(true);
      ordered.push_back(type);
      offered += (offered.empty() ? "" : ", ") + type->getMimeType() + "/" + std::to_string(type->getClockRate());
    }
  }
  for (const auto& type : available) {
    if (std::find(ordered.begin(), ordered.end(), type) != ordered.end()) continue;
    type->enable(false);
    ordered.push_back(type);
  }
  core_->setAudioPayloadTypes(ordered);
  core_->enableEchoCancellation(audio.echo_cancellation);
  core_->setMicGainDb(static_cast<float>(audio.mic_gain_db));
  core_->setPlaybackGainDb(static_cast<float>(audio.playback_gain_db));
  // A call takes the core's default audio devices (setCaptureDevice() alone left calls on ALSA's
  // "default"); liblinphone keeps its choice when it does not find a device: the choice is checked.
  const auto device = [this](const std::string& id) -> std::shared_ptr<linphone::AudioDevice> {
    for (const auto& candidate : core_->getExtendedAudioDevices())
      if (candidate->getId() == id) return candidate;
    return nullptr;
  };
  const auto microphone = audio_plan_.sound_card ? device(capture_card_id_) : nullptr;
  const auto loudspeaker = audio_plan_.sound_card ? device(playback_card_id_) : nullptr;
  if (microphone && loudspeaker) {
    core_->setUseFiles(false);
    core_->setDefaultInputAudioDevice(microphone);
    core_->setDefaultOutputAudioDevice(loudspeaker);
    core_->setInputAudioDevice(microphone);
    core_->setOutputAudioDevice(loudspeaker);
  }
  const auto chosen = [](const std::shared_ptr<const linphone::AudioDevice>& d) { return d ? d->getId() : std::string("none"); };
  if (microphone && loudspeaker && chosen(core_->getDefaultInputAudioDevice()) == capture_card_id_ &&
      chosen(core_->getDefaultOutputAudioDevice()) == playback_card_id_) {
    log_->info("sip: audio: microphone {}, loudspeaker {}; codecs {}", audio.capture, audio.playback, offered);
  } else {
    if (audio_plan_.sound_card)
      log_->error("sip: audio: liblinphone did not take the sound cards \"{}\" and \"{}\" (it has {} and {})", capture_card_id_, playback_card_id_,
                  chosen(core_->getDefaultInputAudioDevice()), chosen(core_->getDefaultOutputAudioDevice()));
    audio_plan_.sound_card = false;
    // No sound card: what the far end hears comes from a file, silence unless an announcement
    // plays, so that RTP flows all the same.
    core_->setUseFiles(true);
    core_->setPlayFile(silence_file_);
    log_->warn("sip: audio: no sound card (microphone {}: {}; loudspeaker {}: {}): calls send silence{}; codecs {}", audio.capture,
               audio_plan_.capture.reason.empty() ? audio_plan_.capture.state : audio_plan_.capture.reason, audio.playback,
               audio_plan_.playback.reason.empty() ? audio_plan_.playback.state : audio_plan_.playback.reason,
               audio.playback_file.empty() ? "" : " or the announcement", offered);
  }
  if (!audio.record_dir.empty()) std::filesystem::create_directories(audio.record_dir);
  player_events_ = std::make_shared<PlayerEvents>(*this);
}

std::shared_ptr<linphone::CallParams> LinphoneAgent::call_params(const std::shared_ptr<linphone::Call>& call, const std::string& peer) {
  auto params = core_->createCallParams(call);
  if (!settings_.audio.record_dir.empty())
    params->setRecordFile(settings_.audio.record_dir + "/" + local_timestamp() + "-" + file_name_part(peer) + ".wav");
  return params;
}

void LinphoneAgent::streams_running(const std::shared_ptr<linphone::Call>& call, const std::string& call_id) {
  // Once per call: a re-INVITE (hold, a codec change) runs the streams again.
  if (!settings_.audio.record_dir.empty() && !call->isRecording()) {
    call->startRecording();
    log_->info("call {}: recording to {}", call_id, call->getParams()->getRecordFile());
  }
  if (announce_.erase(call_id) == 0 || settings_.audio.playback_file.empty()) return;
  auto player = call->getPlayer();
  if (!player) return;
  player->addListener(player_events_);
  if (player->open(settings_.audio.playback_file) != 0 || player->start() != 0)
    log_->warn("call {}: the announcement {} cannot be played (a 16-bit PCM WAV file?)", call_id, settings_.audio.playback_file);
  else
    log_->info("call {}: playing the announcement {}", call_id, settings_.audio.playback_file);
}

}  // namespace intercom::telephony
