#pragma once
/// The web service: the page's HTTP server and its API, wired to the bus.
#include <memory>

#include "intercom/runtime/service.hpp"

namespace intercom::web {

std::unique_ptr<Service> make_web_service(ServiceContext& context);

}  // namespace intercom::web
