#pragma once
/// `intercomctl users`: the command its options make, and a line per user for a terminal. Pure.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "intercom/contract/access_payloads.hpp"

namespace intercom::ctl {

struct UsersOptions {
  std::string action;  ///< list, add, remove, pin, card, enrol, forget, export, import
  std::optional<std::string> id;  ///< the user (add, remove, pin, card, enrol); forget: the credential's id
  std::optional<std::string> value;  ///< card: its number; pin: read from standard input, never the command line
  std::optional<std::string> name;
  std::vector<std::string> doors;
  std::vector<std::string> callers;
  std::optional<std::string> profile;
  std::optional<std::string> from;
  std::optional<std::string> until;
  bool disabled = false;
  std::optional<std::string> label;
  std::optional<std::string> reader;
  int timeout_s = 60;  ///< enrol
};

/// The command of the options (without request_id), or why they do not make one.
std::variant<contract::AccessUsersCommand, std::string> users_command_of(const UsersOptions& options);

/// A CSV file cut into the parts of an import, each at most max_bytes and ending at a line's end
/// (never inside a quoted field), or why it cannot be.
std::variant<std::vector<std::string>, std::string> import_parts_of(const std::string& csv, std::size_t max_bytes);

/// "anna  Anna Berg  doors out1  profile office-hours  valid until 2027-12-01T00:00:00.000Z  card #17 (blue fob), pin #18"
std::string user_line(const contract::AccessUserShown& user);

}  // namespace intercom::ctl
