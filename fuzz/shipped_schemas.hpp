#pragma once
/// The project's schemas, loaded once per fuzz target.
#include "intercom/contract/schema.hpp"

namespace intercom::fuzz {

inline const SchemaSet& schemas() {
  static const auto set = SchemaSet::load(INTERCOM_SCHEMA_DIR);
  return set;
}

}  // namespace intercom::fuzz
