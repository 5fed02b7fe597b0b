#include "api_response.hpp"

#include <boost/beast/http.hpp>

#include "intercom/bus/inbound.hpp"
#include "intercom/util/strict_json.hpp"

namespace intercom::web {

namespace http = boost::beast::http;

Response json_response(unsigned version, unsigned status, const nlohmann::json& body) {
  Response response{static_cast<http::status>(status), version};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.body() = body.dump();
  return response;
}

std::string_view path_of(std::string_view target) {
  const auto query = target.find('?');
  return query == std::string_view::npos ? target : target.substr(0, query);
}

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    auto pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
      return std::string(pair.substr(name.size() + 1));
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return "";
}

std::vector<std::string> segments_of(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    segments.emplace_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return segments;
}

std::variant<nlohmann::json, std::string> object_body(const std::string& body) {
  if (body.size() > kMaxPayloadBytes) return std::string("the request is larger than 64 KiB");
  if (nesting_depth(body) > kMaxNestingDepth) return std::string("the request nests deeper than " + std::to_string(kMaxNestingDepth) + " levels");
  auto parsed = parse_strict_json(body);
  if (auto* problem = std::get_if<JsonError>(&parsed)) return problem->to_string();
  auto& document = std::get<nlohmann::json>(parsed);
  if (!document.is_object()) return std::string("the request body is a JSON object");
  return std::move(document);
}

}  // namespace intercom::web
