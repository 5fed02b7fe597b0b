// The web page's forms as anyone can send them: any JSON document as an input's or an output's
// form, against the shipped gpio and rules configurations (redacted as the bus shows them). No
// exception may escape (a wrong type is a FormError), nothing may crash or trip a sanitizer, a
// change must read back, and no DTMF code given in a form may appear in the view of the result.
//
// Input: byte 0 picks input or output and which port (some not configured), and whether the sms
// service's aliases are known, or the Doors tab's forms (a door's, the schedule's) against the
// shipped access configuration; the rest is the form.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "access_form.hpp"
#include "linkage_form.hpp"

namespace {

using nlohmann::json;

json read_shipped(const char* name) {
  std::ifstream in(std::string(INTERCOM_SOURCE_DIR "/config/") + name);
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

const json& gpio() {
  static const json config = read_shipped("gpio.json");
  return config;
}

const json& rules() {
  static const json config = [] {
    auto document = read_shipped("rules.json");
    for (auto& rule : document["rules"])
      if (rule["trigger"].contains("code")) rule["trigger"]["code"] = "********";
    return document;
  }();
  return config;
}

const json& access() {
  static const json config = read_shipped("access.json");
  return config;
}

/// A door's or the schedule's form: no exception, a refusal names a field or the door, and a
/// change is a merge patch of access's document that touches only what the form is about.
void doors_tab(std::uint8_t selector, const json& form) {
  static const char* const locks[] = {"out1", "out2", "out9", "in1"};
  const auto ports = intercom::contract::GpioPorts::of_config(gpio());
  const bool door = selector % 2 == 0;
  const auto result = door ? intercom::web::door_change(access(), ports, locks[(selector / 2) % 4], form)
                           : intercom::web::schedule_change(access(), form);
  const auto* change = std::get_if<intercom::web::AccessChange>(&result);
  if (!change) return;
  if (!change->patch.is_object()) std::abort();
  for (const auto& [member, value] : change->patch.items()) {
    const bool allowed = door ? member == "doors" : (member == "time_profiles" || member == "holidays" || member == "lockout");
    if (!allowed) std::abort();  // a form wrote outside its part of the document
  }
  auto patched = access();
  patched.merge_patch(change->patch);
  (void)intercom::web::access_view(patched);
  (void)change->field_of("/doors/out1/held_open_s");
  (void)change->field_of("/time_profiles/office-hours/0/from");
}

bool is_dtmf_keys(const std::string& text) {
  if (text.empty()) return false;
  for (char key : text)
    if (!((key >= '0' && key <= '9') || (key >= 'A' && key <= 'D') || key == '*' || key == '#')) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto form = json::parse(reinterpret_cast<const char*>(data + 1), reinterpret_cast<const char*>(data + size), nullptr, false);
  if (form.is_discarded()) return 0;
  if (data[0] >= 224) {
    doors_tab(data[0] - 224, form);
    return 0;
  }
  static const char* const ports[] = {"in1", "in2", "in9", "out1", "out2", "out9"};
  const std::string port = ports[data[0] % 6];
  // With the sms service's aliases known, or not (it is not running).
  const auto aliases = (data[0] / 6) % 2 == 0 ? std::optional(std::vector<std::string>{"alarm-server"}) : std::nullopt;
  const auto result = port.rfind("in", 0) == 0 ? intercom::web::input_change(gpio(), rules(), port, form, aliases)
                                               : intercom::web::output_change(gpio(), rules(), port, form);
  if (const auto* change = std::get_if<intercom::web::LinkageChange>(&result)) {
    const auto view = intercom::web::linkage_view(change->gpio.value_or(gpio()), change->rules.value_or(rules()));
    // Where a code could show: the outputs' DTMF settings and the rules listed as they are (labels
    // and messages are the form's own texts and may be anything).
    std::string shown = view["other_rules"].dump();
    for (const auto& output : view["outputs"]) shown += output["dtmf"].dump();
    for (const char* key : {"code", "reset_code"}) {
      const auto section = form.find("dtmf");
      if (section == form.end() || !section->is_object()) continue;
      const auto code = section->find(key);
      // Only a string of DTMF keys can be a code (the rules schema refuses anything else), and only
      // such a string is looked for: "type" was found once as a key of the view, not a code shown.
      if (code == section->end() || !code->is_string() || !is_dtmf_keys(code->get<std::string>())) continue;
      if (shown.find("\"" + code->get<std::string>() + "\"") != std::string::npos) std::abort();  // a code the form set is shown
    }
    (void)change->field_of("rules", "/rules/3/trigger/code");
    (void)change->field_of("gpio", "/outputs/1/pulse_ms");
  }
  return 0;
}
