#pragma once
/// One logger per service; every line carries the service's name.
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace intercom {

/// A logger writing to stderr as "<time> <service> <level>: <text>". Throws std::invalid_argument for
/// an unknown level name.
std::shared_ptr<spdlog::logger> make_logger(const std::string& service, const std::string& level);

}  // namespace intercom
