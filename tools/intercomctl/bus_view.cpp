#include "bus_view.hpp"

#include <sstream>
#include <vector>

#include "intercom/contract/topics.hpp"

namespace intercom::ctl {
namespace {

using nlohmann::json;

constexpr std::string_view kRed = "\033[31m", kGreen = "\033[32m", kYellow = "\033[33m", kDim = "\033[2m", kBold = "\033[1m",
                           kReset = "\033[0m";

/// The topic below root ("output/out1/set"), or empty if it is not under root.
std::string relative(std::string_view root, std::string_view topic) {
  if (topic.size() <= root.size() + 1 || topic.substr(0, root.size()) != root || topic[root.size()] != '/') return "";
  return std::string(topic.substr(root.size() + 1));
}

std::string paint(std::string_view text, std::string_view colour, bool on) {
  return on ? std::string(colour) + std::string(text) + std::string(kReset) : std::string(text);
}

std::string text_of(const json& value, const char* key, const char* otherwise = "") {
  return value.is_object() && value.contains(key) && value[key].is_string() ? value[key].get<std::string>() : otherwise;
}

}  // namespace

std::string owner_of(std::string_view root, std::string_view topic) {
  const auto below = relative(root, topic);
  if (below.empty()) return "";
  const auto first = below.substr(0, below.find('/'));
  if (first == "input" || first == "output") return "gpio";
  if (first == "sim") return below.rfind("sim/call/", 0) == 0 ? "telephony" : "gpio";
  if (first == "call") return "telephony";
  if (first == "message") return "sms";
  return first;  // <root>/<service>/...: gpio, rules, telephony, sms, web, discovery
}

std::string format_status(std::string_view root, const std::map<std::string, json>& states, bool colour) {
  std::ostringstream out;
  const auto section = [&](const char* title) { out << paint(title, kBold, colour) << "\n"; };
  const auto under = [&](const std::string& prefix, const std::string& suffix) {
    std::vector<std::pair<std::string, const json*>> found;
    for (const auto& [topic, payload] : states) {
      const auto below = relative(root, topic);
      if (below.rfind(prefix, 0) != 0) continue;
      const auto rest = below.substr(prefix.size());
      if (suffix.empty() ? rest.find('/') != std::string::npos : (rest.size() <= suffix.size() || rest.substr(rest.size() - suffix.size()) != suffix ||
                                                                 rest.substr(0, rest.size() - suffix.size()).find('/') != std::string::npos))
        continue;
      found.emplace_back(suffix.empty() ? rest : rest.substr(0, rest.size() - suffix.size()), &payload);
    }
    return found;
  };

  section("services");
  const auto services = under("", "/status");
  if (services.empty()) out << "  (none has spoken: is the broker the device's, and the device name right?)\n";
  for (const auto& [name, status] : services) {
    const auto state = text_of(*status, "state", "?");
    out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ')
        << paint(state, state == "online" ? kGreen : kRed, colour);
    if (state == "online") out << "  " << text_of(*status, "version") << "  since " << text_of(*status, "started_at");
    else if (status->contains("reason")) out << "  (" << text_of(*status, "reason") << ")";
    out << "\n";
  }
  const auto gpio_online = states.contains(std::string(root) + "/gpio/status") &&
                           text_of(states.at(std::string(root) + "/gpio/status"), "state") == "online";
  const auto port_line = [&](const std::string& name, const json& state, bool output) {
    const bool active = state.is_object() && state.value("active", false);
    out << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ')
        << paint(active ? "ACTIVE  " : "inactive", active ? kYellow : kDim, colour);
    if (output) {
      out << "  " << text_of(state, "mode");
      if (state.is_object() && state.value("remaining_ms", 0) > 0) out << " " << state["remaining_ms"].get<long long>() << " ms left";
    } else {
      out << "  level " << text_of(state, "level");
    }
    if (!text_of(state, "label").empty()) out << "  " << paint(text_of(state, "label"), kDim, colour);
    if (!gpio_online) out << "  " << paint("(gpio offline: unknown)", kRed, colour);
    out << "\n";
  };
  section("inputs");
  for (const auto& [name, state] : under("input/", "")) port_line(name, *state, false);
  section("outputs");
  for (const auto& [name, state] : under("output/", "")) port_line(name, *state, true);
  section("call");
  const auto call = states.find(std::string(root) + "/call");
  if (call == states.end()) out << "  (no call state: telephony has not spoken)\n";
  else out << "  " << text_of(call->second, "state", "?") << (text_of(call->second, "peer").empty() ? "" : " with " + text_of(call->second, "peer")) << "\n";
  const auto registration = states.find(std::string(root) + "/telephony/registration");
  if (registration != states.end()) out << "  registration " << text_of(registration->second, "state", "?") << "\n";
  const auto modem = states.find(std::string(root) + "/sms/modem");
  if (modem != states.end()) out << "  modem " << text_of(modem->second, "state", "?") << "\n";
  return out.str();
}

std::string format_message(std::string_view root, std::string_view topic, std::string_view payload, bool retained, bool colour,
                           std::string_view time, bool pretty) {
  auto shown = relative(root, topic);
  if (shown.empty()) shown = std::string(topic);
  std::string_view tint = kGreen;
  const bool error = shown.size() >= 6 && shown.substr(shown.size() - 6) == "/error";
  const bool command = (shown.size() >= 4 && shown.substr(shown.size() - 4) == "/set") ||
                       (shown.size() >= 5 && shown.substr(shown.size() - 5) == "/send");
  if (error) tint = kRed;
  else if (command) tint = kYellow;
  const auto parsed = json::parse(payload, nullptr, false);
  // Unreadable bytes are shown escaped: a terminal must not run what a payload carries.
  const int indent = pretty ? 2 : -1;
  const auto body = parsed.is_discarded() ? json(std::string(payload)).dump(-1, ' ', false, json::error_handler_t::replace)
                                          : parsed.dump(indent, ' ', false, json::error_handler_t::replace);
  std::string line = paint(time, kDim, colour) + " " + paint(shown, tint, colour);
  if (retained) line += paint(" (retained)", kDim, colour);
  return line + (pretty && parsed.is_structured() ? "\n" : " ") + body;
}

}  // namespace intercom::ctl
