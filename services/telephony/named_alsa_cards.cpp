#include "named_alsa_cards.hpp"

#include <mediastreamer2/mssndcard.h>

namespace intercom::telephony {
namespace {

// The devices of the one core of the process; the detection callback takes no user data.
std::vector<std::string>& named_devices() {
  static std::vector<std::string> devices;
  return devices;
}

void detect_named_cards(MSSndCardManager* manager) {
  for (const auto& device : named_devices()) ms_snd_card_manager_add_card(manager, ms_alsa_card_new_custom(device.c_str(), device.c_str()));
}

MSSndCardDesc named_cards_desc{.driver_type = "ALSA", .detect = detect_named_cards};

}  // namespace

void register_named_alsa_cards(MSSndCardManager* manager, std::vector<std::string> devices) {
  named_devices() = std::move(devices);
  ms_snd_card_manager_register_desc(manager, &named_cards_desc);  // detects at once
}

std::string named_alsa_card_id(MSSndCardManager* manager, const std::string& device) {
  for (const auto* card = ms_snd_card_manager_get_list(manager); card; card = card->next) {
    const auto* sound_card = static_cast<const MSSndCard*>(card->data);
    const char* name = ms_snd_card_get_name(sound_card);
    if (name && name == device) return ms_snd_card_get_string_id(sound_card);
  }
  return "";
}

}  // namespace intercom::telephony
