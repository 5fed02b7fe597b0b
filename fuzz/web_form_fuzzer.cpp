// The web page's forms as anyone can send them: any JSON document as an input's or an output's
// form, against the shipped gpio and rules configurations (redacted as the bus shows them). No
// exception may escape (a wrong type is a FormError), nothing may crash or trip a sanitizer, a
// change must read back, and no DTMF code given in a form may appear in the view of the result.
//
// Input: byte 0 picks input or output and which port (some not configured), and whether the sms
// service's aliases are known; the rest is the form.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

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

bool is_dtmf_keys(const std::string& text) {
  if (text.empty()) return false;
  for (char key : text)
    if (!((key >= '0' && key <= '9') || (key >= 'A' && key <= 'D') || key == '*' || key == '#')) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const char* const ports[] = {"in1", "in2", "in9", "out1", "out2", "out9"};
  const std::string port = ports[data[0] % 6];
  const auto form = json::parse(reinterpret_cast<const char*>(data + 1), reinterpret_cast<const char*>(data + size), nullptr, false);
  if (form.is_discarded()) return 0;
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
