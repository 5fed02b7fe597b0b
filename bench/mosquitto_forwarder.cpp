// The floor again with another client library: a forwarder on libmosquitto (Debian's
// libmosquitto-dev), one thread, its network loop in the main thread (what a service's Asio loop
// could drive), against bench/forwarder on Paho. What it receives on one topic it publishes at once
// on another, QoS 1.
//
// Usage: mosquitto_forwarder BROKER_PORT PASSWORD_FILE FROM_TOPIC TO_TOPIC CLIENT_ID   (until SIGTERM)
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <mosquitto.h>

namespace {

struct Forward {
  std::string from, to;
};

void on_connect(mosquitto* client, void* context, int result) {
  if (result != 0) return;
  mosquitto_subscribe(client, nullptr, static_cast<Forward*>(context)->from.c_str(), 1);
}

void on_subscribe(mosquitto*, void*, int, int, const int*) {
  std::printf("ready\n");
  std::fflush(stdout);
}

void on_message(mosquitto* client, void* context, const mosquitto_message* message) {
  mosquitto_publish(client, nullptr, static_cast<Forward*>(context)->to.c_str(), message->payloadlen, message->payload, 1, false);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: mosquitto_forwarder BROKER_PORT PASSWORD_FILE FROM_TOPIC TO_TOPIC CLIENT_ID\n");
    return 2;
  }
  Forward forward{argv[3], argv[4]};
  std::string password;
  std::getline(std::ifstream(argv[2]), password);
  mosquitto_lib_init();
  mosquitto* client = mosquitto_new(argv[5], true, &forward);
  mosquitto_int_option(client, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_int_option(client, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_max_inflight_messages_set(client, 0);  // no limit of its own: the broker's receive maximum applies
  mosquitto_username_pw_set(client, "operator", password.c_str());
  mosquitto_connect_callback_set(client, on_connect);
  mosquitto_subscribe_callback_set(client, on_subscribe);
  mosquitto_message_callback_set(client, on_message);
  if (mosquitto_connect(client, "127.0.0.1", std::stoi(argv[1]), 30) != MOSQ_ERR_SUCCESS) {
    std::fprintf(stderr, "cannot connect\n");
    return 1;
  }
  mosquitto_loop_forever(client, -1, 1);
  return 0;
}
