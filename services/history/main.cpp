// intercom-history: who opened the door, and when (the door's events kept on the device).
#include "history_service.hpp"
#include "intercom/contract/service_names.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(
      argc, argv,
      {.name = std::string(intercom::service_name::history), .description = "intercom-io history service: the door's events kept on the device"},
      intercom::history::make_history_service);
}
