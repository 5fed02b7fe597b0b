// intercom-access: who may open the door, and when (users, PINs and cards, time profiles).
#include "access_service.hpp"
#include "intercom/contract/service_names.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(
      argc, argv,
      {.name = std::string(intercom::service_name::access), .description = "intercom-io access service: users, PINs and cards, time profiles"},
      intercom::access::make_access_service);
}
