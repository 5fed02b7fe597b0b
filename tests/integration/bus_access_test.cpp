// Who may read what, against a real broker with the shipped ACL (mosquitto/acl): every bus user
// (mosquitto/users) listens on every topic that carries a secret (a configuration change with its
// DTMF codes and passwords, a message to send, the digits a caller keys), and only the users the
// contract names for each (schemas/README.md, "Who reads and writes what") receive it.
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "bus_probe.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> bus_users() {
  std::ifstream file(INTERCOM_SOURCE_DIR "/mosquitto/users");
  std::vector<std::string> users;
  for (std::string line; std::getline(file, line);)
    if (!line.empty()) users.push_back(line);
  return users;
}

/// A client id the client-id guard lets each user connect with (a service's user only with its own
/// suffix).
std::string client_id_of(const std::string& user) { return "access-probe-" + user; }

struct SecretTopic {
  std::string topic;
  std::string payload;
  std::set<std::string> readers;  ///< every other user must not receive it
};

std::vector<SecretTopic> secret_topics() {
  std::vector<SecretTopic> topics;
  for (const auto* service : {"gpio", "rules", "telephony", "sms", "web", "discovery", "sparkplug", "history", "access"})
    topics.push_back({std::string("intercom/d1/") + service + "/config/set",
                      R"({"request_id":"access-1","patch":{"account":{"password":"sip-secret-9"},"rules":[{"id":"dtmf-out1","trigger":{"type":"dtmf","code":"2580"}}]}})",
                      {service, "operator"}});
  topics.push_back({"intercom/d1/message/send", R"({"to":"alarm-server","text":"ALERT=SECRET_2580","request_id":"access-2"})", {"sms", "operator"}});
  topics.push_back({"intercom/d1/call/dtmf", R"({"call_id":"c-1","digit":"2","source":"rfc4733","at":"2026-11-24T14:25:03.120Z"})", {"rules", "operator"}});
  topics.push_back({"intercom/d1/sim/call/set", R"({"action":"dtmf","digits":"2580#"})", {"telephony", "operator"}});
  topics.push_back({"intercom/d1/telephony/message/send", R"({"to":"sip:a@127.0.0.1","text":"ALERT=SECRET_2580","request_id":"access-3"})",
                    {"telephony", "sms", "operator"}});
  // Who came to the door and when is no secret of the kind above, but no business of a service
  // that does not show it: the history's pages go to the page, Home Assistant and the operator.
  topics.push_back({"intercom/d1/history/result",
                    R"({"request_id":"access-4","ok":true,"events":[],"at":"2026-11-24T14:25:03.120Z"})",
                    {"history", "web", "homeassistant", "operator"}});
  topics.push_back({"intercom/d1/history/query", R"({"request_id":"access-5"})", {"history", "operator"}});
  // A card number or PIN, read at a reader or enrolled: the access service's alone. The users
  // (names, callers) go to the page too.
  topics.push_back({"intercom/d1/access/credential", R"({"reader":"keypad","kind":"pin","value":"2580","at":"2026-11-24T14:25:03.120Z"})",
                    {"access", "operator"}});
  topics.push_back({"intercom/d1/access/users/set",
                    R"({"request_id":"access-6","action":"add_credential","user_id":"anna","kind":"pin","value":"2580"})", {"access", "operator"}});
  topics.push_back({"intercom/d1/access/users/result", R"({"request_id":"access-6","ok":true,"at":"2026-11-24T14:25:03.120Z"})",
                    {"access", "web", "operator"}});
  return topics;
}

/// Subscribes if the broker lets this user; a refused subscription is as good as one that never
/// delivers.
void try_subscribe(BusProbe& probe, const std::string& filter) {
  try {
    probe.subscribe(filter);
  } catch (const std::exception&) {
  }
}

TEST(BusAccessTest, OnlyTheOwnerAndTheOperatorReadAConfigurationChangeAMessageToSendOrTheDigitsKeyed) {
  TestBroker broker;
  const auto users = bus_users();
  ASSERT_GE(users.size(), 10u);
  const auto topics = secret_topics();
  // Connected at once: Paho's clients in one process share a thread that looks at new sockets
  // about once a second, so one after the other they would take 2 s each.
  std::map<std::string, std::unique_ptr<BusProbe>> probes;
  std::vector<std::future<std::unique_ptr<BusProbe>>> connecting;
  for (const auto& user : users)
    connecting.push_back(std::async(std::launch::async, [&, user] { return std::make_unique<BusProbe>(broker, client_id_of(user), user); }));
  for (std::size_t i = 0; i < users.size(); ++i) probes[users[i]] = connecting[i].get();
  for (const auto& user : users) {
    auto& probe = *probes[user];
    // Both ways a client would try: everything at once, and each topic by its name.
    try_subscribe(probe, "#");
    try_subscribe(probe, "intercom/#");
    for (const auto& secret : topics) try_subscribe(probe, secret.topic);
  }
  BusProbe sender(broker, "access-sender", "operator");
  for (const auto& secret : topics) sender.publish(secret.topic, secret.payload);

  for (const auto& secret : topics) {
    for (const auto& user : users) {
      auto& probe = *probes[user];
      if (secret.readers.contains(user)) {
        EXPECT_TRUE(probe.wait_for(on_topic(secret.topic), 5s)) << user << " needs " << secret.topic << " and must read it";
      }
    }
  }
  // The readers have had theirs; whatever the others were going to get has arrived by now too.
  std::this_thread::sleep_for(300ms);
  for (const auto& secret : topics) {
    for (const auto& user : users) {
      if (secret.readers.contains(user)) continue;
      EXPECT_TRUE(probes[user]->received(on_topic(secret.topic)).empty()) << user << " must not read " << secret.topic;
    }
  }
}

}  // namespace
}  // namespace intercom::testing
