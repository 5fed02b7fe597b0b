#include "bus_probe.hpp"

#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "paho_nodelay.hpp"

namespace intercom::testing {

BusProbe::BusProbe(const TestBroker& broker, const std::string& client_id, const std::string& user) {
  mqtt::connect_options options;
  options.set_mqtt_version(MQTTVERSION_5);
  options.set_clean_start(true);
  options.set_user_name(user);
  options.set_password(broker.password(user));
  connect(broker.uri(), client_id, options, broker.port());
}

BusProbe::BusProbe(const std::string& uri, int port, const std::string& client_id, bool clean) : v5_(false) {
  mqtt::connect_options options;
  options.set_mqtt_version(MQTTVERSION_3_1_1);
  options.set_clean_session(clean);
  connect(uri, client_id, options, port);
}

void BusProbe::connect(const std::string& uri, const std::string& client_id, mqtt::connect_options options, int port) {
  mqtt::create_options create(v5_ ? MQTTVERSION_5 : MQTTVERSION_3_1_1, 100000);
  client_ = std::make_unique<mqtt::async_client>(uri, client_id, create, nullptr);
  client_->set_message_callback([this](mqtt::const_message_ptr message) {
    {
      std::lock_guard lock(mutex_);
      messages_.push_back({message->get_topic(), message->get_payload_str(), message->is_retained(), std::chrono::steady_clock::now()});
    }
    arrived_.notify_all();
  });
  if (!client_->connect(options)->wait_for(std::chrono::seconds(5))) throw std::runtime_error("probe could not connect to " + uri);
  // As every client of the bus does: a publish waiting for its PUBACK must not sit behind Nagle's
  // algorithm (the PUBACK of an echoed message unacknowledged, the broker's ACK delayed 40 ms).
  set_tcp_nodelay_on_sockets_to_port(port);
}

BusProbe::~BusProbe() {
  try {
    if (client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
  }
}

void BusProbe::subscribe(const std::string& filter) {
  // Retain as published: the test sees which messages the broker marks retained, as a service does.
  const auto token = v5_ ? client_->subscribe(filter, 1, mqtt::subscribe_options(false, true)) : client_->subscribe(filter, 1);
  if (!token->wait_for(std::chrono::seconds(10)))
    throw std::runtime_error("probe could not subscribe to " + filter);
}

void BusProbe::publish(const std::string& topic, const std::string& payload, bool retained) {
  if (!client_->publish(topic, payload.data(), payload.size(), 1, retained)->wait_for(std::chrono::seconds(5)))
    throw std::runtime_error("probe could not publish to " + topic);
}

std::optional<ProbeMessage> BusProbe::wait_for(const MessagePredicate& predicate, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<ProbeMessage> found;
  // Each wake-up looks at what arrived since the last one only: under a flood of 30,000 messages,
  // looking at all again each time held the lock long enough to make the probe the slow client.
  std::size_t looked_at = 0;
  arrived_.wait_for(lock, timeout, [&] {
    if (messages_.size() < looked_at) looked_at = 0;  // cleared meanwhile
    for (; looked_at < messages_.size(); ++looked_at)
      if (predicate(messages_[looked_at])) {
        found = messages_[looked_at];
        return true;
      }
    return false;
  });
  return found;
}

std::size_t BusProbe::wait_for_count(const MessagePredicate& predicate, std::size_t count,
                                     std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::size_t matching = 0;
  std::size_t looked_at = 0;  // as in wait_for
  arrived_.wait_for(lock, timeout, [&] {
    if (messages_.size() < looked_at) looked_at = matching = 0;
    for (; looked_at < messages_.size(); ++looked_at)
      if (predicate(messages_[looked_at])) ++matching;
    return matching >= count;
  });
  return matching;
}

std::vector<ProbeMessage> BusProbe::received(const MessagePredicate& predicate) {
  std::lock_guard lock(mutex_);
  std::vector<ProbeMessage> result;
  for (const auto& message : messages_)
    if (predicate(message)) result.push_back(message);
  return result;
}

std::vector<ProbeMessage> BusProbe::take() {
  std::lock_guard lock(mutex_);
  std::vector<ProbeMessage> taken;
  taken.swap(messages_);
  return taken;
}

void BusProbe::clear() {
  std::lock_guard lock(mutex_);
  messages_.clear();
}

namespace {
long long epoch_milliseconds(const std::string& timestamp) {
  std::tm time{};
  int millis = 0;
  if (std::sscanf(timestamp.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &time.tm_year, &time.tm_mon, &time.tm_mday, &time.tm_hour,
                  &time.tm_min, &time.tm_sec, &millis) != 7)
    throw std::invalid_argument("not a bus timestamp: " + timestamp);
  time.tm_year -= 1900;
  time.tm_mon -= 1;
  return static_cast<long long>(timegm(&time)) * 1000 + millis;
}
}  // namespace

long long milliseconds_between(const nlohmann::json& from, const nlohmann::json& to) {
  return epoch_milliseconds(to.get<std::string>()) - epoch_milliseconds(from.get<std::string>());
}

MessagePredicate on_topic(std::string topic) {
  return [topic = std::move(topic)](const ProbeMessage& message) { return message.topic == topic; };
}

MessagePredicate service_online(const std::string& root, const std::string& service) {
  return on_topic_where(root + "/" + service + "/status", [](const nlohmann::json& status) { return status["state"] == "online"; });
}

MessagePredicate on_topic_where(std::string topic, std::function<bool(const nlohmann::json&)> condition) {
  return [topic = std::move(topic), condition = std::move(condition)](const ProbeMessage& message) {
    if (message.topic != topic) return false;
    const auto json = message.json();
    return !json.is_discarded() && condition(json);
  };
}

}  // namespace intercom::testing
