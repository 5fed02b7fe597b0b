// intercom-web: the installer's page, over HTTP and WebSocket, talking to the services over the bus.
#include "intercom/contract/service_names.hpp"
#include "web_service.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(argc, argv,
                               {.name = std::string(intercom::service_name::web),
                                .description = "intercom-io web service: the installer's page"},
                               intercom::web::make_web_service);
}
