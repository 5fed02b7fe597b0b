#include "intercom/runtime/service.hpp"

#include <csignal>
#include <fstream>
#include <iostream>

#include <boost/asio/signal_set.hpp>

#include "intercom/runtime/cli.hpp"
#include "intercom/config/config.hpp"
#include "intercom/runtime/log.hpp"
#include "intercom/runtime/systemd_notifier.hpp"

namespace intercom {
BusSettings resolve_bus_settings(const std::string& service, const nlohmann::json& bus_section,
                                 const std::filesystem::path& config_file, const CommonOptions& options) {
  BusSettings settings;
  settings.service = service;
  settings.broker_uri = options.broker.value_or(bus_section.at("broker").get<std::string>());
  settings.device = options.device.value_or(bus_section.at("device").get<std::string>());
  settings.username = bus_section.value("username", service);
  settings.keep_alive = std::chrono::seconds(bus_section.at("keep_alive_s").get<int>());
  settings.session_expiry = std::chrono::seconds(bus_section.at("session_expiry_s").get<int>());
  settings.command_expiry = std::chrono::seconds(bus_section.at("command_expiry_s").get<int>());
  settings.max_buffered_messages = bus_section.at("max_buffered_messages").get<int>();
  settings.tcp_nodelay = bus_section.at("tcp_nodelay").get<bool>();
  settings.reconnect_min = std::chrono::milliseconds(bus_section.at("reconnect_min_ms").get<int>());
  settings.reconnect_max = std::chrono::milliseconds(bus_section.at("reconnect_max_ms").get<int>());
  if (options.password_file) {
    settings.password = read_password_file(*options.password_file);
  } else if (bus_section.contains("password_file")) {
    settings.password = read_password_file(path_from_config(config_file, bus_section["password_file"].get<std::string>()));
  }
  return settings;
}

int run_service(int argc, char** argv, const ServiceDefinition& definition, const ServiceFactory& make_service) {
  auto parsed = parse_command_line(argc, argv, definition.name, definition.description);
  if (auto* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  const auto& options = std::get<CommonOptions>(parsed);
  auto log = make_logger(definition.name, options.log_level);
  // A closed stdout or stderr (a log pipe gone first) must not kill us before outputs are safe.
  std::signal(SIGPIPE, SIG_IGN);

  try {
    const auto schemas = SchemaSet::load(options.schema_dir);
    const auto config = load_config(options.config_file, schemas, definition.name);
    const auto settings = resolve_bus_settings(definition.name, config.at("bus"), options.config_file, options);
    log->info("starting: device {}, broker {}, config {}", settings.device, settings.broker_uri,
              options.config_file.string());

    boost::asio::io_context io;
    Bus bus(io, settings, schemas, log);
    LiveConfig live_config(io, bus, schemas, log, definition.name, options.config_file, config);
    ServiceContext context{io, bus, config, options.config_file, schemas, log, live_config, settings};
    // The service takes its hardware to the safe state in its constructor, before the bus starts.
    auto service = make_service(context);
    SystemdNotifier systemd(io, log);
    bus.on_connected([&] { systemd.status("online on the bus at " + settings.broker_uri); });
    bus.start();
    systemd.ready("outputs safe; connecting to the broker at " + settings.broker_uri);

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    std::function<void(const boost::system::error_code&, int)> on_signal;
    bool stopping = false;
    bool stopped = false;
    on_signal = [&](const boost::system::error_code& error, int signal_number) {
      if (error) return;
      if (stopping) {
        // The stop under way is bounded (the bus gives up on the broker after 3 s); cutting it short
        // would skip the offline status. SIGKILL remains for the impatient.
        log->info("signal {}: already stopping", signal_number);
        signals.async_wait(on_signal);
        return;
      }
      stopping = true;
      log->info("signal {}: stopping", signal_number);
      // Wait for the next signal before stopping: the stop may finish before stop() returns (the
      // broker acknowledged the offline status and the DISCONNECT at once, seen under load), and a
      // wait started after that would keep the loop from ending.
      signals.async_wait(on_signal);
      live_config.stop();
      systemd.stopping();
      service->stop([&] {
        bus.stop([&] {
          stopped = true;
          signals.cancel();  // the last piece of work of our own: the loop ends when the parts' work has
        });
      });
    };
    signals.async_wait(on_signal);
    // Everything stops by cancelling its work, so the loop runs out of work by itself. The bound is
    // a last guard: work a part forgot to cancel is a bug, logged, and it must not keep the process.
    while (!stopped && io.run_one() > 0) {
    }
    const auto drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (io.run_one_until(drain_deadline) > 0) {
    }
    if (!io.stopped()) log->error("bug: work was left on the loop after the stop (a timer or a read not cancelled)");
    log->info("stopped");
    return 0;
  } catch (const ConfigError& error) {
    log->error("config: {}", error.in_file(options.config_file).what());
    return 2;
  } catch (const std::exception& error) {
    log->error("cannot start: {}", error.what());
    return 2;
  }
}

}  // namespace intercom
