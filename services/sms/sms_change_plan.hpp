#pragma once
/// What a new sms configuration does, worked out before anything moves. Pure.
///
/// Trust lists, aliases, incoming limits and the retry policy always apply at once, the outbox kept.
#include "sms_config.hpp"

namespace intercom::sms {

struct SmsChangePlan {
  bool modem_changed = false;  ///< the modem transport is replaced (or added, or removed)
};

/// Throws ConfigError at /outbox/state_dir or /sip for what changes only at a restart.
SmsChangePlan plan_sms_change(const SmsConfig& in_force, const SmsConfig& next);

}  // namespace intercom::sms
