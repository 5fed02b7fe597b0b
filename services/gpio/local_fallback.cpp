#include "local_fallback.hpp"

namespace intercom::gpio {

std::string_view to_string(LocalLinkage::Kind kind) { return kind == LocalLinkage::Kind::exit ? "exit" : "release"; }

std::string local_cause(LocalLinkage::Kind kind) { return "local:" + std::string(to_string(kind)); }

LocalFallback::LocalFallback(std::vector<LocalLinkage> linkages) : linkages_(std::move(linkages)) {}

std::string LocalFallback::why() const {
  if (!bus_connected_) return "the bus is away";
  if (!access_online_) return "the access service is offline";
  return "";
}

std::vector<LocalAction> LocalFallback::on_input(const std::string& input, bool active) const {
  std::vector<LocalAction> actions;
  for (const auto& linkage : linkages_) {
    if (linkage.input != input) continue;
    const auto cause = local_cause(linkage.kind);
    if (linkage.kind == LocalLinkage::Kind::exit) {
      if (active && in_force()) actions.push_back({&linkage, OutputCommand{.action = OutputAction::pulse, .cause = cause}, std::nullopt});
    } else if (active) {
      if (in_force()) actions.push_back({&linkage, OutputCommand{.action = OutputAction::on, .cause = cause}, std::nullopt});
    } else {
      // Ended whoever is back: nobody else knows the fallback held it.
      actions.push_back({&linkage, OutputCommand{.action = OutputAction::off, .cause = cause}, cause});
    }
  }
  return actions;
}

}  // namespace intercom::gpio
