#include "url_query.hpp"

#include <optional>

namespace intercom::web {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
      if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::variant<UrlParameters, std::string> url_parameters(std::string_view target) {
  UrlParameters parameters;
  const auto question = target.find('?');
  if (question == std::string_view::npos) return parameters;
  auto query = target.substr(question + 1);
  while (!query.empty()) {
    const auto end = query.find('&');
    const auto pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    const auto name = decoded(pair.substr(0, equals));
    const auto value = decoded(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!name) return "a parameter's name is not percent-encoded right";
    if (!value) return "the value of \"" + *name + "\" is not percent-encoded right";
    parameters[*name].push_back(*value);
  }
  return parameters;
}

}  // namespace intercom::web
