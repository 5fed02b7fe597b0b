#pragma once
/// The rules service: feeds the engine from the bus and publishes what it decides.
#include <memory>

#include <utility>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "engine.hpp"
#include "intercom/service.hpp"

namespace intercom::rules {

class RulesService : public Service {
 public:
  RulesService(ServiceContext& context, RulesConfig config);
  void stop(std::function<void()> done) override;

 private:
  void publish(const Publications& publications);
  bool code_entry_locked_ = false;  ///< as last logged
  /// Reads the rules file again; a file that fails keeps the rules in force.
  void reload(const std::string& request_id);
  void arm_timer();
  void arm_minute_tick();
  void wait_for_sighup();

  ServiceContext& context_;
  Bus& bus_;
  std::shared_ptr<spdlog::logger> log_;
  RulesEngine engine_;
  boost::asio::steady_timer timer_;
  bool stopping_ = false;
  boost::asio::steady_timer minute_tick_;  ///< time windows open and close by the clock alone
  boost::asio::signal_set sighup_;
};

std::unique_ptr<Service> make_rules_service(ServiceContext& context);

}  // namespace intercom::rules
