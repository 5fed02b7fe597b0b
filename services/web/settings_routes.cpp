#include "settings_routes.hpp"

#include "api_response.hpp"
#include "intercom/config/config.hpp"
#include "intercom/config/config_secrets.hpp"
#include "intercom/contract/gpio_ports.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/rules_document.hpp"
#include "random_token.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;

/// Where an error of the sms and telephony documents points on the page.
std::string messages_field(const std::string& pointer) {
  if (pointer.rfind("/trust/sip", 0) == 0) return "trust_sip";
  if (pointer.rfind("/trust/gsm", 0) == 0) return "trust_gsm";
  if (pointer.rfind("/aliases/alarm-server", 0) == 0) return "alarm_server";
  return "";
}

std::string line_field(const std::string& pointer) {
  if (pointer.rfind("/auto_answer/allow", 0) == 0) return "auto_answer.allow";
  if (pointer.rfind("/auto_answer/enabled", 0) == 0) return "auto_answer.enabled";
  for (const char* key : {"registrar", "user", "domain", "password"})
    if (pointer.rfind(std::string("/account/") + key, 0) == 0) return std::string("account.") + key;
  if (pointer.rfind("/account", 0) == 0) return "account";
  return "";
}


/// A list of strings from the form, or why not.
std::optional<json> string_list(const json& form, const char* key) {
  const auto found = form.find(key);
  if (found == form.end()) return std::nullopt;
  json list = json::array();
  if (!found->is_array()) return json();
  for (const auto& item : *found) {
    if (!item.is_string()) return json();
    std::string text = item.get<std::string>();
    if (!text.empty()) list.push_back(text);
  }
  return list;
}

/// The rules document with a valid code in place of each kept one: a code the page kept is
/// "********" here, and the rules service puts it back.
json with_stand_in_codes(const json& rules_config) {
  auto rules = rules_config.get<contract::RulesDocument>();
  for (auto& rule : rules.rule_list())
    if (auto* dtmf = std::get_if<contract::DtmfTrigger>(&rule.trigger); dtmf && dtmf->code == kRedacted) dtmf->code = "0";
  return rules;
}

}  // namespace

SettingsRoutes::SettingsRoutes(Bus& bus, const SchemaSet& schemas, const DeviceModel& model, ConfigSaves& saves, LanForm& lan,
                               const PageIdentity& identity, std::shared_ptr<spdlog::logger> log)
    : bus_(bus), schemas_(schemas), model_(model), saves_(saves), lan_(lan), identity_(identity), log_(std::move(log)) {}

std::string SettingsRoutes::rules_reporting_to(const std::string& recipient) const {
  std::string users;
  if (const auto* rules = model_.config_of("rules"))
    for (const auto& id : contract::rules_sending_to(*rules, recipient)) users += (users.empty() ? "" : ", ") + id;
  return users;
}

void SettingsRoutes::lan(const Request& request, Respond respond) {
  auto view = lan_.view();
  if (identity_.certificate_fingerprint) view["certificate_fingerprint"] = *identity_.certificate_fingerprint;
  respond(json_response(request.version(), 200, view));
}

void SettingsRoutes::settings(const Request& request, Respond respond) {
  const auto version = request.version();
  const auto* gpio = model_.config_of("gpio");
  const auto* rules = model_.config_of("rules");
  if (!gpio || !rules) {
    return respond(json_response(version, 503, {{"error", std::string("the configuration of ") + (gpio ? "rules" : "gpio") +
                                                               " is not known yet: is that service running?"}}));
  }
  auto view = linkage_view(*gpio, *rules);
  view["messages"] = nullptr;
  if (const auto* sms = model_.config_of("sms")) {
    const auto& config = *sms;
    const auto trust = config.value("trust", json::object());
    const auto aliases = config.value("aliases", json::object());
    view["messages"] = {{"trust_sip", trust.value("sip", json::array())},
                        {"trust_gsm", trust.value("gsm", json::array())},
                        {"alarm_server", aliases.value("alarm-server", json::array())},
                        {"aliases", json::array()}};
    for (const auto& [alias, addresses] : aliases.items()) view["messages"]["aliases"].push_back(alias);
  }
  view["line"] = nullptr;
  if (const auto* telephony = model_.config_of("telephony")) {
    const auto& config = *telephony;
    json account = nullptr;
    if (config.contains("account")) {
      const auto& given = config["account"];
      account = {{"registrar", given.value("registrar", "")}, {"user", given.value("user", "")}, {"domain", given.value("domain", "")},
                 {"password_set", given.contains("password_file") || given.contains("password")},
                 {"password_in_file", given.contains("password_file")}};
    }
    view["line"] = {{"backend", config.value("backend", "")}, {"account", account},
                    {"auto_answer", config.value("auto_answer", json::object())}};
  }
  view["access"] = nullptr;
  if (const auto* access = model_.config_of("access")) view["access"] = access_view(*access);
  view["revisions"] = model_.revisions();
  respond(json_response(version, 200, view));
}

void SettingsRoutes::save_port(const Request& request, const std::string& kind, const std::string& name, const json& form, Respond respond) {
  const auto version = request.version();
  const auto* gpio = model_.config_of("gpio");
  const auto* rules = model_.config_of("rules");
  if (!gpio || !rules) return respond(json_response(version, 503, {{"error", "the gpio and rules configurations are not known yet"}}));
  if (auto refusal = saves_.offline_refusal(version, {"gpio", "rules"})) return respond(std::move(*refusal));
  auto result = kind == "outputs" ? output_change(*gpio, *rules, name, form)
                                  : input_change(*gpio, *rules, name, form, sms_aliases());
  if (auto* problem = std::get_if<FormError>(&result)) {
    return respond(json_response(version, problem->field.empty() ? 404 : 422,
                                 {{"ok", false}, {"field", problem->field}, {"error", problem->reason}}));
  }
  save(request, std::move(std::get<LinkageChange>(result)), std::move(respond));
}

void SettingsRoutes::save(const Request& request, LinkageChange change, Respond respond) {
  for (const auto& [service, document] : {std::pair{std::string("rules"), &change.rules}, std::pair{std::string("gpio"), &change.gpio}}) {
    if (!*document) continue;
    auto checked = service == "rules" ? with_stand_in_codes(**document) : **document;
    try {
      validate_config(std::move(checked), schemas_, service);
    } catch (const ConfigError& error) {
      return respond(json_response(request.version(), 422,
                                   {{"ok", false}, {"service", service}, {"path", error.pointer()},
                                    {"field", change.field_of(service, error.pointer())}, {"error", error.reason()}, {"saved", json::array()}}));
    }
  }
  std::vector<std::pair<std::string, json>> patches;
  if (change.rules) patches.emplace_back("rules", json{{"rules", change.rules->at("rules")}});
  if (change.gpio) {
    json patch = json::object();
    for (const char* section : {"inputs", "outputs"}) patch[section] = (*change.gpio)[section];
    patches.emplace_back("gpio", std::move(patch));
  }
  auto shared = std::make_shared<LinkageChange>(std::move(change));
  saves_.send_patches(request.version(), std::move(patches),
               [shared](const std::string& service, const std::string& pointer) { return shared->field_of(service, pointer); },
               std::move(respond));
}

std::optional<std::vector<std::string>> SettingsRoutes::sms_aliases() const {
  const auto* sms = model_.config_of("sms");
  if (!sms) return std::nullopt;
  std::vector<std::string> aliases;
  const auto configured = sms->value("aliases", json::object());
  for (const auto& [alias, addresses] : configured.items()) aliases.push_back(alias);
  return aliases;
}

void SettingsRoutes::save_messages(const Request& request, const json& form, Respond respond) {
  const auto version = request.version();
  if (!model_.config_of("sms")) return respond(json_response(version, 503, {{"error", "the sms configuration is not known yet: is the sms service running?"}}));
  if (auto refusal = saves_.offline_refusal(version, {"sms"})) return respond(std::move(*refusal));
  json patch = json::object();
  for (const auto& [key, pointer] : std::vector<std::pair<const char*, json::json_pointer>>{
           {"trust_sip", json::json_pointer("/trust/sip")}, {"trust_gsm", json::json_pointer("/trust/gsm")},
           {"alarm_server", json::json_pointer("/aliases/alarm-server")}}) {
    auto list = string_list(form, key);
    if (!list) continue;
    if (list->is_null()) return respond(json_response(version, 422, {{"ok", false}, {"field", key}, {"error", "a list of texts"}}));
    // An empty alias would be refused; no address means no alias.
    patch[pointer] = key == std::string("alarm_server") && list->empty() ? json() : *list;
  }
  // Reports to alarm-server would fail from then on: say so now, not when an input triggers.
  if (patch.contains(json::json_pointer("/aliases/alarm-server")) && patch[json::json_pointer("/aliases/alarm-server")].is_null()) {
    if (const auto users = rules_reporting_to("alarm-server"); !users.empty())
      return respond(json_response(version, 422, {{"ok", false}, {"field", "alarm_server"},
                                                  {"error", "the reports of " + users + " go to alarm-server: give it an address, or switch those reports off first"}}));
  }
  saves_.send_patches(version, {{"sms", patch}}, [](const std::string&, const std::string& pointer) { return messages_field(pointer); },
               std::move(respond));
}

void SettingsRoutes::save_line(const Request& request, const json& form, Respond respond) {
  const auto version = request.version();
  if (!model_.config_of("telephony")) return respond(json_response(version, 503, {{"error", "the telephony configuration is not known yet: is the telephony service running?"}}));
  if (auto refusal = saves_.offline_refusal(version, {"telephony"})) return respond(std::move(*refusal));
  json patch = json::object();
  if (const auto auto_answer = form.find("auto_answer"); auto_answer != form.end()) {
    if (!auto_answer->is_object()) return respond(json_response(version, 422, {{"ok", false}, {"field", "auto_answer"}, {"error", "an object"}}));
    if (auto_answer->contains("enabled")) patch["auto_answer"]["enabled"] = (*auto_answer)["enabled"];
    if (auto list = string_list(*auto_answer, "allow")) {
      if (list->is_null()) return respond(json_response(version, 422, {{"ok", false}, {"field", "auto_answer.allow"}, {"error", "a list of SIP URIs"}}));
      patch["auto_answer"]["allow"] = *list;
    }
  }
  if (const auto account = form.find("account"); account != form.end()) {
    if (account->is_null()) {
      patch["account"] = nullptr;
    } else if (account->is_object()) {
      for (const char* key : {"registrar", "user", "domain"}) {
        const auto value = account->find(key);
        if (value == account->end()) continue;
        // An empty field is no field (the domain then defaults to the registrar's host).
        patch["account"][key] = value->is_string() && value->get<std::string>().empty() ? json() : *value;
      }
      // Write-only: sent only to change it; the telephony service keeps the one in force otherwise.
      if (const auto password = account->find("password"); password != account->end() && password->is_string() && !password->get<std::string>().empty()) {
        patch["account"]["password"] = *password;
        patch["account"]["password_file"] = nullptr;
      }
    } else {
      return respond(json_response(version, 422, {{"ok", false}, {"field", "account"}, {"error", "an object, or null for no registrar"}}));
    }
  }
  saves_.send_patches(version, {{"telephony", patch}}, [](const std::string&, const std::string& pointer) { return line_field(pointer); },
               std::move(respond));
}

void SettingsRoutes::pulse(const Request& request, const std::string& output, Respond respond) {
  const auto version = request.version();
  const auto* gpio = model_.config_of("gpio");
  if (!gpio || !contract::GpioPorts::of_config(*gpio).has_output(output)) return respond(json_response(version, 404, {{"ok", false}, {"error", "there is no output \"" + output + "\""}}));
  const auto request_id = "web-test-" + random_token(6);
  bus_.publish({.name = output}, contract::OutputCommand{.action = "pulse", .cause = "web:test", .request_id = request_id});
  log_->info("test pulse of {} from the page", output);
  respond(json_response(version, 202, {{"ok", true}, {"request_id", request_id}}));
}

void SettingsRoutes::save_lan(const Request& request, const json& form, Respond respond) {
  std::variant<json, LanForm::FieldErrors> result = LanForm::FieldErrors{};
  try {
    result = lan_.save(form);
  } catch (const std::exception& error) {
    log_->error("the LAN settings could not be written: {}", error.what());
    return respond(json_response(request.version(), 500, {{"error", std::string("not saved: ") + error.what()}}));
  }
  if (auto* errors = std::get_if<LanForm::FieldErrors>(&result)) {
    // The page shows the first next to its field; all of them are in "errors".
    const auto& [field, reason] = *errors->begin();
    return respond(json_response(request.version(), 400, {{"error", reason}, {"field", field}, {"errors", *errors}}));
  }
  log_->info("the LAN settings were changed from the page: {}", std::get<json>(result).dump());
  auto view = std::get<json>(result);
  view["message"] = "saved: the device's broker restarts with it, and every service reconnects within seconds";
  respond(json_response(request.version(), 200, view));
}

void SettingsRoutes::save_door(const Request& request, const std::string& lock, const json& form, Respond respond) {
  const auto version = request.version();
  const auto* access = model_.config_of("access");
  const auto* gpio = model_.config_of("gpio");
  if (!access || !gpio) return respond(json_response(version, 503, {{"error", "the access and gpio configurations are not known yet: are those services running?"}}));
  if (auto refusal = saves_.offline_refusal(version, {"access"})) return respond(std::move(*refusal));
  save_access(version, door_change(*access, contract::GpioPorts::of_config(*gpio), lock, form), std::move(respond));
}

void SettingsRoutes::save_schedule(const Request& request, const json& form, Respond respond) {
  const auto version = request.version();
  const auto* access = model_.config_of("access");
  if (!access) return respond(json_response(version, 503, {{"error", "the access configuration is not known yet: is the access service running?"}}));
  if (auto refusal = saves_.offline_refusal(version, {"access"})) return respond(std::move(*refusal));
  save_access(version, schedule_change(*access, form), std::move(respond));
}

void SettingsRoutes::save_access(unsigned version, AccessResult result, Respond respond) {
  if (const auto* problem = std::get_if<FormError>(&result)) {
    // No field: the door itself is not there (no such output, not watched).
    return respond(json_response(version, problem->field.empty() ? 404 : 422, {{"ok", false}, {"field", problem->field}, {"error", problem->reason}}));
  }
  auto change = std::get<AccessChange>(std::move(result));
  auto patch = change.patch;
  saves_.send_patches(version, {{"access", std::move(patch)}},
                      [change = std::move(change)](const std::string&, const std::string& pointer) { return change.field_of(pointer); },
                      std::move(respond));
}

}  // namespace intercom::web
