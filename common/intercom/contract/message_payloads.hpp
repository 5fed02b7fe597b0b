#pragma once
/// Text messages: ALERT= and plain texts in and out (SIP MESSAGE and GSM), the modem and the outbox.
/// One type per payload, next to its topic; schemas/bus/ stays the authority (the bus validates
/// every payload against it), tests/unit/contract_test.cpp keeps the two equal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

/// A text message received over SIP MESSAGE or SMS (event)
struct MessageReceived {
  static constexpr const TopicSpec& spec = topic::message_received;
  std::string from;
  std::string transport;  ///< sip | gsm
  std::string text;
  /// the <message> of ALERT=<message> in capitals (letters a-z upper-cased, whatever case it was sent in),
  /// absent for plain texts
  std::optional<std::string> alert;
  bool trusted = false;
  /// when trusted is false: why (not on the trust list, or a SIP request that came from neither the PBX nor a
  /// listed peer host)
  std::optional<std::string> untrusted_reason;
  std::string at;  ///< ISO 8601
  bool operator==(const MessageReceived&) const = default;
};
void to_json(nlohmann::json& json, const MessageReceived& value);
void from_json(const nlohmann::json& json, MessageReceived& value);

/// Send a text message (command, never retained)
struct MessageSend {
  static constexpr const TopicSpec& spec = topic::message_send;
  std::string to;  ///< a configured alias, a SIP URI or an E.164 number
  std::string text;
  std::optional<std::string> transport;  ///< auto | sip | gsm
  std::optional<std::string> cause;
  std::optional<std::string> request_id;
  bool operator==(const MessageSend&) const = default;
};
void to_json(nlohmann::json& json, const MessageSend& value);
void from_json(const nlohmann::json& json, MessageSend& value);

/// What became of a message/send command, per address (event)
struct MessageResult {
  static constexpr const TopicSpec& spec = topic::message_result;
  std::optional<std::string> request_id;
  std::string to;  ///< the address tried: a SIP URI or an E.164 number
  std::optional<std::string> alias;  ///< the configured alias the command named, if it named one
  std::optional<std::string> transport;  ///< sip | gsm
  /// delivered | retrying | expired | rejected; delivered and expired and rejected are final; retrying: this
  /// attempt failed, another follows at next_attempt_at
  std::string state;
  bool delivered = false;
  std::int64_t attempts = 0;
  std::optional<std::string> reason;
  /// what the transport said of a delivery (the modem's message reference)
  std::optional<std::string> detail;
  std::optional<std::string> next_attempt_at;  ///< ISO 8601
  std::optional<std::string> cause;
  std::string at;  ///< ISO 8601
  bool operator==(const MessageResult&) const = default;
};
void to_json(nlohmann::json& json, const MessageResult& value);
void from_json(const nlohmann::json& json, MessageResult& value);

/// A SIP MESSAGE received by the telephony service, for the sms service (event)
struct SipMessageReceived {
  static constexpr const TopicSpec& spec = topic::sip_message_received;
  std::string from;  ///< the sender's SIP URI
  std::string text;
  /// the address the request came from (its top Via, with belle-sip's received=); empty if unreadable
  std::string source;
  /// pbx | peer | unknown; pbx: from the registrar's address; peer: from a host in sip.peer_hosts; unknown:
  /// from anywhere else, so the From header vouches for nothing
  std::string route;
  std::string at;  ///< ISO 8601
  bool operator==(const SipMessageReceived&) const = default;
};
void to_json(nlohmann::json& json, const SipMessageReceived& value);
void from_json(const nlohmann::json& json, SipMessageReceived& value);

/// Send a SIP MESSAGE (command from the sms service, never retained)
struct SipMessageSend {
  static constexpr const TopicSpec& spec = topic::sip_message_send;
  std::string to;  ///< a SIP URI
  std::string text;
  std::optional<std::string> request_id;
  bool operator==(const SipMessageSend&) const = default;
};
void to_json(nlohmann::json& json, const SipMessageSend& value);
void from_json(const nlohmann::json& json, SipMessageSend& value);

/// What became of a SIP MESSAGE sent on request (event)
struct SipMessageResult {
  static constexpr const TopicSpec& spec = topic::sip_message_result;
  std::optional<std::string> request_id;
  std::string to;
  bool delivered = false;
  std::optional<std::string> reason;
  /// when not delivered: trying again cannot help (the address cannot be reached this way)
  std::optional<bool> permanent;
  std::string at;  ///< ISO 8601
  bool operator==(const SipMessageResult&) const = default;
};
void to_json(nlohmann::json& json, const SipMessageResult& value);
void from_json(const nlohmann::json& json, SipMessageResult& value);

/// The GSM modem's state as the sms service sees it (state, retained)
struct SmsModem {
  static constexpr const TopicSpec& spec = topic::sms_modem;
  /// none | absent | initialising | ready | not-answering; none: no modem configured; absent: the device
  /// cannot be opened; not-answering: it stopped answering and is being reopened
  std::string state;
  std::optional<std::string> device;
  std::optional<std::string> reason;
  std::string since;  ///< ISO 8601
  bool operator==(const SmsModem&) const = default;
};
void to_json(nlohmann::json& json, const SmsModem& value);
void from_json(const nlohmann::json& json, SmsModem& value);

/// Messages waiting in the sms service's outbox (state, retained)
struct SmsOutbox {
  static constexpr const TopicSpec& spec = topic::sms_outbox;
  std::int64_t pending = 0;
  std::int64_t sip = 0;
  std::int64_t gsm = 0;
  std::optional<std::string> oldest_at;  ///< ISO 8601; when the oldest waiting message was queued
  std::string at;  ///< ISO 8601
  bool operator==(const SmsOutbox&) const = default;
};
void to_json(nlohmann::json& json, const SmsOutbox& value);
void from_json(const nlohmann::json& json, SmsOutbox& value);

}  // namespace intercom::contract
