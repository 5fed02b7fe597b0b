#include "gpio_runtime.hpp"

#include "gpio_config.hpp"
#include "gpio_service.hpp"
#include "gpiod_backend.hpp"
#include "simulated_backend.hpp"
#include "simulator_bridge.hpp"

namespace intercom::gpio {
namespace {

/// The simulated chip's contacts that have no level yet start at rest, as the contacts and readers
/// wired to a board keep them: an input at its trigger's rest level, a reader's lines idle high.
/// At start-up and for what a configuration change adds.
void preset_contacts(SimulatedBackend& chip, const GpioConfig& config) {
  for (const auto& input : config.inputs)
    if (!chip.knows_input(input.name)) chip.preset_input(input.name, rest_level(input.filter.trigger));
  for (const auto& reader : config.readers)
    for (const auto line : {WiegandLine::d0, WiegandLine::d1}) {
      const auto name = reader_line_name(reader.name, line);
      if (!chip.knows_input(name)) chip.preset_input(name, Level::high);
    }
}

/// Owns what the service runs on, in the order it must be torn down.
class GpioRuntime : public Service {
 public:
  GpioRuntime(ServiceContext& context, GpioConfig config) {
    if (config.backend == "simulated") {
      auto simulated = std::make_unique<SimulatedBackend>(context.io);
      preset_contacts(*simulated, config);
      bridge_ = std::make_unique<SimulatorBridge>(context.bus, *simulated);
      simulated_ = simulated.get();
      backend_ = std::move(simulated);
    } else {
      backend_ = std::make_unique<GpiodBackend>(context.io, "intercom-io");  // the consumer gpioinfo shows
    }
    service_ = std::make_unique<GpioService>(context, std::move(config), *backend_);
    context.live_config.accept_changes({}, [this](const nlohmann::json& document) {
      auto next = parse_gpio_config(document);  // throws ConfigError::at: nothing changed
      auto apply = service_->prepare(next);
      return [this, apply, next] {
        if (simulated_) preset_contacts(*simulated_, next);
        apply();
      };
    });
  }
  void stop(std::function<void()> done) override { service_->stop(std::move(done)); }

 private:
  std::unique_ptr<GpioBackend> backend_;
  SimulatedBackend* simulated_ = nullptr;  ///< backend_, when it is the simulated chip
  std::unique_ptr<SimulatorBridge> bridge_;
  std::unique_ptr<GpioService> service_;
};

}  // namespace

std::unique_ptr<Service> make_gpio_service(ServiceContext& context) {
  return std::make_unique<GpioRuntime>(context, parse_gpio_config(context.config));
}

}  // namespace intercom::gpio
