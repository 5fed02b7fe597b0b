#include "field_map.hpp"

namespace intercom::web {

std::string field_at(const FieldMap& fields, const std::string& pointer) {
  std::string best_prefix;
  std::string best_field;
  for (const auto& [prefix, field] : fields) {
    const bool inside = pointer == prefix || (pointer.size() > prefix.size() && pointer.rfind(prefix, 0) == 0 &&
                                              pointer[prefix.size()] == '/');
    if (inside && prefix.size() >= best_prefix.size()) {
      best_prefix = prefix;
      best_field = field;
    }
  }
  return best_field;
}

}  // namespace intercom::web
