#pragma once
/// What every route of the page's API shares: a JSON answer, the path and its segments, the session
/// cookie, and a request body read strictly as a JSON object. Pure.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "http_types.hpp"

namespace intercom::web {

/// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "intercom_session";

/// An answer with a JSON body, never cached.
Response json_response(unsigned version, unsigned status, const nlohmann::json& body);

/// The path of a target, without its query.
std::string_view path_of(std::string_view target);

/// "/api/outputs/out1/pulse" split at its slashes: "api", "outputs", "out1", "pulse".
std::vector<std::string> segments_of(std::string_view path);

/// The value of the named cookie in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);

/// The body as a JSON object, strictly (a repeated name is refused), or why not.
std::variant<nlohmann::json, std::string> object_body(const std::string& body);

/// Beast's string view as the standard one.
inline std::string_view view_of(boost::beast::string_view text) { return {text.data(), text.size()}; }

}  // namespace intercom::web
