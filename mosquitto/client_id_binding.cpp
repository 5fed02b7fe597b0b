#include "client_id_binding.hpp"

namespace intercom::broker {
namespace {

bool owned_by(std::string_view client_id, std::string_view service) {
  return client_id.size() > service.size() + 1 && client_id.ends_with(service) &&
         client_id[client_id.size() - service.size() - 1] == '-';
}

}  // namespace

std::optional<std::string> client_id_refusal(const std::vector<std::string>& service_users, std::string_view username,
                                             std::string_view client_id) {
  for (const auto& service : service_users) {
    if (username == service && !owned_by(client_id, service))
      return "user " + service + " may connect only with a client id ending in -" + service;
    if (username != service && owned_by(client_id, service))
      return "client id " + std::string(client_id) + " belongs to user " + service;
  }
  return std::nullopt;
}

std::vector<std::string> parse_service_users(std::string_view option) {
  std::vector<std::string> users;
  std::size_t at = 0;
  while (at < option.size()) {
    const auto end = option.find_first_of(" ,", at);
    const auto word = option.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (!word.empty()) users.emplace_back(word);
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return users;
}

}  // namespace intercom::broker
