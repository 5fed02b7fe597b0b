#include "bus_client.hpp"

#include <algorithm>
#include <stdexcept>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "intercom/bus/broker_address.hpp"

namespace intercom::ctl {

BusClient::BusClient(const BusSettings& settings, std::chrono::milliseconds timeout)
    : timeout_(timeout), command_expiry_s_(static_cast<int>(settings.command_expiry.count())) {
  const auto address = parse_broker_address(settings.broker_uri);
  if (address.tls) throw std::runtime_error("a broker over TLS is not supported yet: " + settings.broker_uri);
  mosquitto_lib_init();
  client_ = mosquitto_new(nullptr, true, this);  // a random client id: a tool run twice must not take its own place
  if (!client_) throw std::runtime_error("cannot create an MQTT client");
  mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_int_option(client_, MOSQ_OPT_TCP_NODELAY, 1);
  if (!settings.username.empty()) mosquitto_username_pw_set(client_, settings.username.c_str(), settings.password.c_str());
  mosquitto_connect_v5_callback_set(client_, [](mosquitto*, void* self, int result, int, const mosquitto_property*) {
    auto* client = static_cast<BusClient*>(self);
    std::lock_guard lock(client->mutex_);
    client->connect_result_ = result;
    client->connected_ = result == 0;
    client->changed_.notify_all();
  });
  mosquitto_disconnect_v5_callback_set(client_, [](mosquitto*, void* self, int, const mosquitto_property*) {
    auto* client = static_cast<BusClient*>(self);
    std::lock_guard lock(client->mutex_);
    client->connected_ = false;
    client->changed_.notify_all();
  });
  mosquitto_subscribe_v5_callback_set(client_, [](mosquitto*, void* self, int mid, int count, const int* granted, const mosquitto_property*) {
    auto* client = static_cast<BusClient*>(self);
    std::lock_guard lock(client->mutex_);
    client->answered_[mid] = count > 0 ? granted[0] : 0;
    client->changed_.notify_all();
  });
  mosquitto_publish_v5_callback_set(client_, [](mosquitto*, void* self, int mid, int reason, const mosquitto_property*) {
    auto* client = static_cast<BusClient*>(self);
    std::lock_guard lock(client->mutex_);
    client->answered_[mid] = reason;
    client->changed_.notify_all();
  });
  mosquitto_message_v5_callback_set(client_, [](mosquitto*, void* self, const mosquitto_message* message, const mosquitto_property*) {
    auto* client = static_cast<BusClient*>(self);
    std::lock_guard lock(client->mutex_);
    client->inbox_.push_back({message->topic, std::string(static_cast<const char*>(message->payload), static_cast<std::size_t>(message->payloadlen)),
                              message->retain});
    client->changed_.notify_all();
  });
  if (const auto result = mosquitto_connect_async(client_, address.host.c_str(), address.port, 30); result != MOSQ_ERR_SUCCESS)
    throw std::runtime_error("cannot reach the broker at " + settings.broker_uri + ": " + mosquitto_strerror(result));
  mosquitto_loop_start(client_);
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout_, [&] { return connect_result_ >= 0; }))
    throw std::runtime_error("the broker at " + settings.broker_uri + " did not answer within " + std::to_string(timeout_.count()) + " ms");
  if (connect_result_ != 0)
    throw std::runtime_error("the broker at " + settings.broker_uri + " refused user \"" + settings.username +
                             "\": " + mosquitto_reason_string(connect_result_));
}

BusClient::~BusClient() {
  if (!client_) return;
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, false);
  mosquitto_destroy(client_);
  mosquitto_lib_cleanup();
}

void BusClient::wait_for_answer(int mid, const std::string& what) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout_, [&] { return answered_.contains(mid) || !connected_; }) || !answered_.contains(mid))
    throw std::runtime_error("the broker did not confirm " + what);
  // MQTT v5 reason codes of 0x80 and above are refusals (0x87: not authorised by the ACL).
  if (answered_[mid] >= 0x80)
    throw std::runtime_error("the broker refused " + what + ": " + mosquitto_reason_string(answered_[mid]) + " (the ACL decides what this user may do)");
}

void BusClient::subscribe(const std::string& filter) {
  int mid = 0;
  const auto result = mosquitto_subscribe_v5(client_, &mid, filter.c_str(), 1, MQTT_SUB_OPT_RETAIN_AS_PUBLISHED, nullptr);
  if (result != MOSQ_ERR_SUCCESS) throw std::runtime_error("cannot subscribe to " + filter + ": " + mosquitto_strerror(result));
  wait_for_answer(mid, "the subscription to " + filter);
}

void BusClient::publish(const std::string& topic, const std::string& payload, bool command) {
  mosquitto_property* properties = nullptr;
  if (command) mosquitto_property_add_int32(&properties, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, static_cast<uint32_t>(command_expiry_s_));
  int mid = 0;
  const auto result = mosquitto_publish_v5(client_, &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false, properties);
  mosquitto_property_free_all(&properties);
  if (result != MOSQ_ERR_SUCCESS) throw std::runtime_error("cannot publish to " + topic + ": " + mosquitto_strerror(result));
  wait_for_answer(mid, "the publish to " + topic);
}

void BusClient::clear_retained(const std::string& topic) {
  int mid = 0;
  const auto result = mosquitto_publish_v5(client_, &mid, topic.c_str(), 0, nullptr, 1, true, nullptr);
  if (result != MOSQ_ERR_SUCCESS) throw std::runtime_error("cannot clear " + topic + ": " + mosquitto_strerror(result));
  wait_for_answer(mid, "the clearing of " + topic);
}

std::optional<Received> BusClient::wait_for(const std::function<bool(const Received&)>& predicate, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<Received> found;
  changed_.wait_for(lock, timeout, [&] {
    while (!inbox_.empty()) {
      auto message = std::move(inbox_.front());
      inbox_.pop_front();
      if (predicate(message)) {
        found = std::move(message);
        return true;
      }
    }
    return false;
  });
  return found;
}

std::vector<Received> BusClient::settle(std::chrono::milliseconds quiet, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::vector<Received> all;
  std::unique_lock lock(mutex_);
  while (std::chrono::steady_clock::now() < deadline) {
    const bool more = changed_.wait_for(lock, quiet, [&] { return !inbox_.empty(); });
    while (!inbox_.empty()) {
      all.push_back(std::move(inbox_.front()));
      inbox_.pop_front();
    }
    if (!more) break;
  }
  return all;
}

bool BusClient::connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

}  // namespace intercom::ctl
