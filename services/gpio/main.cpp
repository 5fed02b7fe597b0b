// intercom-gpio: the device's dry-contact inputs and relay outputs on the bus.
#include "intercom/contract/service_names.hpp"
#include "gpio_runtime.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(argc, argv,
                               {.name = std::string(intercom::service_name::gpio), .description = "intercom-io gpio service: dry-contact inputs and relay outputs"},
                               intercom::gpio::make_gpio_service);
}
