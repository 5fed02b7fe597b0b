#pragma once
/// A CSV of users (common/intercom/contract/users_csv.hpp) merged into the users kept: a row adds
/// the user or changes the columns it gives (a column left out of the file, or a user's column
/// left empty for name, keeps what the user has), and adds the PINs and cards it gives (one the
/// user has already is kept once; one that is another's is refused). Each row is checked as a
/// put_user command is (the command's schema, the doors, the profile, the validity); the first
/// refusal names its line and column, and then nothing is changed. Pure: the caller stores the
/// plan in one transaction (UserStore::merge).
#include <cstdint>
#include <string_view>
#include <variant>

#include "access_config.hpp"
#include "credential_hash.hpp"
#include "intercom/contract/schema.hpp"
#include "user_store.hpp"
#include "users_command.hpp"

namespace intercom::access {

struct ImportCounts {
  std::int64_t users_added = 0;
  std::int64_t users_changed = 0;
  std::int64_t credentials_added = 0;
};

/// The most rows an import takes: the bound the access service is measured for.
inline constexpr std::size_t kMaxImportRows = 20'000;

/// What to store: the users added or changed (each as it will be), the credentials added.
struct ImportPlan {
  ImportCounts counts;
  std::vector<AccessUser> users;
  std::vector<StoredCredential> credentials;
};

/// The plan for the CSV against the users kept now. A refusal's path is "/csv/<line>/<column>"
/// (line 1 is the header).
std::variant<ImportPlan, CommandRefusal> plan_users_import(std::string_view csv, const UserRecords& records, const AccessConfig& config,
                                                           const KnownOutputs& outputs, const CredentialHasher& hasher,
                                                           const SchemaSet& schemas);

}  // namespace intercom::access
