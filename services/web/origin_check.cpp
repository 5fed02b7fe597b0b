#include "origin_check.hpp"

#include <algorithm>
#include <cctype>

namespace intercom::web {

bool same_origin(std::string_view origin, std::string_view host, bool tls) {
  const std::string_view scheme = tls ? "https://" : "http://";
  if (host.empty() || origin.size() != scheme.size() + host.size()) return false;
  if (origin.substr(0, scheme.size()) != scheme) return false;
  const auto rest = origin.substr(scheme.size());
  // Host names compare without regard to case; the port is digits.
  return std::equal(rest.begin(), rest.end(), host.begin(), host.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

}  // namespace intercom::web
