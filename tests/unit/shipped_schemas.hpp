#pragma once
/// The schemas of this source tree, loaded once for all unit tests.
#include "intercom/contract/schema.hpp"

namespace intercom::testing {

inline const SchemaSet& shipped_schemas() {
  static const SchemaSet schemas = SchemaSet::load(INTERCOM_SOURCE_DIR "/schemas");
  return schemas;
}

}  // namespace intercom::testing
