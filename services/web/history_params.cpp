#include "history_params.hpp"

#include <charconv>
#include <optional>

namespace intercom::web {
namespace {

std::optional<std::int64_t> whole_number(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::variant<contract::HistoryQuery, ParameterRefusal> history_query_of(const UrlParameters& parameters) {
  contract::HistoryQuery query;
  for (const auto& [name, values] : parameters) {
    if (name == "kind") {
      query.kinds = values;
      continue;
    }
    if (values.size() != 1) return ParameterRefusal{name, "given once only"};
    const auto& value = values.front();
    if (name == "from") query.from = value;
    else if (name == "to") query.to = value;
    else if (name == "input") query.input = value;
    else if (name == "output") query.output = value;
    else if (name == "cause") query.cause = value;
    else if (name == "text") query.text = value;
    else if (name == "limit" || name == "after") {
      const auto number = whole_number(value);
      if (!number) return ParameterRefusal{name, "a whole number"};
      (name == "limit" ? query.limit : query.after) = *number;
    } else {
      return ParameterRefusal{name, "not a filter of the history (from, to, kind, input, output, cause, text, limit, after)"};
    }
  }
  return query;
}

}  // namespace intercom::web
