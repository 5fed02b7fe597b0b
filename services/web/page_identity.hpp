#pragma once
/// How the page is served, which every part of its API that sets a cookie, checks an Origin or
/// shows the certificate needs to know.
#include <optional>
#include <string>

namespace intercom::web {

struct PageIdentity {
  bool tls = false;  ///< HTTPS: the cookie is Secure, and the page's Origin https://
  std::optional<std::string> certificate_fingerprint;  ///< SHA-256, shown before a password is typed
};

}  // namespace intercom::web
