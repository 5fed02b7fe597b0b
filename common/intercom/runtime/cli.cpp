#include "intercom/runtime/cli.hpp"

#include <CLI/CLI.hpp>

namespace intercom {

std::variant<CommonOptions, int> parse_command_line(int argc, char** argv, const std::string& service,
                                                    const std::string& description) {
  CommonOptions options;
  CLI::App app{description, "intercom-" + service};
  app.add_option("-c,--config", options.config_file, "JSON config file (schema: schemas/config/" + service + ".schema.json)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("-b,--broker", options.broker, "MQTT broker URI, e.g. tcp://127.0.0.1:1883 (overrides bus.broker)");
  app.add_option("-d,--device", options.device, "device id: topics start with intercom/<device> (overrides bus.device)");
  app.add_option("--password-file", options.password_file, "file holding this service's MQTT password (overrides bus.password_file)");
  app.add_option("-l,--log-level", options.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--schemas", options.schema_dir, "directory of the JSON Schemas")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  return options;
}

}  // namespace intercom
