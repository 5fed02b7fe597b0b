#include "sms_change_plan.hpp"

#include "intercom/config/config.hpp"

namespace intercom::sms {

SmsChangePlan plan_sms_change(const SmsConfig& in_force, const SmsConfig& next) {
  if (next.state_dir != in_force.state_dir)
    throw ConfigError::at("/outbox/state_dir", "the outbox's folder changes only at a restart (the messages waiting "
                                               "in " + in_force.state_dir.string() + " would be left behind)");
  // The SIP transport subscribes to the telephony service's topics once, for the life of the service.
  if (next.sip_enabled != in_force.sip_enabled || next.sip_result_timeout != in_force.sip_result_timeout)
    throw ConfigError::at("/sip", "the SIP transport's settings change only at a restart");
  return {next.modem != in_force.modem};
}

}  // namespace intercom::sms
