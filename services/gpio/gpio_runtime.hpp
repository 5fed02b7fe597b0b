#pragma once
/// What the gpio service runs on: the backend its configuration names (the real chip or the
/// simulated one with its bus bridge) and the service, torn down in the right order.
#include <memory>

#include "intercom/runtime/service.hpp"

namespace intercom::gpio {

/// Builds the backend the config names, the simulator's bus bridge if it is simulated, and the
/// service: everything main() needs.
std::unique_ptr<Service> make_gpio_service(ServiceContext& context);

}  // namespace intercom::gpio
