// intercom-telephony: the intercom's SIP line on the bus (calls, call state, DTMF, SIP MESSAGE).
#include "intercom/contract/service_names.hpp"
#include "telephony_service.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(
      argc, argv, {.name = std::string(intercom::service_name::telephony), .description = "intercom-io telephony service: a SIP user agent on the bus"},
      intercom::telephony::make_telephony_service);
}
