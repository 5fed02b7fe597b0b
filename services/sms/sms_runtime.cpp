// Builds what the sms service runs on from its config: the transports, then the service.
#include "serial_modem.hpp"
#include "sip_transport.hpp"
#include "sms_service.hpp"

namespace intercom::sms {

std::unique_ptr<Service> make_sms_service(ServiceContext& context) {
  auto settings = sms_settings_from(context.config, context.config_file);
  SmsTransports transports;
  if (settings.sip_enabled)
    transports.sip = std::make_unique<SipTransport>(context.io, context.bus, settings.sip_result_timeout, context.log);
  if (settings.modem) transports.gsm = std::make_unique<SerialModem>(context.io, *settings.modem, context.log);
  return std::make_unique<SmsService>(context, std::move(settings), std::move(transports));
}

}  // namespace intercom::sms
