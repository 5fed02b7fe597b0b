// intercom-discovery: the device in Home Assistant, by MQTT device-based discovery.
#include "discovery_service.hpp"
#include "intercom/contract/service_names.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(
      argc, argv,
      {.name = std::string(intercom::service_name::discovery), .description = "intercom-io discovery service: the device in Home Assistant"},
      intercom::discovery::make_discovery_service);
}
