#pragma once
/// The history service: records what happens at the door from the bus and answers queries.
#include <memory>

#include "intercom/runtime/service.hpp"

namespace intercom::history {

std::unique_ptr<Service> make_history_service(ServiceContext& context);

}  // namespace intercom::history
