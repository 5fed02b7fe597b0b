// intercom-sparkplug: the device as a Sparkplug B edge node for SCADA hosts.
#include "intercom/contract/service_names.hpp"
#include "sparkplug_service.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(
      argc, argv,
      {.name = std::string(intercom::service_name::sparkplug), .description = "intercom-io sparkplug service: the device as a Sparkplug B edge node"},
      intercom::sparkplug::make_sparkplug_service);
}
