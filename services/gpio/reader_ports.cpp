#include "reader_ports.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "intercom/contract/access_payloads.hpp"
#include "intercom/runtime/timer.hpp"
#include "intercom/util/clock.hpp"

namespace intercom::gpio {
namespace {

constexpr WiegandLine kLines[] = {WiegandLine::d0, WiegandLine::d1};

const LineRef& line_of(const ReaderSettings& settings, WiegandLine line) { return line == WiegandLine::d0 ? settings.d0 : settings.d1; }

std::size_t index_of(WiegandLine line) { return line == WiegandLine::d1 ? 1 : 0; }

}  // namespace

ReaderPorts::ReaderPorts(Bus& bus, std::shared_ptr<spdlog::logger> log, boost::asio::io_context& io, GpioBackend& backend,
                         LineMissing line_missing)
    : bus_(bus), log_(std::move(log)), backend_(backend), line_missing_(std::move(line_missing)), timer_(io) {}

void ReaderPorts::add(const ReaderSettings& settings) {
  readers_.push_back(std::make_unique<Reader>(Reader{settings, WiegandReader(settings.keypad)}));
  auto& reader = *readers_.back();
  bool all = true;
  for (const auto line : kLines) all = try_claim(reader, line) && all;
  if (all) log_->info("reader {} on lines {} (D0) and {} (D1) ({})", settings.name, settings.d0.to_string(), settings.d1.to_string(), settings.label);
}

bool ReaderPorts::try_claim(Reader& reader, WiegandLine line) {
  const auto name = reader_line_name(reader.settings.name, line);
  try {
    backend_.add_input(name, line_of(reader.settings, line), reader.settings.bias,
                       [this, raw = &reader, line](Level level, TimePoint at) { on_edge(*raw, line, level, at); });
  } catch (const LineUnavailable& error) {
    line_missing_(name, error.what());
    return false;
  }
  reader.claimed[index_of(line)] = true;
  return true;
}

bool ReaderPorts::claim_line(const std::string& line_name) {
  for (auto& reader : readers_)
    for (const auto line : kLines)
      if (reader_line_name(reader->settings.name, line) == line_name && !reader->claimed[index_of(line)])
        return try_claim(*reader, line);
  return false;
}

void ReaderPorts::lost(const std::string& line_name) {
  for (auto& reader : readers_)
    for (const auto line : kLines)
      if (reader_line_name(reader->settings.name, line) == line_name) {
        reader->claimed[index_of(line)] = false;
        reader->logic = WiegandReader(reader->settings.keypad);
      }
}

void ReaderPorts::release(Reader& reader) {
  for (const auto line : kLines) backend_.remove_input(reader_line_name(reader.settings.name, line));
}

void ReaderPorts::reconfigure(const std::vector<ReaderSettings>& next) {
  const auto in_next = [&](const ReaderSettings& settings) { return std::find(next.begin(), next.end(), settings) != next.end(); };
  std::erase_if(readers_, [&](const std::unique_ptr<Reader>& reader) {
    if (in_next(reader->settings)) return false;
    release(*reader);
    log_->info("reader {} released", reader->settings.name);
    return true;
  });
  for (const auto& settings : next) {
    const bool kept = std::any_of(readers_.begin(), readers_.end(), [&](const auto& reader) { return reader->settings == settings; });
    if (!kept) add(settings);
  }
  arm_timer();
}

void ReaderPorts::on_edge(Reader& reader, WiegandLine line, Level level, TimePoint at) {
  if (stopping_) return;
  publish(reader, reader.logic.edge(line, level, at), at);
  arm_timer();
}

void ReaderPorts::publish(const Reader& reader, const ReaderOutcome& outcome, TimePoint at) {
  const auto& name = reader.settings.name;
  for (const auto& credential : outcome.credentials) {
    contract::AccessCredential event{.reader = name, .kind = credential.kind, .value = credential.value, .at = to_iso8601(wall_clock_of(at))};
    if (credential.bits > 0) event.bits = credential.bits;
    // The value goes to the access service alone (the broker's ACL); the journal never sees it.
    log_->debug("reader {}: a {} read{}", name, credential.kind, credential.bits > 0 ? " (" + std::to_string(credential.bits) + " bits)" : "");
    bus_.publish({}, event);
  }
  for (const auto& fault : outcome.faults) {
    log_->warn("reader {}: {}", name, fault.reason);
    bus_.report_rejected("reader " + name, fault.reason);
  }
}

void ReaderPorts::arm_timer() {
  std::optional<TimePoint> next;
  for (const auto& reader : readers_) next = earlier(next, reader->logic.deadline());
  schedule_at(timer_, next, [this](TimePoint now) {
    if (stopping_) return;
    for (auto& reader : readers_) publish(*reader, reader->logic.on_time(now), now);
    arm_timer();
  });
}

void ReaderPorts::stop() {
  stopping_ = true;
  timer_.cancel();
}

}  // namespace intercom::gpio
