#pragma once
/// How a contract type reads and writes its members: a required member is always written and must
/// be there; an optional one (std::optional) is written only when it has a value and read only when
/// the payload has it. The one place that spells these two rules.
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace intercom::contract {

template <class T>
void put(nlohmann::json& json, std::string_view key, const T& value) {
  json[std::string(key)] = value;
}

template <class T>
void put(nlohmann::json& json, std::string_view key, const std::optional<T>& value) {
  if (value) json[std::string(key)] = *value;
}

template <class T>
void take(const nlohmann::json& json, std::string_view key, T& value) {
  json.at(std::string(key)).get_to(value);
}

template <class T>
void take(const nlohmann::json& json, std::string_view key, std::optional<T>& value) {
  const auto found = json.find(std::string(key));
  if (found == json.end()) value.reset();
  else value = found->template get<T>();
}

}  // namespace intercom::contract
