#pragma once
/// Sound cards by the names ALSA gives them ("plughw:CARD=Device,DEV=0"), as an installer finds them
/// with arecord -L, among mediastreamer's cards. mediastreamer names the cards it finds its own way
/// (one "sysdefault:N" per card) and liblinphone lists them once, from the card manager's detection:
/// a card merely added to the manager is not among the devices a call uses (it took the default card,
/// found on the ALSA loopback card of the kernel VM). So the named cards come from a detection of
/// their own, which a reload of the sound devices runs again.
#include <string>
#include <vector>

struct _MSSndCardManager;

namespace intercom::telephony {

/// Registers the detection of these ALSA devices on the card manager (once per process: the
/// detection has no state of its own). Reload the core's sound devices afterwards.
void register_named_alsa_cards(_MSSndCardManager* manager, std::vector<std::string> devices);

/// mediastreamer's id of the card made for this ALSA device ("ALSA Unknown: plughw:..."), or ""
/// when the manager has none.
std::string named_alsa_card_id(_MSSndCardManager* manager, const std::string& device);

}  // namespace intercom::telephony
