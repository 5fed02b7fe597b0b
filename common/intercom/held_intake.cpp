#include "intercom/held_intake.hpp"

#include <utility>

namespace intercom {

HeldIntake::HeldIntake(std::size_t max_held) : max_held_(max_held) {}

bool HeldIntake::hold(IncomingMessage message, std::optional<Clock::time_point> deadline) {
  if (held_.size() >= max_held_) return false;
  held_.push_back({std::move(message), deadline});
  return true;
}

std::optional<IncomingMessage> HeldIntake::next(Clock::time_point now) {
  while (!held_.empty()) {
    auto held = std::move(held_.front());
    held_.pop_front();
    if (held.deadline && *held.deadline <= now) {
      ++expired_;
      continue;
    }
    return std::move(held.message);
  }
  return std::nullopt;
}

std::uint64_t HeldIntake::take_expired() { return std::exchange(expired_, 0); }

}  // namespace intercom
