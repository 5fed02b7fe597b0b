#pragma once
/// The LAN part of `intercomctl status`: where the page and the broker can be reached from other
/// hosts, with whose users, and the certificate's fingerprint to compare (lan.json and web.json,
/// beside intercomctl's own config). Pure: the caller reads the files and the fingerprints.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace intercom::ctl {

struct LanView {
  std::optional<nlohmann::json> lan;  ///< lan.json, when there
  std::optional<nlohmann::json> web;  ///< web.json, when there
  std::optional<std::string> mqtt_fingerprint;  ///< of lan.json's certificate_file
  std::optional<std::string> web_fingerprint;   ///< of web.json's tls.certificate_file
};

std::string format_lan(const LanView& view);

}  // namespace intercom::ctl
