#include "lan_summary.hpp"

#include <sstream>

namespace intercom::ctl {
namespace {

using nlohmann::json;

std::string fingerprint_text(const std::optional<std::string>& fingerprint) {
  return fingerprint ? "certificate SHA-256 " + *fingerprint : "its certificate cannot be read";
}

std::string page_line(const LanView& view) {
  if (!view.web) return "no web.json here";
  const auto listen = view.web->value("listen", json::object());
  const std::string address = listen.value("address", "127.0.0.1");
  const auto port = listen.value("port", 8080);
  const bool tls = view.web->contains("tls");
  std::string line = std::string(tls ? "https" : "http") + " on " + address + ":" + std::to_string(port);
  if (address.rfind("127.", 0) == 0 || address == "::1") line += " (this device only)";
  if (tls) line += " (" + fingerprint_text(view.web_fingerprint) + ")";
  else if (address.rfind("127.", 0) != 0 && address != "::1") line += " (WARNING: plain HTTP on the LAN)";
  return line;
}

std::string mqtt_line(const LanView& view) {
  const auto mqtt = view.lan ? view.lan->value("mqtt", json::object()) : json::object();
  if (!mqtt.value("enabled", false)) return "off (services on loopback only)";
  const bool tls = mqtt.value("tls", true);
  std::string users;
  for (const auto& user : mqtt.value("users", json::array({"homeassistant", "scada"}))) users += (users.empty() ? "" : ", ") + user.get<std::string>();
  std::string line = std::string(tls ? "TLS" : "plain MQTT") + " on " + mqtt.value("address", "0.0.0.0") + ":" +
                     std::to_string(mqtt.value("port", tls ? 8883 : 1883)) + " for " + users;
  line += tls ? " (" + fingerprint_text(view.mqtt_fingerprint) + ")" : " (WARNING: passwords cross the LAN readable)";
  return line;
}

std::string bridge_line(const LanView& view) {
  const auto bridge = view.lan ? view.lan->value("home_assistant_bridge", json::object()) : json::object();
  if (!bridge.value("enabled", false)) return "off";
  std::string line = "to " + bridge.value("address", "?");
  if (bridge.contains("username")) line += " as " + bridge["username"].get<std::string>();
  line += bridge.value("tls", false) ? " (TLS)" : " (plain MQTT)";
  return line;
}

}  // namespace

std::string format_lan(const LanView& view) {
  std::ostringstream text;
  text << "LAN\n";
  text << "  page        " << page_line(view) << "\n";
  text << "  MQTT        " << mqtt_line(view) << "\n";
  text << "  HA bridge   " << bridge_line(view) << "\n";
  return text.str();
}

}  // namespace intercom::ctl
