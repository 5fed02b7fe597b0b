#include "telephony_change_plan.hpp"

#include "intercom/config/config.hpp"

namespace intercom::telephony {

TelephonyChangePlan plan_telephony_change(const TelephonyConfig& in_force, const TelephonyConfig& next) {
  if (next.backend != in_force.backend)
    throw ConfigError::at("/backend", "the backend (\"" + in_force.backend + "\" in force) changes only at a restart");
  // The simulated line has no listener and no account: nothing of the sip or account sections
  // touches it.
  if (next.backend == "simulated") return {};
  return {!next.linphone.same_listener(in_force.linphone), !next.linphone.same_account(in_force.linphone)};
}

}  // namespace intercom::telephony
