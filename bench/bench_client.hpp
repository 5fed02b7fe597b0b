#pragma once
/// A benchmark driver's libmosquitto client: MQTT v5, TCP_NODELAY, no limit on the messages in
/// flight (so that the driver is not what is measured), the operator's credentials.
#include <stdexcept>

#include <mosquitto.h>

#include "test_broker.hpp"

namespace intercom::testing {

inline mosquitto* new_bench_client(const TestBroker& broker, const char* client_id, void* context) {
  mosquitto_lib_init();
  auto* client = mosquitto_new(client_id, true, context);
  if (!client) throw std::runtime_error("cannot create the driver's MQTT client");
  mosquitto_int_option(client, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_int_option(client, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_max_inflight_messages_set(client, 0);
  mosquitto_username_pw_set(client, "operator", broker.password("operator").c_str());
  return client;
}

}  // namespace intercom::testing
