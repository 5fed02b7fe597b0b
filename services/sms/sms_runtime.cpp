// Builds what the sms service runs on from its config: the transports, then the service; and how
// it takes a new configuration.
#include "serial_modem.hpp"
#include "sip_transport.hpp"
#include "sms_service.hpp"

namespace intercom::sms {
namespace {

std::unique_ptr<Transport> make_gsm(ServiceContext& context, const SmsSettings& settings) {
  if (!settings.modem) return nullptr;
  return std::make_unique<SerialModem>(context.io, *settings.modem, context.log);
}

}  // namespace

std::unique_ptr<Service> make_sms_service(ServiceContext& context) {
  auto settings = sms_settings_from(context.config, context.config_file);
  SmsTransports transports;
  if (settings.sip_enabled)
    transports.sip = std::make_unique<SipTransport>(context.io, context.bus, settings.sip_result_timeout, context.log);
  transports.gsm = make_gsm(context, settings);
  auto service = std::make_unique<SmsService>(context, std::move(settings), std::move(transports));
  context.live_config.accept_changes({}, [&context, service = service.get()](const nlohmann::json& document) {
    return service->prepare(sms_settings_from(document, context.config_file),
                            [&context](const SmsSettings& next) { return make_gsm(context, next); });
  });
  return service;
}

}  // namespace intercom::sms
