#include "form_section.hpp"

namespace intercom::web {
namespace {

const nlohmann::json& empty_object() {
  static const nlohmann::json empty = nlohmann::json::object();
  return empty;
}

}  // namespace

FormSection::FormSection(const nlohmann::json& form, const char* name) : name_(name), section_(&empty_object()) {
  const auto found = form.find(name);
  if (found != form.end() && found->is_object()) section_ = &*found;
}

FormSection::FormSection(const nlohmann::json& form) : section_(form.is_object() ? &form : &empty_object()) {}

const nlohmann::json* FormSection::field(const char* key) const {
  if (error_) return nullptr;
  const auto found = section_->find(key);
  if (found == section_->end() || found->is_null()) return nullptr;
  return &*found;
}

void FormSection::refuse(const char* key, const char* expected) { error_ = FormError{name_.empty() ? key : name_ + "." + key, expected}; }

bool FormSection::flag(const char* key, bool fallback) {
  const auto* found = field(key);
  if (!found) return fallback;
  if (!found->is_boolean()) {
    refuse(key, "true or false");
    return fallback;
  }
  return found->get<bool>();
}

std::string FormSection::text(const char* key, std::string fallback) {
  const auto* found = field(key);
  if (!found) return fallback;
  if (!found->is_string()) {
    refuse(key, "a text");
    return fallback;
  }
  return found->get<std::string>();
}

const nlohmann::json* FormSection::typed(const char* key, bool (nlohmann::json::*is)() const noexcept, const char* expected) {
  const auto* found = field(key);
  if (!found || (found->*is)()) return found;
  refuse(key, expected);
  return nullptr;
}

nlohmann::json FormSection::value(const char* key, nlohmann::json fallback) {
  const auto* found = field(key);
  return found ? *found : fallback;
}

}  // namespace intercom::web
