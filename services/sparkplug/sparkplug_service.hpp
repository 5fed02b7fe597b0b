#pragma once
/// The sparkplug service: the device as a Sparkplug B edge node. It reads the bus like any client
/// and turns a SCADA host's writes into the normal output commands, so gpio's safety holds.
#include <memory>

#include "intercom/runtime/service.hpp"

namespace intercom::sparkplug {

std::unique_ptr<Service> make_sparkplug_service(ServiceContext& context);

}  // namespace intercom::sparkplug
