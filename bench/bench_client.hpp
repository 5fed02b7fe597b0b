#pragma once
/// A benchmark driver's libmosquitto client: MQTT v5, TCP_NODELAY, as many messages in flight as
/// the broker takes (its receive maximum, 100: the driver is not what is measured), the operator's
/// credentials. With no limit of its own (0), libmosquitto 2.0 sent some of a flood published from
/// another thread than its own twice (tests/support/flood_sender.cpp).
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
  mosquitto_max_inflight_messages_set(client, 100);
  mosquitto_username_pw_set(client, "operator", broker.password("operator").c_str());
  return client;
}

}  // namespace intercom::testing
