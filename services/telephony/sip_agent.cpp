#include "sip_agent.hpp"

namespace intercom::telephony {

std::string_view to_string(RegistrationState state) {
  switch (state) {
    case RegistrationState::none: return "none";
    case RegistrationState::progress: return "progress";
    case RegistrationState::ok: return "ok";
    case RegistrationState::cleared: return "cleared";
    case RegistrationState::failed: return "failed";
  }
  return "none";
}

}  // namespace intercom::telephony
