#pragma once
/// The SHA-256 fingerprint of a PEM certificate, as browsers and `openssl x509 -fingerprint -sha256`
/// show it ("AB:CD:..."): what an installer compares before trusting the device's self-signed
/// certificate (the page's HTTPS, the broker's LAN listener).
#include <filesystem>
#include <optional>
#include <string>

namespace intercom {

/// The fingerprint, or nothing if the file cannot be read as a PEM certificate.
std::optional<std::string> certificate_fingerprint(const std::filesystem::path& pem_file);

}  // namespace intercom
