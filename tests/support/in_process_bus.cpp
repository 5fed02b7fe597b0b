#include "in_process_bus.hpp"

#include "intercom/runtime/log.hpp"

namespace intercom::testing {

InProcessBus::InProcessBus(const TestBroker& broker, const std::string& service, std::chrono::seconds command_expiry, bool start_now,
                           const std::function<void(BusSettings&)>& adjust)
    : schemas_(SchemaSet::load(INTERCOM_SOURCE_DIR "/schemas")), log_(make_logger(service + "-test", "warn")) {
  BusSettings settings;
  settings.broker_uri = broker.uri();
  settings.device = "d1";
  settings.service = service;
  settings.username = service;
  settings.password = broker.password(service);
  settings.command_expiry = command_expiry;
  if (adjust) adjust(settings);
  loop_.run([&] {
    bus_ = std::make_unique<Bus>(loop_.io(), settings, schemas_, log_);
    if (start_now) bus_->start();
  });
}

void InProcessBus::start() {
  loop_.run([&] { bus_->start(); });
}

InProcessBus::~InProcessBus() {
  std::promise<void> stopped;
  loop_.run([&] {
    if (stop_parts_) stop_parts_();
    bus_->stop([&] { stopped.set_value(); });
  });
  stopped.get_future().wait();
  loop_.run([&] {
    if (destroy_parts_) destroy_parts_();
    bus_.reset();
  });
}

bool InProcessBus::connected() {
  return loop_.run([&] { return bus_->connected(); });
}

}  // namespace intercom::testing
