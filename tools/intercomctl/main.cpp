// intercomctl: the device from a terminal. Wiring only: the commands are in commands.cpp.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "intercom/runtime/cli.hpp"
#include "intercom/config/config.hpp"
#include "intercom/runtime/install_paths.hpp"
#include "intercom/contract/schema.hpp"
#include "intercom/runtime/service.hpp"
#include "page_password.hpp"
#include "setup_token_command.hpp"

namespace {

/// The installed tool's config is /etc/intercom-io's; the one in the build folder uses the source
/// tree's (as the launcher's services do), wherever it is run from.
std::filesystem::path default_config() {
  if (intercom::installed_binary()) return "/etc/intercom-io/intercomctl.json";
  return std::filesystem::path(INTERCOM_SCHEMA_DIR).parent_path() / "config" / "intercomctl.json";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"intercomctl: watch and drive an intercom-io device from a terminal, over its bus.", "intercomctl"};
  app.require_subcommand(1);
  intercom::CommonOptions common;
  common.config_file = default_config();
  std::optional<std::string> user;
  bool no_colour = false;
  int timeout_ms = 3000;
  app.add_option("-c,--config", common.config_file, "where the broker and credentials are (a \"bus\" section, as the services have)")
      ->capture_default_str();
  app.add_option("--broker", common.broker, "the broker, e.g. tcp://127.0.0.1:1883 (default: the config's)");
  app.add_option("--device", common.device, "the device name in topics (default: the config's)");
  app.add_option("--user", user, "the broker user (default: the config's)");
  app.add_option("--password-file", common.password_file, "the broker password's file (default: the config's)");
  app.add_option("--schemas", common.schema_dir, "directory of the JSON Schemas")->capture_default_str();
  app.add_option("--timeout-ms", timeout_ms, "how long to wait for the device's answer")->capture_default_str()->check(CLI::Range(100, 60000));
  app.add_flag("--no-colour,--no-color", no_colour, "plain text even on a terminal");

  auto* status = app.add_subcommand("status", "every service, input, output and the call, at a glance");
  auto* watch = app.add_subcommand("watch", "every message of the device, pretty-printed and coloured, as it happens (Ctrl-C ends)");
  std::optional<std::string> watch_service;
  std::optional<int> watch_count;
  std::optional<double> watch_seconds;
  watch->add_option("-s,--service", watch_service, "only the topics of this service (gpio, rules, telephony, sms, web, discovery, sparkplug, history, access)");
  watch->add_option("-n,--count", watch_count, "stop after this many messages");
  watch->add_option("--for", watch_seconds, "stop after this many seconds");
  bool pretty = false;
  watch->add_flag("-p,--pretty", pretty, "payloads indented over several lines");

  std::string output_name;
  std::optional<int> duration_ms;
  std::string output_action;
  for (const auto* action : {"pulse", "on", "off", "toggle"}) {
    auto* command = app.add_subcommand(action, std::string("switch an output ") + action + " and show its new state");
    command->add_option("output", output_name, "the output's name, e.g. out1")->required();
    if (std::string(action) == "pulse") command->add_option("-d,--duration-ms", duration_ms, "default: the output's pulse time")->check(CLI::Range(1, 86400000));
    command->callback([&output_action, action] { output_action = action; });
  }

  auto* sim = app.add_subcommand("sim", "play the simulated hardware (gpio's simulated chip, telephony's simulated line)");
  sim->require_subcommand(1);
  auto* sim_input = sim->add_subcommand("input", "set an input's level on the simulated chip");
  std::string input_name, input_level;
  sim_input->add_option("name", input_name, "the input's name, e.g. in1")->required();
  sim_input->add_option("level", input_level, "low or high")->required()->check(CLI::IsMember({"low", "high"}));
  auto* sim_call = sim->add_subcommand("call", "the far end of the simulated SIP line: ring [FROM], answer, dtmf DIGITS, hangup");
  std::string call_action;
  std::optional<std::string> call_argument;
  sim_call->add_option("action", call_action, "ring, answer, dtmf or hangup")->required()->check(CLI::IsMember({"ring", "answer", "dtmf", "hangup"}));
  sim_call->add_option("argument", call_argument, "ring: the caller's SIP URI; dtmf: the keys, e.g. 1234#");

  auto* config = app.add_subcommand("config", "a service's configuration in force, read and changed at run time");
  config->require_subcommand(1);
  auto* config_get = config->add_subcommand("get", "print it (secrets as ********)");
  auto* config_set = config->add_subcommand("set", "change it: a JSON merge patch, or a whole configuration with --whole; @FILE reads it from a file");
  std::string config_service, config_document;
  bool whole = false;
  for (auto* command : {config_get, config_set})
    command->add_option("service", config_service, "gpio, rules, telephony, sms, discovery, sparkplug, history or access")->required();
  config_set->add_option("document", config_document, "JSON, or @FILE")->required();
  config_set->add_flag("--whole", whole, "the document is the whole configuration, not a patch");

  auto* ha_forget = app.add_subcommand("ha-forget", "remove a renamed or retired device from Home Assistant: clear its discovery message");
  std::optional<std::string> forget_device;
  std::string forget_prefix = "homeassistant";
  ha_forget->add_option("device", forget_device, "the device's name as it was (default: this device's)");
  ha_forget->add_option("--prefix", forget_prefix, "Home Assistant's discovery prefix")->capture_default_str();

  auto* history = app.add_subcommand("history", "who opened the door, and when: the door's events kept on the device, oldest first");
  intercom::ctl::HistoryOptions history_options;
  history->add_option("--since", history_options.since, "30m, 12h, 7d back from now, or an RFC 3339 time");
  history->add_option("-k,--kind", history_options.kinds, "input, output, call, code, access, message, rule, login, config or service (again for more)")
      ->check(CLI::IsMember({"input", "output", "call", "code", "access", "message", "rule", "login", "config", "service"}));
  history->add_option("--input", history_options.input, "only this input's events");
  history->add_option("--output", history_options.output, "only this output's events");
  history->add_option("--cause", history_options.cause, "only events of this cause (rule:<id>, home-assistant, web, intercomctl ...)");
  history->add_option("--text", history_options.text, "only events whose line holds this text");
  history->add_option("-n,--limit", history_options.limit, "the newest this many")->capture_default_str();

  auto* users = app.add_subcommand("users", "the door's users, their PINs and cards: list, add, remove, pin, card, enrol, forget, export, import");
  intercom::ctl::UsersOptions users_options;
  users->add_option("action", users_options.action,
                    "list; add ID --name ...; remove ID; pin ID (the PIN on standard input); card ID NUMBER; enrol ID --reader R; "
                    "forget CREDENTIAL; export (CSV on standard output); import FILE (CSV; - for standard input)")
      ->required()
      ->check(CLI::IsMember({"list", "add", "remove", "pin", "card", "enrol", "forget", "export", "import"}));
  users->add_option("id", users_options.id, "the user's id; forget: the credential's number (#17 in the list); import: the CSV file");
  users->add_option("value", users_options.value, "card: its number as printed, <facility>-<number>");
  users->add_option("--name", users_options.name, "add: the user's name");
  users->add_option("--door", users_options.doors, "add: an output the user may open (again for more)");
  users->add_option("--caller", users_options.callers, "add: a SIP URI or phone number that identifies the user on a call (again for more)");
  users->add_option("--profile", users_options.profile, "add: the time profile that says when (config/access.json)");
  users->add_option("--from", users_options.from, "add: valid from (RFC 3339)");
  users->add_option("--until", users_options.until, "add: valid until (RFC 3339, exclusive)");
  users->add_flag("--disabled", users_options.disabled, "add: switched off");
  users->add_option("--label", users_options.label, "pin, card, enrol: to tell the credential by (\"blue fob\")");
  users->add_option("--reader", users_options.reader, "enrol: the reader the card will be presented at");
  users->add_option("--timeout", users_options.timeout_s, "enrol: seconds to wait for the card")->capture_default_str();

  auto* validate = app.add_subcommand("validate", "check a config file against its service's schema; errors name the file and the JSON path");
  std::filesystem::path validate_file;
  std::optional<std::string> validate_service;
  validate->add_option("file", validate_file, "the config file")->required()->check(CLI::ExistingFile);
  validate->add_option("-s,--service", validate_service, "whose schema (default: the file's name, gpio.json → gpio)");

  auto* passwd = app.add_subcommand("passwd", "set the web page's password (asked twice, or the first line of standard input)");
  std::filesystem::path web_config = common.config_file.parent_path() / "web.json";
  passwd->add_option("--web-config", web_config, "the web service's config file")->capture_default_str();

  auto* setup_token = app.add_subcommand("setup-token", "print the web page's first-start setup token (there is one until a password is set)");
  setup_token->add_option("--web-config", web_config, "the web service's config file")->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (*validate) return intercom::ctl::validate_file(validate_file, validate_service, common.schema_dir);
  if (*passwd) return intercom::web::set_page_password(web_config, common.schema_dir, "intercomctl passwd");
  if (*setup_token) return intercom::web::print_setup_token(web_config, common.schema_dir, "intercomctl setup-token");

  intercom::BusSettings settings;
  try {
    const auto schemas = intercom::SchemaSet::load(common.schema_dir);
    const auto file = intercom::load_config(common.config_file, schemas, "intercomctl");
    settings = intercom::resolve_bus_settings("intercomctl", file.at("bus"), common.config_file, common);
    if (user) settings.username = *user;
  } catch (const intercom::ConfigError& error) {
    std::cerr << "intercomctl: " << error.in_file(common.config_file).what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "intercomctl: " << common.config_file.string() << ": " << error.what() << "\n";
    return 2;
  }
  const intercom::ctl::Output output{
      .colour = !no_colour && ::isatty(STDOUT_FILENO) != 0, .pretty = pretty, .timeout = std::chrono::milliseconds(timeout_ms)};

  if (*status) return intercom::ctl::show_status(settings, output, common.config_file.parent_path());
  if (*watch) return intercom::ctl::watch(settings, output, watch_service, watch_count, watch_seconds);
  if (!output_action.empty()) return intercom::ctl::drive_output(settings, output, output_name, output_action, duration_ms);
  if (*sim_input) return intercom::ctl::simulate_input(settings, output, input_name, input_level);
  if (*sim_call) return intercom::ctl::simulate_call(settings, output, call_action, call_argument);
  if (*config_get) return intercom::ctl::config_get(settings, output, config_service);
  if (*history) return intercom::ctl::history(settings, output, history_options);
  if (*users) {
    // A PIN is read from standard input, never the command line: the command line is in every
    // process list and shell history.
    if (users_options.action == "pin") {
      if (users_options.value) {
        std::cerr << "intercomctl: users pin reads the PIN from standard input, not the command line\n";
        return 2;
      }
      if (::isatty(STDIN_FILENO)) std::cerr << "PIN: " << std::flush;
      std::string pin;
      std::getline(std::cin, pin);
      users_options.value = pin;
    }
    return intercom::ctl::users(settings, output, users_options);
  }
  if (*ha_forget) return intercom::ctl::ha_forget(settings, output, forget_device.value_or(settings.device), forget_prefix);
  if (*config_set) {
    auto document = config_document;
    if (!document.empty() && document[0] == '@') {
      std::ifstream file(document.substr(1));
      if (!file) {
        std::cerr << "intercomctl: cannot read " << document.substr(1) << "\n";
        return 2;
      }
      document.assign(std::istreambuf_iterator<char>(file), {});
    }
    return intercom::ctl::config_set(settings, output, config_service, document, !whole);
  }
  return 2;
}
