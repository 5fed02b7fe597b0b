#pragma once
/// Whether an ALSA device opens now, as the board's codec or a USB sound card shows it
/// ("default", "plughw:CARD=Device,DEV=0", "hw:1,0"): tried before liblinphone is told to use it,
/// because liblinphone would only log, at the first call, that it found no card.
#include <optional>
#include <string>

namespace intercom::telephony {

/// Nothing when the device opens for capture (or playback), or what ALSA said.
std::optional<std::string> alsa_device_problem(const std::string& device, bool capture);

}  // namespace intercom::telephony
