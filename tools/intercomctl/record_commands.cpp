// The device's records, asked page after page: the door's history and its users.
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "bus_exchange.hpp"
#include "commands.hpp"
#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/history_payloads.hpp"
#include "intercom/contract/users_csv.hpp"

namespace intercom::ctl {

using nlohmann::json;

int history(const BusSettings& settings, const Output& output, const HistoryOptions& options) {
  auto made = history_query_of(options, std::chrono::system_clock::now());
  if (const auto* problem = std::get_if<std::string>(&made)) {
    std::cerr << "intercomctl: " << *problem << "\n";
    return 2;
  }
  auto query = std::get<contract::HistoryQuery>(made);
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto root = root_of(settings);
    if (auto why = offline(bus, root, "history")) {
      std::cerr << "intercomctl: " << *why << ": no history to ask\n";
      return 1;
    }
    const auto topic = root + "/history/query", error_topic = root + "/history/error", result_topic = root + "/history/result";
    bus.subscribe(error_topic);
    bus.subscribe(result_topic);
    std::vector<contract::HistoryRecord> events;
    // Page after page, newest first, until the limit or the oldest event.
    while (static_cast<int>(events.size()) < options.limit) {
      const auto id = request_id();
      query.request_id = id;
      query.limit = std::min<std::int64_t>(1000, options.limit - static_cast<std::int64_t>(events.size()));
      const auto reply = send_and_wait<contract::HistoryResult>(
          bus, topic, json(query), error_topic, result_topic, [&](const contract::HistoryResult& r) { return r.request_id == id; }, output.timeout);
      const auto& refused = reply.refused;
      const auto& page = reply.answer;
      if (refused || (page && !page->ok)) {
        const auto why = refused ? *refused : page->error ? page->error->path + ": " + page->error->reason : "refused";
        std::cerr << "intercomctl: the history refused the query: " << why << "\n";
        return 1;
      }
      if (!page) {
        std::cerr << "intercomctl: no answer from the history within " << output.timeout.count() << " ms\n";
        return 1;
      }
      events.insert(events.end(), page->events.begin(), page->events.end());
      if (!page->next) break;
      query.after = page->next;
    }
    if (events.empty()) std::cout << "no events" << (options.since ? " since " + *options.since : std::string()) << "\n";
    // Oldest first, as a log reads: the newest at the bottom, by the prompt.
    for (auto event = events.rbegin(); event != events.rend(); ++event) std::cout << history_line(*event) << "\n";
    return 0;
  });
}

namespace {

/// The parts of an import are at most this long: a bus message holds 64 KiB, with its JSON around.
constexpr std::size_t kImportPartBytes = 40 * 1024;

/// Access's topics, subscribed: its answers and its refusals.
struct AccessTopics {
  std::string command, error, result;
  AccessTopics(BusClient& bus, const std::string& root)
      : command(root + "/access/users/set"), error(root + "/access/error"), result(root + "/access/users/result") {
    bus.subscribe(error);
    bus.subscribe(result);
  }
};

/// A users command and its answer, done; nothing if access refused it or did not answer, which is
/// said on standard error (`refused`: what a refusal means to the person).
std::optional<contract::AccessUsersResult> ask_access(BusClient& bus, const AccessTopics& topics, contract::AccessUsersCommand command,
                                                      std::chrono::milliseconds timeout, const std::string& refused) {
  const auto id = request_id();
  command.request_id = id;
  const auto reply = send_and_wait<contract::AccessUsersResult>(
      bus, topics.command, json(command), topics.error, topics.result, [&](const contract::AccessUsersResult& r) { return r.request_id == id; },
      timeout);
  const auto& answer = reply.answer;
  if (reply.refused || (answer && !answer->ok)) {
    const auto why = reply.refused ? *reply.refused : answer->error ? answer->error->path + ": " + answer->error->reason : "refused";
    std::cerr << "intercomctl: " << refused << ": " << why << "\n";
    return std::nullopt;
  }
  if (!answer) std::cerr << "intercomctl: no answer from access within " << timeout.count() << " ms\n";
  return answer;
}

int import_users(const BusSettings& settings, const Output& output, const UsersOptions& options) {
  if (!options.id) {
    std::cerr << "intercomctl: users import needs the CSV file (- for standard input)\n";
    return 2;
  }
  std::string csv;
  if (*options.id == "-") {
    csv.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream file(*options.id, std::ios::binary);
    if (!file) {
      std::cerr << "intercomctl: cannot read " << *options.id << "\n";
      return 2;
    }
    csv.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  auto cut = import_parts_of(csv, kImportPartBytes);
  if (const auto* problem = std::get_if<std::string>(&cut)) {
    std::cerr << "intercomctl: " << *options.id << ": " << *problem << "\n";
    return 2;
  }
  const auto& parts = std::get<std::vector<std::string>>(cut);
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto root = root_of(settings);
    if (auto why = offline(bus, root, "access")) {
      std::cerr << "intercomctl: " << *why << ": nothing imported\n";
      return 1;
    }
    const AccessTopics topics(bus, root);
    const auto import_id = "ctl-" + request_id();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      contract::AccessUsersCommand command{.action = "import", .cause = "intercomctl", .import_id = import_id,
                                           .part = static_cast<std::int64_t>(i + 1), .parts = static_cast<std::int64_t>(parts.size()),
                                           .csv = parts[i]};
      // The last part's answer comes when the whole file is in the database: 10,000 users take a moment.
      const auto timeout = i + 1 == parts.size() ? std::max(output.timeout, std::chrono::milliseconds(30000)) : output.timeout;
      const auto answer = ask_access(bus, topics, std::move(command), timeout, "access refused the import, nothing was changed");
      if (!answer) return 1;
      if (answer->imported)
        std::cout << "imported: " << answer->imported->users_added << " users added, " << answer->imported->users_changed << " changed, "
                  << answer->imported->credentials_added << " PINs and cards added\n";
    }
    return 0;
  });
}

}  // namespace

int users(const BusSettings& settings, const Output& output, const UsersOptions& options) {
  if (options.action == "import") return import_users(settings, output, options);
  const bool as_csv = options.action == "export";
  auto made = users_command_of(options);
  if (const auto* problem = std::get_if<std::string>(&made)) {
    std::cerr << "intercomctl: " << *problem << "\n";
    return 2;
  }
  auto command = std::get<contract::AccessUsersCommand>(made);
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto root = root_of(settings);
    if (auto why = offline(bus, root, "access")) {
      std::cerr << "intercomctl: " << *why << ": nothing sent\n";
      return 1;
    }
    const AccessTopics topics(bus, root);
    // An enrolment answers when the card is presented: wait as long as it waits, and a little.
    const auto timeout = command.action == "enrol" ? std::chrono::milliseconds((options.timeout_s + 2) * 1000) : output.timeout;
    if (command.action == "enrol") std::cout << "present the card at " << *command.reader << " within " << options.timeout_s << " s\n";
    std::size_t listed = 0;
    if (as_csv) std::cout << contract::users_csv_header();
    while (true) {
      const auto answer = ask_access(bus, topics, command, timeout, "access refused it");
      if (!answer) return 1;
      for (const auto& user : answer->users.value_or(std::vector<contract::AccessUserShown>{})) {
        std::cout << (as_csv ? contract::users_csv_line(user) : user_line(user) + "\n");
        ++listed;
      }
      if (command.action != "list") {
        if (answer->credential_id) std::cout << "credential #" << *answer->credential_id << " added\n";
        else if (!answer->users) std::cout << "done\n";
        return 0;
      }
      if (!answer->next) break;
      command.after = answer->next;
    }
    if (listed == 0 && !as_csv) std::cout << "no users\n";
    return 0;
  });
}

}  // namespace intercom::ctl
