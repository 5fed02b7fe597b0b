#pragma once
/// The access service: checks the credentials the readers read against the users, pulses the door
/// for a grant, says each check on the bus, and manages the users.
#include <memory>

#include "intercom/runtime/service.hpp"

namespace intercom::access {

std::unique_ptr<Service> make_access_service(ServiceContext& context);

}  // namespace intercom::access
