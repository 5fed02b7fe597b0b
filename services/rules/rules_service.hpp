#pragma once
/// The rules service: feeds the engine from the bus and publishes what it decides.
#include <memory>

#include <utility>
#include <boost/asio/steady_timer.hpp>

#include "broker_drops.hpp"
#include "engine.hpp"
#include "input_sequence.hpp"
#include "intercom/runtime/service.hpp"

namespace intercom::rules {

class RulesService : public Service {
 public:
  RulesService(ServiceContext& context, RulesConfig config);
  void stop(std::function<void()> done) override;

 private:
  void publish(const Publications& publications);
  bool code_entry_locked_ = false;  ///< as last logged
  /// The check of a new configuration, and the step that puts it in force (see LiveConfig).
  ApplyConfig plan(const nlohmann::json& config);
  /// <root>/rules/reloaded after the file was read again (SIGHUP, the reload command).
  void report_reload(const ConfigOutcome& outcome);
  void arm_timer();
  void arm_minute_tick();
  /// Losses the rules service can see (an input's edges that never arrived, what the broker dropped)
  /// are reported on its error topic: a linkage that did not fire must not look like a quiet day.
  void watch_for_losses();
  /// Subscribes to the outputs' states once a rule in force has a condition on one.
  void follow_output_states_if_needed();

  ServiceContext& context_;
  Bus& bus_;
  std::shared_ptr<spdlog::logger> log_;
  RulesEngine engine_;
  boost::asio::steady_timer timer_;
  bool stopping_ = false;
  boost::asio::steady_timer minute_tick_;  ///< time windows open and close by the clock alone
  InputSequence input_sequence_;
  std::vector<std::string> gpio_outputs_;  ///< the outputs gpio's configuration in force has
  bool following_output_states_ = false;
  BrokerDropWatch broker_drops_;
};

std::unique_ptr<Service> make_rules_service(ServiceContext& context);

}  // namespace intercom::rules
