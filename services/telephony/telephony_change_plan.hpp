#pragma once
/// What a new telephony configuration does to the line, worked out before anything moves. Pure.
#include "telephony_config.hpp"

namespace intercom::telephony {

struct TelephonyChangePlan {
  bool listener_changed = false;  ///< the line restarts: a call in progress ends
  bool account_changed = false;   ///< registers again; calls go on
};

/// The auto-answer list and peer hosts always apply at once. Throws ConfigError::at("/backend") if
/// the backend changes: that needs a restart.
TelephonyChangePlan plan_telephony_change(const TelephonyConfig& in_force, const TelephonyConfig& next);

}  // namespace intercom::telephony
