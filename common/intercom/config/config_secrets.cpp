#include "intercom/config/config_secrets.hpp"

#include <functional>

namespace intercom {
namespace {

using Pointer = nlohmann::json::json_pointer;

/// Calls visit(element, element's pointer) for the object each secret sits in: the document itself
/// for a plain field, or each object element of the array.
void for_each_holder(nlohmann::json& document, const SecretField& secret,
                     const std::function<void(nlohmann::json&, const std::string&)>& visit) {
  if (secret.array.empty()) return visit(document, "");
  const Pointer array(secret.array);
  if (!document.contains(array) || !document[array].is_array()) return;
  auto& elements = document[array];
  for (std::size_t i = 0; i < elements.size(); ++i)
    if (elements[i].is_object()) visit(elements[i], secret.array + "/" + std::to_string(i));
}

const nlohmann::json* matching_holder(const nlohmann::json& in_force, const SecretField& secret, const nlohmann::json& holder) {
  if (secret.array.empty()) return &in_force;
  const Pointer array(secret.array);
  if (!in_force.contains(array) || !in_force[array].is_array()) return nullptr;
  const auto key = holder.find(secret.key);
  if (key == holder.end()) return nullptr;
  for (const auto& element : in_force[array])
    if (element.is_object() && element.contains(secret.key) && element[secret.key] == *key) return &element;
  return nullptr;
}

/// Whether the object that would hold the field exists (its parent), so a value can be put there.
bool parent_exists(const nlohmann::json& holder, const Pointer& field) {
  const auto parent = field.parent_pointer();
  return holder.contains(parent) && holder[parent].is_object();
}

}  // namespace

nlohmann::json redact_secrets(nlohmann::json document, const std::vector<SecretField>& secrets) {
  for (const auto& secret : secrets) {
    const Pointer field(secret.field);
    for_each_holder(document, secret, [&](nlohmann::json& holder, const std::string&) {
      if (holder.contains(field)) holder[field] = kRedacted;
    });
  }
  return document;
}

nlohmann::json keep_secrets(nlohmann::json incoming, const nlohmann::json& in_force, const std::vector<SecretField>& secrets) {
  for (const auto& secret : secrets) {
    const Pointer field(secret.field);
    for_each_holder(incoming, secret, [&](nlohmann::json& holder, const std::string& where) {
      const bool given = holder.contains(field);
      if (given && holder[field] != kRedacted) return;  // a new value
      const auto* current = matching_holder(in_force, secret, holder);
      const bool has_current = current && current->contains(field);
      if (has_current && parent_exists(holder, field)) {
        // A trigger of another kind keeps no code: only a field the element in force had, in an
        // object of the same shape (same "type", where there is one), is carried over.
        const auto parent = field.parent_pointer();
        const auto& new_parent = holder[parent];
        const auto& old_parent = (*current)[parent];
        if (given || new_parent.value("type", nlohmann::json()) == old_parent.value("type", nlohmann::json()))
          holder[field] = (*current)[field];
        return;
      }
      if (given)
        throw ConfigError::at(where + secret.field,
                              std::string("is \"") + std::string(kRedacted) +
                                  "\" (keep the value in force) but there is none to keep" +
                                  (secret.array.empty() ? "" : " for " + secret.key + " " + (holder.contains(secret.key) ? holder[secret.key].dump() : "(none)")) +
                                  ": give the value");
    });
  }
  return incoming;
}

bool is_secret_pointer(const std::string& pointer, const std::vector<SecretField>& secrets) {
  const auto starts = [](const std::string& text, const std::string& prefix) {
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0 &&
           (text.size() == prefix.size() || text[prefix.size()] == '/');
  };
  for (const auto& secret : secrets) {
    if (secret.array.empty()) {
      if (starts(pointer, secret.field)) return true;
      continue;
    }
    const auto array = secret.array + "/";
    if (pointer.compare(0, array.size(), array) != 0) continue;
    const auto slash = pointer.find('/', array.size());  // after the element's index
    if (slash != std::string::npos && starts(pointer.substr(slash), secret.field)) return true;
  }
  return false;
}

bool mentions_a_secret(const std::string& text, const nlohmann::json& document, const std::vector<SecretField>& secrets) {
  bool found = false;
  auto copy = document;
  for (const auto& secret : secrets) {
    const Pointer field(secret.field);
    for_each_holder(copy, secret, [&](nlohmann::json& holder, const std::string&) {
      if (holder.contains(field) && holder[field].is_string() && holder[field] != kRedacted &&
          text.find(holder[field].get<std::string>()) != std::string::npos)
        found = true;
    });
  }
  return found;
}

}  // namespace intercom
