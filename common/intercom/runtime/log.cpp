#include "intercom/runtime/log.hpp"

#include <stdexcept>

#include <spdlog/sinks/stdout_sinks.h>

namespace intercom {

std::shared_ptr<spdlog::logger> make_logger(const std::string& service, const std::string& level) {
  auto logger = std::make_shared<spdlog::logger>(service, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") throw std::invalid_argument("unknown log level " + level);
  logger->set_level(parsed);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %n %l: %v");
  logger->flush_on(spdlog::level::info);
  return logger;
}

}  // namespace intercom
