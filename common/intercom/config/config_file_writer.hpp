#pragma once
/// Writes a configuration file so that a crash or a power cut at any instant leaves either the old
/// file or the new one, never half of one: the new text goes to a temporary file beside it, is
/// flushed to disk, and renamed over the file; the previous version is kept as <file>.prev.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace intercom {

/// Throws std::system_error naming the file if it cannot be written (nothing changed then, except
/// perhaps <file>.prev).
void write_config_file(const std::filesystem::path& file, const nlohmann::json& document);

}  // namespace intercom
