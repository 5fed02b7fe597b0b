#include "linphone_settings.hpp"

namespace intercom::telephony {

bool LinphoneSettings::same_account(const LinphoneSettings& other) const {
  return registrar == other.registrar && user == other.user && domain == other.domain && password == other.password &&
         expires_s == other.expires_s;
}

bool LinphoneSettings::same_listener(const LinphoneSettings& other) const {
  return listen_address == other.listen_address && session_expires_s == other.session_expires_s &&
         media_address == other.media_address && port == other.port && transport == other.transport &&
         media_port_min == other.media_port_min && media_port_max == other.media_port_max &&
         dtmf_send == other.dtmf_send && data_dir == other.data_dir && identity == other.identity && audio == other.audio;
}

}  // namespace intercom::telephony
