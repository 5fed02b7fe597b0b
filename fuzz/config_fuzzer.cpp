// Every configuration file as anyone can write it: the text parsed strictly, validated against its
// schema with the defaults filled in, then read by the service's own parser. Nothing may crash or
// trip a sanitizer, and a refusal is always a ConfigError (which names the JSON path): once the
// schema took a document, no other exception may come out of a parser (a wrong type thrown by
// nlohmann there would be a config the schema lets through and the service dies on).
//
// Input: byte 0 picks the service (gpio, rules with its rules list, sms, telephony, web, discovery,
// history, access), the rest
// is the file's text.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "gpio_config.hpp"
#include "shipped_schemas.hpp"
#include "intercom/config/config.hpp"
#include "intercom/contract/schema.hpp"
#include "rules_config.hpp"
#include "sms_config.hpp"
#include "telephony_config.hpp"
#include "discovery_config.hpp"
#include "access_config.hpp"
#include "history_config.hpp"
#include "web_config.hpp"

namespace {

void read_with_the_service(int service, const nlohmann::json& config) {
  // Relative paths resolve beside a file that does not exist: nothing is read from this machine.
  const std::filesystem::path file = "/nonexistent/intercom-fuzz/config.json";
  switch (service) {
    case 0: (void)intercom::gpio::parse_gpio_config(config); break;
    case 1: (void)intercom::rules::parse_rules_config(config); break;
    case 2: (void)intercom::sms::parse_sms_config(config, file); break;
    case 3: (void)intercom::telephony::parse_telephony_config(config, file, "door1"); break;
    case 4: (void)intercom::web::parse_web_config(config, file); break;
    case 5: (void)intercom::discovery::parse_discovery_config(config, "d1"); break;
    case 6: (void)intercom::history::parse_history_config(config); break;
    default: (void)intercom::access::parse_access_config(config); break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const char* const kSchemas[] = {"gpio", "rules", "sms", "telephony", "web", "discovery", "history", "access"};
  const int service = data[0] % 8;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  nlohmann::json config;
  try {
    config = intercom::validate_config(intercom::parse_config_text(text), intercom::fuzz::schemas(), kSchemas[service]);
  } catch (const intercom::ConfigError&) {
    return 0;  // refused with its path: what must happen to a bad file
  }
  try {
    read_with_the_service(service, config);
  } catch (const intercom::ConfigError&) {
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: a document the schema took made the parser throw: %s\n", kSchemas[service], error.what());
    std::abort();
  }
  return 0;
}
