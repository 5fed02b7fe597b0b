#include "lan_host.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

namespace intercom::testing {
namespace {

constexpr const char* kPrefix = "intercom-lan-";

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

/// Namespaces of earlier test processes that are gone (killed before their destructor ran).
void remove_stale_namespaces() {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", error)) {
    const auto name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    const auto rest = name.substr(std::string(kPrefix).size());
    const pid_t owner = static_cast<pid_t>(std::strtol(rest.c_str(), nullptr, 10));
    if (owner > 0 && (::kill(owner, 0) == 0 || errno != ESRCH)) continue;
    run("ip netns delete " + name);
  }
}

}  // namespace

bool LanHost::available() { return ::geteuid() == 0 && run("ip netns list") == 0; }

LanHost::LanHost() {
  if (!available()) throw std::runtime_error("a LAN host needs root and iproute2 (ip netns)");
  remove_stale_namespaces();
  std::random_device random;
  // Interface names have 15 characters at most.
  for (int attempt = 0; attempt < 20; ++attempt) {
    const unsigned tag = random() % 0x10000;
    const unsigned subnet = random() % (2 * 256 * 64);  // the /30s of 198.18.0.0/15
    const std::string suffix = std::to_string(tag);
    name_ = kPrefix + std::to_string(::getpid()) + "-" + suffix;
    device_link_ = "icl" + suffix + "d";
    const std::string host_link = "icl" + suffix + "h";
    const unsigned base = subnet * 4;
    const std::string network = "198." + std::to_string(18 + base / 65536) + "." + std::to_string((base / 256) % 256) + ".";
    device_address_ = network + std::to_string(base % 256 + 1);
    address_ = network + std::to_string(base % 256 + 2);
    if (run("ip netns add " + name_) != 0) continue;
    if (run("ip link add " + device_link_ + " type veth peer name " + host_link) != 0 ||
        run("ip link set " + host_link + " netns " + name_) != 0 ||
        run("ip addr add " + device_address_ + "/30 dev " + device_link_) != 0 || run("ip link set " + device_link_ + " up") != 0 ||
        run("ip -n " + name_ + " addr add " + address_ + "/30 dev " + host_link) != 0 ||
        run("ip -n " + name_ + " link set " + host_link + " up") != 0 || run("ip -n " + name_ + " link set lo up") != 0) {
      run("ip link delete " + device_link_);
      run("ip netns delete " + name_);
      continue;
    }
    return;
  }
  throw std::runtime_error("could not make a network namespace with a veth pair");
}

LanHost::~LanHost() {
  run("ip link delete " + device_link_);  // its peer goes with it
  run("ip netns delete " + name_);
}

std::vector<std::string> LanHost::on_host(std::vector<std::string> argv) const {
  std::vector<std::string> full{"ip", "netns", "exec", name_};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

}  // namespace intercom::testing
