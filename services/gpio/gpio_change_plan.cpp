#include "gpio_change_plan.hpp"

#include "intercom/config/config.hpp"

namespace intercom::gpio {
namespace {

template <typename Entry, typename NameOf>
void sort_out(const std::vector<Entry>& in_force, const std::vector<Entry>& next, NameOf name_of,
              std::vector<std::string>& kept, std::vector<std::string>& renewed, std::vector<std::string>& removed,
              std::vector<std::string>& added) {
  const auto find = [&](const std::vector<Entry>& entries, const std::string& name) -> const Entry* {
    for (const auto& entry : entries)
      if (name_of(entry) == name) return &entry;
    return nullptr;
  };
  for (const auto& entry : in_force) {
    const auto* after = find(next, name_of(entry));
    if (!after) removed.push_back(name_of(entry));
    else if (*after == entry) kept.push_back(name_of(entry));
    else renewed.push_back(name_of(entry));
  }
  for (const auto& entry : next)
    if (!find(in_force, name_of(entry))) added.push_back(name_of(entry));
}

}  // namespace

GpioChangePlan plan_gpio_change(const GpioConfig& in_force, const GpioConfig& next) {
  if (next.backend != in_force.backend)
    throw ConfigError::at("/backend", "the backend (\"" + in_force.backend + "\" in force) changes only at a restart");
  GpioChangePlan plan;
  sort_out(in_force.outputs, next.outputs, [](const OutputEntry& entry) { return entry.settings.name; },
           plan.outputs_kept, plan.outputs_renewed, plan.outputs_removed, plan.outputs_added);
  sort_out(in_force.inputs, next.inputs, [](const InputSettings& entry) { return entry.name; }, plan.inputs_kept,
           plan.inputs_renewed, plan.inputs_removed, plan.inputs_added);
  return plan;
}

}  // namespace intercom::gpio
