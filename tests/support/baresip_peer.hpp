#pragma once
/// baresip (Debian's baresip-core), a SIP phone of another stack than the intercom's, as the far end
/// of real calls: it sends a WAV file as its microphone, keeps what it hears in WAV files (its
/// sndfile module), answers calls by itself, and dials, hangs up and sends MESSAGEs when told over
/// its TCP control interface (ctrl_tcp: netstrings of JSON), whose events the test can wait for.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"

namespace intercom::testing {

class BaresipPeer {
 public:
  struct Options {
    std::string address = "127.0.0.1";
    int port = 0;  ///< 0: a free one
    std::string user = "peer";
    /// What it says: a 16-bit WAV at 8 kHz (its source rate); empty: silence.
    std::filesystem::path microphone;
    /// Codec modules offered, in order: "g711" (PCMU, PCMA), "g722", "opus".
    std::vector<std::string> codecs{"g711"};
    /// A command prefix to run it in another network namespace ("ip netns exec NAME").
    std::vector<std::string> run_in;
  };

  BaresipPeer(const std::filesystem::path& directory, Options options);
  ~BaresipPeer();
  BaresipPeer(const BaresipPeer&) = delete;
  BaresipPeer& operator=(const BaresipPeer&) = delete;

  /// sip:<user>@<address>:<port>
  std::string uri() const;
  /// Sends a command and waits for its answer; the answer's data, or nothing if it failed.
  std::optional<std::string> command(const std::string& name, const std::string& params = "",
                                     std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// The first event of this type ("CALL_ESTABLISHED", "CALL_INCOMING", "CALL_CLOSED", ...) not
  /// taken before, within the timeout.
  std::optional<nlohmann::json> wait_event(const std::string& type, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// The WAV files of what it heard, one per call ("...-dec.wav").
  std::vector<std::filesystem::path> heard() const;
  /// Its log: with its SIP trace, every request and response it sent and received.
  std::string log() const;

 private:
  void read_events();
  /// Writes its config for the ports chosen, starts it, and connects to its control port; false if
  /// it did not come up (the log says why).
  bool launch();
  /// Where its control port listens: loopback, or its own address in another namespace.
  std::string control_address() const;
  std::filesystem::path directory_;
  Options options_;
  int control_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  int socket_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<nlohmann::json> events_;     ///< not yet taken
  std::vector<nlohmann::json> responses_;  ///< by token
  int next_token_ = 1;
  bool closed_ = false;
};

}  // namespace intercom::testing
