#pragma once
/// What the liblinphone agent is built from: where and how it listens, and the account it registers.
#include <string>
#include <vector>

namespace intercom::telephony {

/// What the intercom says and hears in a call (the config's audio section).
struct AudioSettings {
  std::string capture = "default";   ///< an ALSA device, or "none"
  std::string playback = "default";  ///< an ALSA device, or "none"
  std::vector<std::string> codecs{"opus", "g722", "pcmu", "pcma"};  ///< in order of preference
  bool echo_cancellation = true;
  double mic_gain_db = 0;
  double playback_gain_db = 0;
  std::string playback_file;  ///< absolute; empty: no announcement
  std::string record_dir;     ///< absolute; empty: calls are not recorded

  bool operator==(const AudioSettings&) const = default;
};

struct LinphoneSettings {
  std::string listen_address = "0.0.0.0";
  int session_expires_s = 90;  ///< RFC 4028 session timer; 0: off
  std::string media_address;  ///< where RTP binds; the SIP address unless set
  int port = 5060;
  std::string transport = "udp";
  int media_port_min = 40000;
  int media_port_max = 40100;
  std::string dtmf_send = "rfc4733";
  std::string data_dir;  ///< absolute
  /// Who the intercom is without an account: the From of its calls and messages, its Contact's
  /// host. Never empty once parsed (default sip:<device>@<listen_address>[:<port>]).
  std::string identity;
  AudioSettings audio;
  // Account; registrar empty: peer-to-peer.
  std::string registrar;
  std::string user;
  std::string domain;
  std::string password;
  int expires_s = 600;

  /// Whether the account (registrar, user, domain, password, expiry) is the same.
  bool same_account(const LinphoneSettings& other) const;
  /// Whether where and how it listens, who it is and its audio (everything but the account) are the same.
  bool same_listener(const LinphoneSettings& other) const;
};

}  // namespace intercom::telephony
