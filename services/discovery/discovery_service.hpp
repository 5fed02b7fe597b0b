#pragma once
/// The discovery service: keeps Home Assistant's picture of the device true, over the bus only.
#include <memory>

#include "intercom/runtime/service.hpp"

namespace intercom::discovery {

std::unique_ptr<Service> make_discovery_service(ServiceContext& context);

}  // namespace intercom::discovery
