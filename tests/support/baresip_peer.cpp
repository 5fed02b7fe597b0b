#include "baresip_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "wav_audio.hpp"

namespace intercom::testing {

BaresipPeer::BaresipPeer(const std::filesystem::path& directory, Options options)
    : directory_(directory), options_(std::move(options)) {
  std::filesystem::create_directories(directory_ / "heard");
  if (options_.microphone.empty()) {
    options_.microphone = directory_ / "silence.wav";
    write_tone_wav(options_.microphone, 0, 60);
  }
  const bool own_port = options_.port == 0;
  for (int attempt = 1;; ++attempt) {
    if (own_port) options_.port = free_loopback_udp_port();
    control_port_ = free_loopback_port();
    if (launch()) break;
    // A port free when we looked was taken before baresip bound it (by a test running beside
    // this one; baresip binds TCP too on its SIP port): others, a few times.
    const bool port_taken = log().find("Address already in use") != std::string::npos;
    process_->stop(std::chrono::seconds(2));
    if (!port_taken || attempt == 5) throw std::runtime_error("baresip's control port cannot be reached: " + log());
  }
  reader_ = std::thread([this] { read_events(); });
}

bool BaresipPeer::launch() {
  {
    std::ofstream config(directory_ / "config");
    config << "sip_listen " << options_.address << ":" << options_.port << "\n";
    // On loopback, its media on loopback too: otherwise it takes the address of another interface
    // for RTP, and finds none on a machine with loopback only (the kernel VM).
    if (options_.address.rfind("127.", 0) == 0) config << "net_interface " << options_.address << "\n";
    config
           << "audio_player alsa,null\naudio_alert alsa,null\n"
           << "audio_source aufile," << options_.microphone.string() << "\n"
           << "ausrc_srate 8000\nausrc_channels 1\n"
           << "module_path /usr/lib/baresip/modules\n";
    for (const auto& codec : options_.codecs) config << "module " << codec << ".so\n";
    config << "module aufile.so\nmodule alsa.so\nmodule sndfile.so\nmodule_tmp account.so\n"
           << "module_app menu.so\nmodule_app ctrl_tcp.so\n"
           // The control port: on loopback, or where the test reaches a peer in another namespace.
           << "ctrl_tcp_listen " << control_address() << ":" << control_port_ << "\n"
           << "snd_path " << (directory_ / "heard").string() << "\n";
    std::ofstream(directory_ / "accounts") << "<sip:" << options_.user << "@" << options_.address << ":" << options_.port
                                           << ">;regint=0;answermode=auto\n";
  }
  std::vector<std::string> argv = options_.run_in;
  for (const auto* arg : {"/usr/bin/baresip", "-s", "-f"}) argv.push_back(arg);
  argv.push_back(directory_.string());
  process_ = std::make_unique<ChildProcess>(argv, directory_ / "baresip.log");
  // Its control port, once it listens.
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(control_port_));
  ::inet_pton(AF_INET, control_address().c_str(), &address.sin_addr);
  const bool connected = eventually(
      [&] {
        if (!process_->running()) return true;
        socket_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return true;
        ::close(socket_);
        socket_ = -1;
        return false;
      },
      std::chrono::seconds(10));
  return connected && socket_ >= 0;
}

BaresipPeer::~BaresipPeer() {
  if (socket_ >= 0) ::shutdown(socket_, SHUT_RDWR);
  process_->stop(std::chrono::seconds(2));
  if (reader_.joinable()) reader_.join();
  if (socket_ >= 0) ::close(socket_);
}

std::string BaresipPeer::control_address() const { return options_.run_in.empty() ? "127.0.0.1" : options_.address; }

std::string BaresipPeer::uri() const { return "sip:" + options_.user + "@" + options_.address + ":" + std::to_string(options_.port); }

void BaresipPeer::read_events() {
  std::string buffer;
  char chunk[4096];
  while (true) {
    const auto received = ::recv(socket_, chunk, sizeof chunk, 0);
    if (received <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(received));
    // Netstrings: "<length>:<json>,".
    while (true) {
      const auto colon = buffer.find(':');
      if (colon == std::string::npos) break;
      const auto length = std::stoul(buffer.substr(0, colon));
      if (buffer.size() < colon + 1 + length + 1) break;
      auto message = nlohmann::json::parse(buffer.substr(colon + 1, length), nullptr, false);
      buffer.erase(0, colon + 1 + length + 1);
      std::lock_guard lock(mutex_);
      if (message.value("response", false)) responses_.push_back(std::move(message));
      else if (message.value("event", false)) events_.push_back(std::move(message));
    }
    arrived_.notify_all();
  }
  std::lock_guard lock(mutex_);
  closed_ = true;
  arrived_.notify_all();
}

std::optional<std::string> BaresipPeer::command(const std::string& name, const std::string& params, std::chrono::milliseconds timeout) {
  const auto token = std::to_string(next_token_++);
  nlohmann::json request{{"command", name}, {"token", token}};
  if (!params.empty()) request["params"] = params;
  const auto text = request.dump();
  const auto frame = std::to_string(text.size()) + ":" + text + ",";
  if (::send(socket_, frame.data(), frame.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(frame.size())) return std::nullopt;
  std::unique_lock lock(mutex_);
  std::optional<std::string> data;
  arrived_.wait_for(lock, timeout, [&] {
    for (const auto& response : responses_)
      if (response.value("token", "") == token) {
        if (response.value("ok", false)) data = response.value("data", "");
        return true;
      }
    return closed_;
  });
  return data;
}

std::optional<nlohmann::json> BaresipPeer::wait_event(const std::string& type, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<nlohmann::json> found;
  arrived_.wait_for(lock, timeout, [&] {
    for (auto it = events_.begin(); it != events_.end(); ++it)
      if (it->value("type", "") == type) {
        found = *it;
        events_.erase(it);
        return true;
      }
    return closed_;
  });
  return found;
}

std::vector<std::filesystem::path> BaresipPeer::heard() const {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory_ / "heard"))
    if (entry.path().string().ends_with("-dec.wav")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string BaresipPeer::log() const { return process_->log(); }

}  // namespace intercom::testing
