#pragma once
/// The device's secret that keys the credentials' hashes (credential_hash.hpp): made once, the first
/// time, readable by the access service's user alone (0600), and never replaced: a new key would
/// turn every PIN and card enrolled into nobody's.
#include <filesystem>

#include "credential_hash.hpp"

namespace intercom::access {

/// The key in the file; a new one (written 0600) if there is no file. Throws std::runtime_error
/// naming the file if it cannot be read or made, or does not hold a key.
CredentialHasher::Key load_or_make_credential_key(const std::filesystem::path& file);

}  // namespace intercom::access
