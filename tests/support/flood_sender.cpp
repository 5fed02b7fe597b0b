#include "flood_sender.hpp"

#include <mqtt_protocol.h>

#include <stdexcept>

namespace intercom::testing {

FloodSender::FloodSender(const TestBroker& broker, const std::string& client_id, const std::string& user) {
  mosquitto_lib_init();
  client_ = mosquitto_new(client_id.c_str(), true, this);
  if (!client_) throw std::runtime_error("flood sender: cannot create its client");
  mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_int_option(client_, MOSQ_OPT_TCP_NODELAY, 1);
  // No more in flight than the broker takes (its receive maximum, 100): with no limit of its own
  // (0), libmosquitto 2.0 sent some of a threaded flood twice (204 to 215 of 200 commands arrived).
  mosquitto_max_inflight_messages_set(client_, 100);
  mosquitto_username_pw_set(client_, user.c_str(), broker.password(user).c_str());
  mosquitto_publish_callback_set(client_, [](mosquitto*, void* self, int) {
    auto& sender = *static_cast<FloodSender*>(self);
    {
      std::lock_guard lock(sender.mutex_);
      ++sender.acknowledged_;
    }
    sender.acknowledged_changed_.notify_all();
  });
  if (mosquitto_connect_bind_v5(client_, "127.0.0.1", broker.port(), 30, nullptr, nullptr) != MOSQ_ERR_SUCCESS)
    throw std::runtime_error("flood sender: cannot connect");
  mosquitto_loop_start(client_);
}

FloodSender::~FloodSender() {
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, false);
  mosquitto_destroy(client_);
}

void FloodSender::send(const std::string& topic, const std::string& payload, std::chrono::seconds expiry) {
  mosquitto_property* properties = nullptr;
  if (expiry.count() > 0)
    mosquitto_property_add_int32(&properties, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, static_cast<std::uint32_t>(expiry.count()));
  {
    std::lock_guard lock(mutex_);
    ++sent_;
  }
  const int code = mosquitto_publish_v5(client_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false, properties);
  mosquitto_property_free_all(&properties);
  if (code != MOSQ_ERR_SUCCESS) throw std::runtime_error(std::string("flood sender: publish refused: ") + mosquitto_strerror(code));
}

bool FloodSender::wait_acknowledged(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return acknowledged_changed_.wait_for(lock, timeout, [&] { return acknowledged_ >= sent_; });
}

}  // namespace intercom::testing
