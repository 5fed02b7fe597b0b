#pragma once
/// What the page shows of each port: its settings in gpio's configuration and the linkages of the
/// page's rules, read from the two documents in force (no DTMF code: only whether one is set). An
/// edit starts from this view: a form field left out keeps the value shown. Pure.
#include <string>

#include <nlohmann/json.hpp>

#include "intercom/contract/rules_document.hpp"

namespace intercom::web {

/// An output as the page shows it ({"name","label","level","pulse_ms","message",...}).
struct OutputView {
  std::string name;
  std::string label;
  std::string level;  ///< NO | NC
  long long pulse_ms = 5000;
  struct Message {
    bool enabled = false;
    std::string trigger;  ///< the alert after ALERT=
    std::string reset;
  } message;
  struct InputLink {
    bool enabled = false;
    std::string input;
  } input;
  struct Dtmf {
    bool enabled = false;
    bool code_set = false;
    bool reset_enabled = false;
    bool reset_code_set = false;
  } dtmf;
  struct CallState {
    bool enabled = false;
    contract::Names states;  ///< as the rule has them (the page's default: ["ringing"])
    std::string action;     ///< on | blink
  } call_state;
  struct AfterHangup {
    bool enabled = false;
    int delay_ms = 5000;
  } after_hangup;
  /// Each linkage's own pulse length in ms; 0: the output's.
  struct Pulses {
    long long message = 0;
    long long input = 0;
    long long dtmf = 0;
    long long after_hangup = 0;
  } pulses;
};

/// An input as the page shows it ({"name","label","trigger","debounce_ms","report"}).
struct InputView {
  std::string name;
  std::string label;
  nlohmann::json trigger;      ///< high | low, as gpio's document has it
  nlohmann::json debounce_ms;  ///< as gpio's document has it
  struct Report {
    bool enabled = false;
    std::string message;  ///< the alert after ALERT=
    std::string to;
  } report;
};

/// The view of one port of gpio's document (an element of its "outputs" or "inputs").
OutputView output_view(const nlohmann::json& port, const contract::RulesDocument& rules);
InputView input_view(const nlohmann::json& port, const contract::RulesDocument& rules);

void to_json(nlohmann::json& json, const OutputView& view);
void to_json(nlohmann::json& json, const InputView& view);

/// What the page shows: {"inputs":[...], "outputs":[...], "other_rules":[...]}, the rules the page
/// does not own listed as they are.
nlohmann::json linkage_view(const nlohmann::json& gpio_config, const nlohmann::json& rules_config);

}  // namespace intercom::web
