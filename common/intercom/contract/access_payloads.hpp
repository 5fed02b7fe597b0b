#pragma once
/// Access control (services/access/): credentials from the readers, the checks at the door, the users.
/// One type per payload, next to its topic; schemas/bus/ stays the authority (the bus validates
/// every payload against it), tests/unit/contract_test.cpp keeps the two equal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

/// A credential presented at a reader (event): a card read or a PIN keyed; only the access service may read it.
struct AccessCredential {
  static constexpr const TopicSpec& spec = topic::access_credential;
  std::string reader;  ///< the reader's name in gpio's configuration
  std::string kind;  ///< card | pin
  std::string value;  ///< card: <facility>-<number>; pin: its digits
  std::optional<std::int64_t> bits;  ///< the Wiegand frame's length (a card)
  std::string at;  ///< ISO 8601
  bool operator==(const AccessCredential&) const = default;
};
void to_json(nlohmann::json& json, const AccessCredential& value);
void from_json(const nlohmann::json& json, AccessCredential& value);

/// A credential was checked at a door (event): granted or refused, who and why; never the credential's value.
struct AccessEvent {
  static constexpr const TopicSpec& spec = topic::access_event;
  std::string result;  ///< granted | refused | alarm
  std::optional<std::string> reason;  ///< refused: unknown, disabled, not_yet_valid, expired, outside_profile, no_profile, wrong_door, locked_out; alarm: forced, held_open
  std::string door;  ///< the output the reader opens
  std::string credential;  ///< card | pin | exit (the exit button) | door (an alarm of its contact)
  std::string reader;  ///< the reader, the exit button's input, or the contact's for an alarm
  std::optional<std::string> user_id;  ///< whose credential it is, when known
  std::optional<std::string> user;  ///< their name
  std::int64_t failures = 0;  ///< wrong credentials in a row at this reader
  std::optional<std::string> locked_until;  ///< ISO 8601; while the reader is locked out
  std::optional<std::string> request_id;  ///< granted: the door's command's
  std::string at;  ///< ISO 8601
  bool operator==(const AccessEvent&) const = default;
};
void to_json(nlohmann::json& json, const AccessEvent& value);
void from_json(const nlohmann::json& json, AccessEvent& value);

/// A user as a command gives it.
struct AccessUserRecord {
  std::string id;  ///< [a-z0-9_.-], 1 to 64
  std::string name;
  std::optional<std::vector<std::string>> callers;  ///< SIP URIs or phone numbers that identify the user on a call
  std::optional<std::vector<std::string>> doors;  ///< the outputs the user may open
  std::optional<std::string> valid_from;  ///< ISO 8601
  std::optional<std::string> valid_until;  ///< ISO 8601, exclusive
  std::optional<std::string> profile;  ///< a time profile; none: at any time
  std::optional<bool> enabled;
  bool operator==(const AccessUserRecord&) const = default;
};
void to_json(nlohmann::json& json, const AccessUserRecord& value);
void from_json(const nlohmann::json& json, AccessUserRecord& value);

/// A change to the door's users, or a question about them (command).
struct AccessUsersCommand {
  static constexpr const TopicSpec& spec = topic::access_users_command;
  std::optional<std::string> request_id;  ///< given back on the result
  std::string action;  ///< put_user | remove_user | add_credential | remove_credential | enrol | list | import
  std::optional<AccessUserRecord> user;  ///< put_user
  std::optional<std::string> user_id;  ///< remove_user, add_credential, enrol
  std::optional<std::string> kind;  ///< add_credential: card | pin
  std::optional<std::string> value;  ///< add_credential: a PIN's digits or a card's <facility>-<number>
  std::optional<std::string> label;  ///< add_credential, enrol
  std::optional<std::int64_t> credential_id;  ///< remove_credential
  std::optional<std::string> reader;  ///< enrol
  std::optional<std::int64_t> timeout_s;  ///< enrol: 60 when left out
  std::optional<std::string> after;  ///< list: the id of the last user of the page before
  std::optional<std::int64_t> limit;  ///< list: 50 when left out
  std::optional<std::string> cause;  ///< who asks
  std::optional<std::string> import_id;  ///< import: the parts of one file share it
  std::optional<std::int64_t> part;  ///< import: this part's number, from 1
  std::optional<std::int64_t> parts;  ///< import: how many parts the file has
  std::optional<std::string> csv;  ///< import: this part of the file, cut at a line's end
  bool operator==(const AccessUsersCommand&) const = default;
};
void to_json(nlohmann::json& json, const AccessUsersCommand& value);
void from_json(const nlohmann::json& json, AccessUsersCommand& value);

/// A credential as shown: its kind and label, never its value.
struct AccessCredentialShown {
  std::int64_t id = 0;
  std::string kind;  ///< card | pin
  std::string label;
  bool operator==(const AccessCredentialShown&) const = default;
};
void to_json(nlohmann::json& json, const AccessCredentialShown& value);
void from_json(const nlohmann::json& json, AccessCredentialShown& value);

/// A user as kept.
struct AccessUserShown {
  std::string id;
  std::string name;
  std::vector<std::string> callers;
  std::vector<std::string> doors;
  std::optional<std::string> valid_from;  ///< ISO 8601
  std::optional<std::string> valid_until;  ///< ISO 8601, exclusive
  std::optional<std::string> profile;
  bool enabled = false;
  std::vector<AccessCredentialShown> credentials;
  bool operator==(const AccessUserShown&) const = default;
};
void to_json(nlohmann::json& json, const AccessUserShown& value);
void from_json(const nlohmann::json& json, AccessUserShown& value);

struct AccessUsersResultError {
  std::string path;  ///< the command's member at fault, as a JSON pointer
  std::string reason;
  bool operator==(const AccessUsersResultError&) const = default;
};
void to_json(nlohmann::json& json, const AccessUsersResultError& value);
void from_json(const nlohmann::json& json, AccessUsersResultError& value);

/// What an import changed.
struct AccessUsersImported {
  std::int64_t users_added = 0;
  std::int64_t users_changed = 0;
  std::int64_t credentials_added = 0;
  bool operator==(const AccessUsersImported&) const = default;
};
void to_json(nlohmann::json& json, const AccessUsersImported& value);
void from_json(const nlohmann::json& json, AccessUsersImported& value);

/// The answer to a users command (event): done, a page of users, or why it was refused.
struct AccessUsersResult {
  static constexpr const TopicSpec& spec = topic::access_users_result;
  std::optional<std::string> request_id;
  std::optional<std::string> action;
  bool ok = false;
  std::optional<std::vector<AccessUserShown>> users;  ///< list: a page, by id; put_user, add_credential, enrol: the user as now kept
  std::optional<std::string> next;  ///< list: the after of the next page
  std::optional<std::int64_t> total;  ///< list: how many users there are
  std::optional<std::int64_t> credential_id;  ///< add_credential, enrol: the new credential's id
  std::optional<AccessUsersResultError> error;
  std::optional<std::int64_t> parts_received;  ///< import: the parts in so far (the last one's answer says what was done)
  std::optional<AccessUsersImported> imported;  ///< import: done, with what it changed
  std::string at;  ///< ISO 8601
  bool operator==(const AccessUsersResult&) const = default;
};
void to_json(nlohmann::json& json, const AccessUsersResult& value);
void from_json(const nlohmann::json& json, AccessUsersResult& value);

/// Whether a time profile holds now (state).
struct AccessProfile {
  static constexpr const TopicSpec& spec = topic::access_profile;
  bool active = false;
  std::string since;  ///< ISO 8601: when it last changed, as far as this start of access knows
  bool operator==(const AccessProfile&) const = default;
};
void to_json(nlohmann::json& json, const AccessProfile& value);
void from_json(const nlohmann::json& json, AccessProfile& value);

/// A door access control watches, by its lock's output (state): open or shut, forced, held open.
struct AccessDoor {
  static constexpr const TopicSpec& spec = topic::access_door;
  std::optional<bool> open;  ///< unknown until its contact's state is known
  bool forced = false;  ///< opened with the lock shut and no exit pressed, and not closed since
  bool held_open = false;  ///< open longer than allowed
  std::optional<std::string> contact;  ///< its contact's input
  std::optional<std::string> exit;  ///< its exit button's input
  std::optional<std::string> label;
  std::string since;  ///< ISO 8601: when it last changed
  bool operator==(const AccessDoor&) const = default;
};
void to_json(nlohmann::json& json, const AccessDoor& value);
void from_json(const nlohmann::json& json, AccessDoor& value);

}  // namespace intercom::contract
