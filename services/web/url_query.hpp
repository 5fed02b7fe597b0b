#pragma once
/// The query string of a request target ("/api/history?kind=output&kind=code&text=door%201"), its
/// parameters percent-decoded (and "+" as a space, as forms send it). Pure.
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace intercom::web {

using UrlParameters = std::map<std::string, std::vector<std::string>>;

/// The parameters, each with its values in order; a broken escape ("%4", "%zz") or a decoded NUL is
/// refused, saying which parameter.
std::variant<UrlParameters, std::string> url_parameters(std::string_view target);

}  // namespace intercom::web
