#pragma once
/// One section of a form the page sent ("message", "dtmf", ...), read field by field with the
/// value shown as the fallback: a field left out or null keeps it. A field of another type is
/// refused (a browser sends what the page's script built, but anyone can send anything): the first
/// such field is kept as the section's error, a value, and every read after it gives its fallback.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "linkage_form.hpp"

namespace intercom::web {

class FormSection {
 public:
  /// The form's member `name`; a member that is not an object, or an empty one, is not given.
  FormSection(const nlohmann::json& form, const char* name);
  /// The form itself (when it is an object): its fields are named by their key alone.
  explicit FormSection(const nlohmann::json& form);

  /// Whether the form has this section (non-empty object): a section left out changes nothing.
  bool given() const { return !section_->empty(); }

  bool flag(const char* key, bool fallback);
  std::string text(const char* key, std::string fallback);
  /// Any JSON value, unchecked: the schema checks it when the document is.
  nlohmann::json value(const char* key, nlohmann::json fallback);
  /// The field if it is given and `is` holds for it (`&nlohmann::json::is_array`, ...); nullptr when
  /// it is left out or null, or refused as not `expected`.
  const nlohmann::json* typed(const char* key, bool (nlohmann::json::*is)() const noexcept, const char* expected);

  /// The first field of the wrong type ("dtmf.code", "a text"), or nothing.
  const std::optional<FormError>& error() const { return error_; }

 private:
  /// The field's value, or nullptr when it is left out, null, or an error came before.
  const nlohmann::json* field(const char* key) const;
  void refuse(const char* key, const char* expected);

  std::string name_;
  const nlohmann::json* section_;
  std::optional<FormError> error_;
};

}  // namespace intercom::web
