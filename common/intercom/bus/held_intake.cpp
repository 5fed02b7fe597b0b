#include "intercom/bus/held_intake.hpp"

#include <utility>

namespace intercom {

HeldIntake::HeldIntake(std::size_t max_held) : max_held_(max_held) {}

bool HeldIntake::hold(IncomingMessage message, std::optional<Clock::time_point> deadline) {
  if (held_.size() >= max_held_) return false;
  held_.push_back({std::move(message), deadline});
  return true;
}

std::optional<HeldIntake::Taken> HeldIntake::next(Clock::time_point now) {
  if (held_.empty()) return std::nullopt;
  auto held = std::move(held_.front());
  held_.pop_front();
  const bool expired = held.deadline && *held.deadline <= now;
  if (expired) ++expired_;
  return Taken{std::move(held.message), expired};
}

std::size_t HeldIntake::forget_unacknowledged() {
  const auto before = held_.size();
  std::erase_if(held_, [](const Held& held) { return held.message.packet_id != 0; });
  return before - held_.size();
}

std::uint64_t HeldIntake::take_expired() { return std::exchange(expired_, 0); }

}  // namespace intercom
