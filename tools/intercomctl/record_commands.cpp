// The device's records, asked page after page: the door's history and its users.
#include <iostream>
#include <vector>

#include "bus_exchange.hpp"
#include "commands.hpp"
#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/history_payloads.hpp"

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

int users(const BusSettings& settings, const Output& output, const UsersOptions& options) {
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
    const auto topic = root + "/access/users/set", error_topic = root + "/access/error", result_topic = root + "/access/users/result";
    bus.subscribe(error_topic);
    bus.subscribe(result_topic);
    // An enrolment answers when the card is presented: wait as long as it waits, and a little.
    const auto timeout = command.action == "enrol" ? std::chrono::milliseconds((options.timeout_s + 2) * 1000) : output.timeout;
    if (command.action == "enrol") std::cout << "present the card at " << *command.reader << " within " << options.timeout_s << " s\n";
    std::size_t listed = 0;
    while (true) {
      const auto id = request_id();
      command.request_id = id;
      const auto reply = send_and_wait<contract::AccessUsersResult>(
          bus, topic, json(command), error_topic, result_topic, [&](const contract::AccessUsersResult& r) { return r.request_id == id; }, timeout);
      const auto& answer = reply.answer;
      if (reply.refused || (answer && !answer->ok)) {
        const auto why = reply.refused ? *reply.refused : answer->error ? answer->error->path + ": " + answer->error->reason : "refused";
        std::cerr << "intercomctl: access refused it: " << why << "\n";
        return 1;
      }
      if (!answer) {
        std::cerr << "intercomctl: no answer from access within " << timeout.count() << " ms\n";
        return 1;
      }
      for (const auto& user : answer->users.value_or(std::vector<contract::AccessUserShown>{})) {
        std::cout << user_line(user) << "\n";
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
    if (listed == 0) std::cout << "no users\n";
    return 0;
  });
}

}  // namespace intercom::ctl
