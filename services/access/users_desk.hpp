#pragma once
/// The users' management: a users command checked member by member, carried out on the store, and
/// answered; the users in memory (AccessDirectory) built again after each change, so that a card
/// removed opens nothing from the next read on. An enrolment's card is added here when it comes.
#include <string>

#include "access_config.hpp"
#include "access_directory.hpp"
#include "credential_hash.hpp"
#include "intercom/contract/access_payloads.hpp"
#include "user_store.hpp"
#include "users_command.hpp"
#include "users_import.hpp"

namespace intercom::access {

class UsersDesk {
 public:
  /// Reads the users from the store. Throws store::StoreError.
  UsersDesk(UserStore& store, const CredentialHasher& hasher);

  /// Carries out a command (every action but enrol, which waits for a card: begin_enrol) and
  /// answers it. Nothing is changed by a refused command.
  contract::AccessUsersResult answer(const contract::AccessUsersCommand& command, const AccessConfig& config,
                                     const KnownOutputs& outputs, const std::string& at);
  /// Checks an enrolment before it waits for its card: the user, the reader. A refusal, or nothing.
  std::optional<CommandRefusal> check_enrol(const contract::AccessUsersCommand& command, const AccessConfig& config) const;
  /// A whole CSV file (the import's parts put together) merged into the users, all of it or nothing.
  contract::AccessUsersResult import(const contract::AccessUsersCommand& command, std::string_view csv, const AccessConfig& config,
                                     const KnownOutputs& outputs, const SchemaSet& schemas, const std::string& at);
  /// The card read for an enrolment becomes the user's.
  contract::AccessUsersResult enrol(const contract::AccessUsersCommand& command, const std::string& card, const std::string& at);

  const AccessDirectory& directory() const { return directory_; }

 private:
  contract::AccessUsersResult add_credential(const contract::AccessUsersCommand& command, CredentialKind kind,
                                             const std::string& value, contract::AccessUsersResult result);
  contract::AccessUsersResult list(const contract::AccessUsersCommand& command, contract::AccessUsersResult result) const;
  /// The result with the user as now kept.
  contract::AccessUsersResult with_user(contract::AccessUsersResult result, const std::string& id) const;
  void reload();

  UserStore& store_;
  const CredentialHasher& hasher_;
  AccessDirectory directory_;
};

/// A command's answer, done (ok), before what it says is added.
contract::AccessUsersResult result_of(const contract::AccessUsersCommand& command, const std::string& at);

/// A refused command's answer.
contract::AccessUsersResult refusal_result(const contract::AccessUsersCommand& command, const CommandRefusal& refusal, const std::string& at);

}  // namespace intercom::access
