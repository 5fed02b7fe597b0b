#pragma once
/// Which form field a service's refusal points into: its JSON pointer matched against the parts
/// of the document a form wrote, the longest prefix winning. Pure.
#include <string>
#include <utility>
#include <vector>

namespace intercom::web {

/// (JSON pointer prefix in the service's document, form field).
using FieldMap = std::vector<std::pair<std::string, std::string>>;

/// The field of the longest prefix `pointer` is at or inside ("" when none).
std::string field_at(const FieldMap& fields, const std::string& pointer);

}  // namespace intercom::web
