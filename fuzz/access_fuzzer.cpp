// Access control's parsers as anyone can feed them. Byte 0 picks what the rest is: a users command
// as it arrives on the bus (accepted by the adapter, read as its type, then the user checked and a
// credential's value put in its one form), a caller as a SIP header or an SMS gives it, or a
// configuration's time profiles and holidays (then asked whether each holds at a few moments), or
// a CSV of users to import (every row of a table read has the header's width; a plan made adds
// no credential twice).
// Nothing may throw out (but a refusal that names its path), crash or trip a sanitizer; a card's
// form, once made, must read back as itself.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "access_directory.hpp"
#include "intercom/bus/inbound.hpp"
#include "intercom/config/config.hpp"
#include "shipped_schemas.hpp"
#include "time_profile.hpp"
#include "time_profile_config.hpp"
#include "intercom/util/csv.hpp"
#include "users_command.hpp"
#include "users_import.hpp"

namespace {

using namespace intercom;
using namespace intercom::access;

const AccessConfig& config() {
  static const auto made = [] {
    AccessConfig settings;
    settings.profiles = parse_time_profiles(
        nlohmann::json::parse(R"({"office": [{"days": ["mon", "fri"], "from": "08:00", "to": "18:00"}]})"), nlohmann::json::array());
    settings.readers["reader1"] = {"out1", ""};
    return settings;
  }();
  return made;
}

void command(const std::string& text) {
  const auto verdict = accept_inbound(topic::access_users_command, text, false, fuzz::schemas());
  const auto* document = std::get_if<nlohmann::json>(&verdict);
  if (!document) return;
  const auto read = document->get<contract::AccessUsersCommand>();
  if (read.user) (void)read_user(*read.user, config(), std::set<std::string>{"out1", "out2"}, "/user");
  if (read.kind && read.value) {
    const auto kind = credential_kind(*read.kind);
    const auto canonical = canonical_credential(kind, *read.value, "/value");
    if (const auto* value = std::get_if<std::string>(&canonical)) {
      const auto again = canonical_credential(kind, *value, "/value");
      if (!std::holds_alternative<std::string>(again) || std::get<std::string>(again) != *value) {
        std::fprintf(stderr, "\"%s\" made \"%s\", which does not read back as itself\n", read.value->c_str(), value->c_str());
        std::abort();
      }
    }
  }
}

void profiles(const std::string& text) {
  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return;
  nlohmann::json config{{"state_dir", "x"}, {"time_profiles", document.value("time_profiles", nlohmann::json::object())},
                        {"holidays", document.value("holidays", nlohmann::json::array())}};
  try {
    config = validate_config(config, fuzz::schemas(), "access");
    const auto parsed = parse_time_profiles(config["time_profiles"], config["holidays"]);
    for (const auto& [name, profile] : parsed.profiles)
      for (const int minute : {0, 479, 480, 1439})
        for (const int day : {1, 3}) {
          const LocalMoment at{std::chrono::year{2026} / 3 / 1, day, minute};
          (void)is_active(profile, parsed.holidays, at);
        }
  } catch (const ConfigError&) {
  }
}

void import(const std::string& text) {
  static const CredentialHasher hasher(CredentialHasher::Key{});
  const auto read = read_csv(text, kMaxImportRows);
  if (const auto* table = std::get_if<CsvTable>(&read))
    for (const auto& row : table->rows)
      if (row.size() != table->header.size()) {
        std::fprintf(stderr, "a row of %zu fields under a header of %zu\n", row.size(), table->header.size());
        std::abort();
      }
  UserRecords kept;
  kept.users.push_back({.id = "anna", .name = "Anna", .callers = {}, .doors = {"out1"}, .valid_from_ms = std::nullopt,
                        .valid_until_ms = std::nullopt, .profile = "", .enabled = true});
  kept.credentials.push_back({.id = 1, .user_id = "anna", .kind = CredentialKind::pin, .hash = hasher.hash(CredentialKind::pin, "2580"), .label = ""});
  const auto planned = plan_users_import(text, kept, config(), std::set<std::string>{"out1", "out2"}, hasher, fuzz::schemas());
  if (const auto* plan = std::get_if<ImportPlan>(&planned)) {
    std::set<std::string> hashes{kept.credentials[0].hash};
    for (const auto& credential : plan->credentials)
      if (!hashes.insert(credential.hash).second) {
        std::fprintf(stderr, "an import adds one credential twice\n");
        std::abort();
      }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: command(text); break;
    case 1: (void)AccessDirectory::normalise_caller(text); break;
    case 2: profiles(text); break;
    default: import(text); break;
  }
  return 0;
}
