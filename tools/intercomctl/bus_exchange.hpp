#pragma once
/// How intercomctl's commands talk to the device: a connection per command, a service's online
/// status checked before anything is sent, and a command published and its answer (or the
/// service's refusal of it, on its error topic) waited for.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bus_client.hpp"
#include "commands.hpp"

namespace intercom::ctl {

/// "intercom/<device>".
std::string root_of(const BusSettings& settings);
/// A request id of this run: "ctl-<random>".
std::string request_id();

/// The message's payload as a type of the contract, or nothing if it does not read as one (this
/// tool reads whatever is on the bus, a client's mistakes included).
template <class Payload>
std::optional<Payload> read_as(const Received& message) {
  const auto payload = nlohmann::json::parse(message.payload, nullptr, false);
  if (payload.is_discarded()) return std::nullopt;
  try {
    return payload.get<Payload>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

/// Connects and runs `use` on the connection; a connection or broker error is exit code 2, said once.
int on_the_bus(const BusSettings& settings, const Output& output, const std::function<int(BusClient&)>& use);

/// The owner's status is "online" (retained), or why not: a command to an absent service would be
/// carried out when it comes back, up to the command expiry later, which a person at a terminal
/// does not expect.
std::optional<std::string> offline(BusClient& bus, const std::string& root, const std::string& service);

/// The refusal of `topic` that a service reported on its error topic, if this message is one.
std::optional<std::string> refusal_in(const Received& message, const std::string& error_topic, const std::string& topic);

/// What a command got back: the first message of the type Answer that answers it, or the service's
/// refusal of it (its error topic naming the command's topic); neither when the time ran out.
template <class Answer>
struct Reply {
  std::optional<Answer> answer;
  std::optional<std::string> refused;
};

/// Publishes a command (the answer and error topics already subscribed) and waits for its reply.
template <class Answer>
Reply<Answer> send_and_wait(BusClient& bus, const std::string& topic, const nlohmann::json& command, const std::string& error_topic,
                            const std::string& answer_topic, const std::function<bool(const Answer&)>& answers,
                            std::chrono::milliseconds timeout) {
  bus.publish(topic, command.dump(), true);
  Reply<Answer> reply;
  bus.wait_for(
      [&](const Received& m) {
        if ((reply.refused = refusal_in(m, error_topic, topic))) return true;
        if (m.topic != answer_topic) return false;
        reply.answer = read_as<Answer>(m);
        if (reply.answer && !answers(*reply.answer)) reply.answer.reset();
        return reply.answer.has_value();
      },
      timeout);
  return reply;
}

}  // namespace intercom::ctl
