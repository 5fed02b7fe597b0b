#pragma once
/// The gpio service: publishes what the inputs do and what the readers read, and carries out output
/// commands on the backend.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <utility>
#include <boost/asio/steady_timer.hpp>

#include "backend.hpp"
#include "gpio_change_plan.hpp"
#include "gpio_config.hpp"
#include "input_filter.hpp"
#include "local_fallback.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/runtime/service.hpp"
#include "output_bank.hpp"
#include "reader_ports.hpp"

namespace intercom::gpio {

class GpioService : public Service {
 public:
  /// Claims every output at its inactive level, then every input; subscribes to output commands.
  GpioService(ServiceContext& context, GpioConfig config, GpioBackend& backend);

  /// Every output off, states published, then done.
  void stop(std::function<void()> done) override;

  /// Checks a new configuration against the one in force (throws ConfigError) and returns the step
  /// that puts it in force: see gpio_change_plan.
  ApplyConfig prepare(GpioConfig next);

 private:
  struct Input {
    InputSettings settings;
    InputFilter filter;
    std::uint64_t seq = 0;
    std::string since;
    bool claimed = false;  ///< its line is ours (else it is in missing_)
    bool fallback = false;  ///< a local linkage acted on its latest change
  };
  /// The parts of an output's state that are worth a retained publish when they change.
  struct PublishedOutput {
    bool active = false;
    Mode mode = Mode::off;
    std::string cause;
    std::string request_id;
    std::string since;
    bool operator==(const PublishedOutput&) const = default;
  };

  /// Claims the port's line; one that cannot be claimed now is reported and tried again later.
  void claim_output(const OutputEntry& entry);
  void claim_input(const InputSettings& settings);
  bool try_claim_output(const OutputEntry& entry);
  bool try_claim_input(Input& input);
  /// A port whose line cannot be used now: reported once per reason, tried again every few seconds.
  void line_missing(const std::string& name, const std::string& reason);
  /// Every few seconds: lines that stopped working, and missing ones claimed again when they can be.
  void watch_lines();
  void apply(GpioConfig next, const GpioChangePlan& plan);
  HandlerResult handle_command(const Received<contract::OutputCommand>& message);
  void handle_edge(Input& input, Level level, TimePoint when);
  /// A new state of the input, which began at `at` (an edge's time, from the kernel on a real chip).
  void report_input(Input& input, TimePoint at);
  /// What the local linkages do for an input's new state, while the bus or access is away.
  /// Returns whether any did.
  bool act_locally(const Input& input, TimePoint at);
  void drive(const std::vector<std::string>& changed, TimePoint now);
  void publish_input(const Input& input);
  void publish_output(const std::string& name, TimePoint now);
  void publish_all();
  void arm_output_timer();
  void arm_input_timer();

  /// How often lines that cannot be used are tried again, and claimed ones checked.
  static constexpr std::chrono::seconds kLineRetry{2};

  Bus& bus_;
  std::shared_ptr<spdlog::logger> log_;
  GpioBackend& backend_;
  GpioConfig config_;  ///< in force
  OutputBank outputs_;
  std::map<std::string, PublishedOutput> published_outputs_;
  std::vector<std::unique_ptr<Input>> inputs_;
  boost::asio::steady_timer output_timer_;
  boost::asio::steady_timer input_timer_;
  /// Ports whose line cannot be used now, with why (not there, held by another program, chip gone).
  std::map<std::string, std::string> missing_;
  boost::asio::steady_timer line_watch_;
  ReaderPorts readers_;
  LocalFallback fallback_;
  bool stopping_ = false;
};


}  // namespace intercom::gpio
