// intercom-sms: ALERT= text messages in and out, over SIP MESSAGE and a GSM modem.
#include "intercom/contract/service_names.hpp"
#include "sms_service.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(
      argc, argv, {.name = std::string(intercom::service_name::sms), .description = "intercom-io sms service: text messages over SIP MESSAGE and a GSM modem"},
      intercom::sms::make_sms_service);
}
