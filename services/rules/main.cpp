// intercom-rules: every linkage between inputs, calls, DTMF codes, messages and outputs.
#include "intercom/contract/service_names.hpp"
#include "rules_service.hpp"

int main(int argc, char** argv) {
  return intercom::run_service(
      argc, argv, {.name = std::string(intercom::service_name::rules), .description = "intercom-io rules service: linkages as rule subscriptions"},
      intercom::rules::make_rules_service);
}
