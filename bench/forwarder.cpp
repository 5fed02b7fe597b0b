// A bare Paho forwarder: what it receives on one topic it publishes at once on another, QoS 1. The
// floor of bench/linkage: the same broker hops as the product's linkage with nothing in between.
//
// Usage: forwarder BROKER_URI PASSWORD_FILE FROM_TOPIC TO_TOPIC CLIENT_ID   (runs until SIGTERM)
#include <csignal>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

#include <mqtt/async_client.h>

#include "paho_nodelay.hpp"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: forwarder BROKER_URI PASSWORD_FILE FROM_TOPIC TO_TOPIC CLIENT_ID\n";
    return 2;
  }
  const std::string uri = argv[1], from = argv[3], to = argv[4];
  std::string password;
  std::getline(std::ifstream(argv[2]), password);
  mqtt::async_client client(uri, argv[5], mqtt::create_options(MQTTVERSION_5, 1000000), nullptr);
  client.set_message_callback([&](mqtt::const_message_ptr message) {
    client.publish(to, message->get_payload_str(), 1, false);
  });
  mqtt::connect_options options;
  options.set_mqtt_version(MQTTVERSION_5);
  options.set_user_name("operator");
  options.set_password(password);
  options.set_clean_start(true);
  options.set_max_inflight(65535);
  client.connect(options)->wait();
  client.subscribe(from, 1)->wait();
  intercom::set_tcp_nodelay_on_sockets_to_port(std::stoi(uri.substr(uri.rfind(':') + 1)));
  std::cout << "ready" << std::endl;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  int received = 0;
  sigwait(&signals, &received);
  client.disconnect()->wait();
  return 0;
}
