#pragma once
/// The SIP line: the call, its DTMF keys, commands, the simulated far end, registration and sound.
/// One type per payload, next to its topic; schemas/bus/ stays the authority (the bus validates
/// every payload against it), tests/unit/contract_test.cpp keeps the two equal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

/// State of the SIP line (retained)
struct CallState {
  static constexpr const TopicSpec& spec = topic::call_state;
  std::string state;  ///< idle | ringing | calling | talking
  std::optional<std::string> call_id;
  std::optional<std::string> direction;  ///< incoming | outgoing
  std::optional<std::string> peer;
  std::string since;  ///< ISO 8601
  std::optional<std::string> end_reason;  ///< on idle after a call: why it ended
  bool operator==(const CallState&) const = default;
};
void to_json(nlohmann::json& json, const CallState& value);
void from_json(const nlohmann::json& json, CallState& value);

/// One DTMF key received during a call (event)
struct CallDtmf {
  static constexpr const TopicSpec& spec = topic::call_dtmf;
  std::string call_id;
  std::string digit;
  std::string source;  ///< rfc4733 | sip-info
  std::string at;  ///< ISO 8601
  bool operator==(const CallDtmf&) const = default;
};
void to_json(nlohmann::json& json, const CallDtmf& value);
void from_json(const nlohmann::json& json, CallDtmf& value);

/// Command for the SIP line (never retained)
struct CallCommand {
  static constexpr const TopicSpec& spec = topic::call_command;
  std::string action;  ///< dial | answer | hangup | send_dtmf
  std::optional<std::string> uri;  ///< dial: SIP URI or number
  std::optional<std::string> digits;  ///< send_dtmf: keys to send
  std::optional<std::string> call_id;
  std::optional<std::string> cause;
  std::optional<std::string> request_id;
  bool operator==(const CallCommand&) const = default;
};
void to_json(nlohmann::json& json, const CallCommand& value);
void from_json(const nlohmann::json& json, CallCommand& value);

/// Answer or hang up the call, and nothing else (command)
struct CallControl {
  static constexpr const TopicSpec& spec = topic::call_control;
  std::string action;  ///< answer | hangup
  std::optional<std::string> cause;
  std::optional<std::string> request_id;
  bool operator==(const CallControl&) const = default;
};
void to_json(nlohmann::json& json, const CallControl& value);
void from_json(const nlohmann::json& json, CallControl& value);

/// Play the far end of the simulated SIP line (command; telephony's simulated backend only)
struct SimCallCommand {
  static constexpr const TopicSpec& spec = topic::sim_call_command;
  /// ring | answer | hangup | dtmf | message; ring: a call comes in from `from`; answer: the far end answers
  /// an outgoing call; hangup: the far end hangs up (or gives up ringing); dtmf: the far end presses `digits`
  /// during a call that is talking; message: a SIP MESSAGE `text` arrives from `from`
  std::string action;
  /// ring, message: the caller or sender (default sip:visitor@127.0.0.1, sip:alarm-server@127.0.0.1)
  std::optional<std::string> from;
  std::optional<std::string> call_id;  ///< answer, hangup, dtmf: which call (default: the newest)
  std::optional<std::string> digits;
  std::optional<std::string> text;
  bool operator==(const SimCallCommand&) const = default;
};
void to_json(nlohmann::json& json, const SimCallCommand& value);
void from_json(const nlohmann::json& json, SimCallCommand& value);

/// Registration of the SIP account (retained)
struct TelephonyRegistration {
  static constexpr const TopicSpec& spec = topic::telephony_registration;
  std::string state;  ///< none | progress | ok | cleared | failed; none: peer-to-peer, no registrar
  std::optional<std::string> registrar;
  std::optional<std::string> reason;
  std::string since;  ///< ISO 8601
  bool operator==(const TelephonyRegistration&) const = default;
};
void to_json(nlohmann::json& json, const TelephonyRegistration& value);
void from_json(const nlohmann::json& json, TelephonyRegistration& value);

/// One side of the sound (capture or playback).
struct AudioSide {
  std::string device;  ///< as configured (an ALSA device name)
  std::string state;   ///< ok | none | missing | unused | simulated
  std::optional<std::string> reason;
  bool operator==(const AudioSide&) const = default;
};
void to_json(nlohmann::json& json, const AudioSide& value);
void from_json(const nlohmann::json& json, AudioSide& value);

/// The sound devices of the SIP line (retained): what a call uses, and why a configured device is not used
struct TelephonyAudio {
  static constexpr const TopicSpec& spec = topic::telephony_audio;
  /// false: calls send silence or the announcement from files, and what the caller says is only recorded
  bool sound_card = false;
  AudioSide capture;
  AudioSide playback;
  std::string since;  ///< ISO 8601
  bool operator==(const TelephonyAudio&) const = default;
};
void to_json(nlohmann::json& json, const TelephonyAudio& value);
void from_json(const nlohmann::json& json, TelephonyAudio& value);

}  // namespace intercom::contract
