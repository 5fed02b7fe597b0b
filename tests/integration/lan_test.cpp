// The device on the LAN: Home Assistant's host is a network namespace the test makes (LanHost), with
// Debian's mosquitto clients as Home Assistant's MQTT side and a second Mosquitto there as Home
// Assistant's own broker (the add-on). Nothing leaves the veth pair.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "lan_host.hpp"
#include "process_usage.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path);
  file << text;
}

/// A program on the LAN host, run to its end (bounded), with what it printed.
struct LanRun {
  int exit_code;
  std::string output;
};

class LanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!LanHost::available()) GTEST_SKIP() << "needs root and network namespaces";
    lan = std::make_unique<LanHost>();
  }

  std::unique_ptr<LanHost> lan;
  TemporaryDirectory files;
  int runs = 0;

  LanRun on_lan(std::vector<std::string> argv, std::chrono::seconds timeout = 15s) {
    const auto log = files.path() / ("run-" + std::to_string(++runs) + ".log");
    ChildProcess process(lan->on_host(std::move(argv)), log);
    const auto code = process.wait_exit(timeout);
    if (!code) process.stop(1s);
    return {code.value_or(-1), process.log()};
  }
  std::unique_ptr<ChildProcess> start_on_lan(std::vector<std::string> argv, const std::string& name) {
    return std::make_unique<ChildProcess>(lan->on_host(std::move(argv)), files.path() / (name + ".log"));
  }

  /// A certificate for the device's LAN address, as the package makes one at installation (or for
  /// another host's).
  std::filesystem::path make_certificate(const std::string& name = "tls", const std::string& host = "door1.local",
                                         std::string address = {}) {
    const auto folder = files.path() / name;
    if (address.empty()) address = lan->device_address();
    const auto command = "bash '" + std::string(INTERCOM_SOURCE_DIR) + "/scripts/make-web-certificate.sh' '" + folder.string() + "' " +
                         host + " " + address + " >/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("make-web-certificate.sh failed");
    return folder;
  }

  /// lan.json with the broker's TLS listener on the device's LAN address (`more`: its other keys).
  std::filesystem::path write_lan_listener(const std::filesystem::path& tls, int port, json more = json::object()) {
    json mqtt{{"enabled", true},
              {"address", lan->device_address()},
              {"port", port},
              {"certificate_file", (tls / "certificate.pem").string()},
              {"key_file", (tls / "key.pem").string()}};
    mqtt.update(more);
    const auto file = files.path() / "lan.json";
    write(file, json{{"mqtt", mqtt}}.dump());
    return file;
  }
};

// --- the LAN listener -------------------------------------------------------------------------------

class LanListenerTest : public LanTest {
 protected:
  void SetUp() override {
    LanTest::SetUp();
    if (IsSkipped()) return;
    tls = make_certificate();
    lan_port = free_loopback_port();
    broker = std::make_unique<TestBroker>(std::filesystem::path(), write_lan_listener(tls, lan_port, {{"max_attempts_per_minute", 20}}));
    probe = std::make_unique<BusProbe>(*broker, "probe");
    probe->subscribe("intercom/#");
  }

  std::filesystem::path tls;
  int lan_port = 0;
  std::unique_ptr<TestBroker> broker;
  std::unique_ptr<BusProbe> probe;

  std::vector<std::string> client(const std::string& tool, const std::string& user, const std::string& password, bool use_tls = true) {
    std::vector<std::string> argv{tool, "-h", lan->device_address(), "-p", std::to_string(lan_port), "-u", user, "-P", password, "-V", "mqttv5"};
    if (use_tls) argv.insert(argv.end(), {"--cafile", (tls / "certificate.pem").string()});
    return argv;
  }
  std::vector<std::string> with(std::vector<std::string> argv, std::initializer_list<std::string> more) {
    argv.insert(argv.end(), more);
    return argv;
  }
};

TEST_F(LanListenerTest, HomeAssistantOnTheLanSeesDiscoveryOverTlsAndMovesAnOutput) {
  GpioProcess gpio(*broker, "d1");
  ServiceProcess discovery(*broker, "discovery", "d1", shipped_config("discovery"));
  ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio.process().log();
  ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "discovery"), 10s)) << discovery.process().log();

  const auto seen = on_lan(with(client("mosquitto_sub", "homeassistant", broker->password("homeassistant")),
                                {"-t", "homeassistant/device/+/config", "-C", "1", "-W", "10", "-v"}));
  ASSERT_EQ(seen.exit_code, 0) << seen.output << broker->log();
  EXPECT_NE(seen.output.find("homeassistant/device/"), std::string::npos) << seen.output;
  EXPECT_NE(seen.output.find("intercom/d1/output/out1/set"), std::string::npos) << "its command topic: " << seen.output;

  probe->clear();
  const auto sent = on_lan(with(client("mosquitto_pub", "homeassistant", broker->password("homeassistant")),
                                {"-t", "intercom/d1/output/out1/set", "-q", "1", "-m", R"({"action":"pulse","duration_ms":300,"request_id":"from-ha"})"}));
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_TRUE(probe->wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s.value("request_id", "") == "from-ha" && s["active"] == true; }), 5s))
      << gpio.process().log();
}

TEST_F(LanListenerTest, PlainMqttAServiceUserAndTheServicesListenerAreRefusedFromTheLan) {
  const auto ha_password = broker->password("homeassistant");
  // Plain MQTT to the TLS listener: no session.
  const auto plain = on_lan(with(client("mosquitto_pub", "homeassistant", ha_password, false), {"-t", "intercom/d1/output/out1/set", "-m", "{}"}), 10s);
  EXPECT_NE(plain.exit_code, 0) << plain.output;
  // A service's user and password, over TLS: not in the LAN listener's password file.
  for (const auto* service : {"gpio", "rules", "web", "operator"}) {
    const auto refused = on_lan(with(client("mosquitto_pub", service, broker->password(service)), {"-t", "intercom/d1/output/out1/set", "-m", "{}"}));
    EXPECT_NE(refused.exit_code, 0) << service << ": " << refused.output;
    EXPECT_NE(refused.output.find("authori"), std::string::npos) << service << ": " << refused.output;
  }
  // The services' listener is on the device's loopback, not on its LAN address.
  const auto loopback = on_lan({"mosquitto_pub", "-h", lan->device_address(), "-p", std::to_string(broker->port()), "-u", "homeassistant",
                                "-P", ha_password, "-t", "x", "-m", "{}"});
  EXPECT_NE(loopback.exit_code, 0) << loopback.output;
  // And Home Assistant's own user, over TLS, gets in.
  const auto allowed = on_lan(with(client("mosquitto_pub", "homeassistant", ha_password), {"-t", "homeassistant/status", "-m", "online"}));
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output << broker->log();
}

TEST_F(LanListenerTest, HomeAssistantOnTheLanReadsNoConfigurationNorCode) {
  // What the page sends carries codes and passwords: not for Home Assistant, on the LAN or not.
  auto watcher = start_on_lan(with(client("mosquitto_sub", "homeassistant", broker->password("homeassistant")),
                                   {"-t", "intercom/d1/rules/config/set", "-t", "intercom/d1/telephony/config/set", "-v"}),
                              "watcher");
  std::this_thread::sleep_for(1500ms);  // connected and subscribed (TLS under load included)
  probe->publish("intercom/d1/rules/config/set", R"({"request_id":"r1","config":{"code":"2580"}})");
  probe->publish("intercom/d1/telephony/config/set", R"({"request_id":"r2","config":{"password":"secret"}})");
  std::this_thread::sleep_for(1s);
  watcher->stop(1s);
  EXPECT_EQ(watcher->log().find("2580"), std::string::npos) << watcher->log();
  EXPECT_EQ(watcher->log().find("secret"), std::string::npos) << watcher->log();
}

TEST_F(LanListenerTest, APasswordGuesserIsLimitedReportedAndCostsTheServicesNothing) {
  GpioProcess gpio(*broker, "d1");
  ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio.process().log();
  // Home Assistant, connected before the guessing starts, stays connected.
  auto home_assistant = start_on_lan(with(client("mosquitto_sub", "homeassistant", broker->password("homeassistant")),
                                          {"-t", "intercom/d1/output/out1", "-v"}),
                                     "home-assistant");
  std::this_thread::sleep_for(1500ms);
  const std::string guesses = "300";
  const auto cpu_before = cpu_seconds(broker->pid());
  const auto started = std::chrono::steady_clock::now();
  const auto guesser = on_lan({"bash", "-c",
                               "ok=0; for i in $(seq " + guesses + "); do mosquitto_pub -h " + lan->device_address() + " -p " +
                                   std::to_string(lan_port) + " --cafile " + (tls / "certificate.pem").string() +
                                   " -u homeassistant -P guess$i -t x -m x 2>/dev/null && ok=$((ok+1)); done; echo accepted=$ok"},
                              120s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu = cpu_seconds(broker->pid()) - cpu_before;
  std::cout << "[ figures ] " << guesses << " wrong passwords over TLS from one address in " << seconds << " s: the broker used " << cpu
            << " s of CPU (" << 100 * cpu / seconds << " % of a core)\n";
  EXPECT_NE(guesser.output.find("accepted=0"), std::string::npos) << guesser.output;

  const auto report = probe->wait_for(on_topic("intercom/d1/broker/security"), 5s);
  ASSERT_TRUE(report) << broker->log();
  EXPECT_EQ(report->json()["address"], lan->address());
  EXPECT_EQ(report->json()["user"], "homeassistant");
  EXPECT_EQ(report->json()["max_attempts_per_minute"], 20);

  // The services on the loopback listener are not limited: a command goes through at once.
  probe->clear();
  probe->publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":200,"request_id":"during"})");
  EXPECT_TRUE(probe->wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s.value("request_id", "") == "during"; }), 5s));
  // Home Assistant's connection from before is still there and saw it.
  EXPECT_TRUE(eventually([&] { return home_assistant->log().find("during") != std::string::npos; }, 5s)) << home_assistant->log();
  EXPECT_TRUE(home_assistant->running());
  // Even the right password from that address waits for a quiet minute.
  const auto right = on_lan(with(client("mosquitto_pub", "homeassistant", broker->password("homeassistant")), {"-t", "homeassistant/status", "-m", "online"}));
  EXPECT_NE(right.exit_code, 0) << right.output;
}

// --- the bridge to Home Assistant's broker -------------------------------------------------------------

class HomeAssistantBridgeTest : public LanTest {
 protected:
  /// Home Assistant's broker with a TLS listener (its own certificate), the bridge verifying it.
  virtual bool over_tls() const { return false; }
  /// With TLS: the bridge told to trust another certificate (a man in the middle's view of it).
  virtual bool bridge_trusts_another_certificate() const { return false; }

  void SetUp() override {
    LanTest::SetUp();
    if (IsSkipped()) return;
    ha_port = free_loopback_port();
    write(files.path() / "bridge.password", "bridge-secret\n");
    std::string tls_lines;
    if (over_tls()) {
      ha_tls = make_certificate("ha-tls", "homeassistant.local", lan->address());
      tls_lines = "certfile " + (ha_tls / "certificate.pem").string() + "\nkeyfile " + (ha_tls / "key.pem").string() + "\n";
    }
    write(files.path() / "ha-broker.conf", "listener " + std::to_string(ha_port) + " " + lan->address() + "\n" + tls_lines +
                                               "allow_anonymous false\npassword_file " + (files.path() / "ha-passwd").string() +
                                               "\npersistence false\nuser root\nlog_dest stderr\nlog_type all\n");
    const auto passwd = files.path() / "ha-passwd";
    if (std::system(("mosquitto_passwd -c -b '" + passwd.string() + "' intercom bridge-secret >/dev/null && mosquitto_passwd -b '" +
                     passwd.string() + "' ha ha-secret >/dev/null").c_str()) != 0)
      throw std::runtime_error("mosquitto_passwd failed");
    start_ha_broker();
    json bridge{{"enabled", true},
                {"address", lan->address() + ":" + std::to_string(ha_port)},
                {"username", "intercom"},
                {"password_file", (files.path() / "bridge.password").string()}};
    if (over_tls()) {
      bridge["tls"] = true;
      bridge["ca_file"] = bridge_trusts_another_certificate()
                              ? (make_certificate("other-ca", "homeassistant.local", lan->address()) / "certificate.pem").string()
                              : (ha_tls / "certificate.pem").string();
    }
    write(files.path() / "lan.json", json{{"home_assistant_bridge", bridge}}.dump());
    broker = std::make_unique<TestBroker>(std::filesystem::path(), files.path() / "lan.json");
    probe = std::make_unique<BusProbe>(*broker, "probe");
    probe->subscribe("#");
    gpio = std::make_unique<GpioProcess>(*broker, "d1");
    discovery = std::make_unique<ServiceProcess>(*broker, "discovery", "d1", shipped_config("discovery"));
    ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio->process().log();
    ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "discovery"), 10s)) << discovery->process().log();
  }

  void start_ha_broker() {
    ha_broker = start_on_lan({"mosquitto", "-c", (files.path() / "ha-broker.conf").string()}, "ha-broker-" + std::to_string(++ha_starts));
    ASSERT_TRUE(eventually([&] { return ha_broker->log().find("running") != std::string::npos; }, 10s)) << ha_broker->log();
  }
  /// Home Assistant's side: a client of its own broker.
  std::vector<std::string> ha_client(const std::string& tool, std::initializer_list<std::string> more) {
    std::vector<std::string> argv{tool, "-h", lan->address(), "-p", std::to_string(ha_port), "-u", "ha", "-P", "ha-secret"};
    if (over_tls()) argv.insert(argv.end(), {"--cafile", (ha_tls / "certificate.pem").string()});
    argv.insert(argv.end(), more);
    return argv;
  }
  bool pulsed(const std::string& request_id, std::chrono::milliseconds timeout) {
    return probe->wait_for(on_topic_where("intercom/d1/output/out1", [&](const auto& s) { return s.value("request_id", "") == request_id; }), timeout)
        .has_value();
  }
  /// The first message on Home Assistant's broker for `filter` (a retained one at once), within 15 s,
  /// as "topic payload"; empty if none came. One filter a call: asked for two messages of two
  /// filters, a CI run got out1's state twice (gpio publishes it when it claims the line and again
  /// once connected) and no discovery.
  std::string first_on_home_assistants_broker(const std::string& filter) {
    const auto seen = on_lan(ha_client("mosquitto_sub", {"-t", filter, "-C", "1", "-W", "15", "-v"}));
    return seen.exit_code == 0 ? seen.output : "";
  }
  /// Sends Home Assistant's command until it arrives (the bridge may be reconnecting).
  bool command_from_home_assistant(const std::string& request_id, std::chrono::seconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      on_lan(ha_client("mosquitto_pub", {"-t", "intercom/d1/output/out1/set", "-q", "1", "-m",
                                         R"({"action":"pulse","duration_ms":200,"request_id":")" + request_id + R"("})"}));
      if (pulsed(request_id, 1s)) return true;
    }
    return false;
  }

  int ha_port = 0;
  int ha_starts = 0;
  std::filesystem::path ha_tls;
  std::unique_ptr<ChildProcess> ha_broker;
  std::unique_ptr<TestBroker> broker;
  std::unique_ptr<BusProbe> probe;
  std::unique_ptr<GpioProcess> gpio;
  std::unique_ptr<ServiceProcess> discovery;
};

TEST_F(HomeAssistantBridgeTest, DiscoveryAndStatesReachHomeAssistantsBrokerAndItsCommandPulsesTheLock) {
  EXPECT_EQ(first_on_home_assistants_broker("homeassistant/device/+/config").rfind("homeassistant/device/", 0), 0u) << broker->log();
  EXPECT_EQ(first_on_home_assistants_broker("intercom/d1/output/out1").rfind("intercom/d1/output/out1 {", 0), 0u) << broker->log();
  EXPECT_TRUE(command_from_home_assistant("from-ha", 10s)) << broker->log() << ha_broker->log();
}

TEST_F(HomeAssistantBridgeTest, OnlyWhatHomeAssistantShowsGoesOutAndOnlyItsCommandsComeIn) {
  // Everything that crosses to Home Assistant's broker while the device is busy.
  auto everything = start_on_lan(ha_client("mosquitto_sub", {"-t", "#", "-v"}), "everything");
  std::this_thread::sleep_for(1s);
  probe->publish("intercom/d1/rules/config/set", R"({"request_id":"r1","config":{"code":"2580"}})");
  probe->publish("intercom/d1/message/send", R"({"to":"alarm-server","text":"ALERT=x"})");
  probe->publish("intercom/d1/call/dtmf", R"({"digits":"2580#"})");
  probe->publish("intercom/d1/output/out2/set", R"({"action":"pulse","duration_ms":100,"request_id":"local"})");
  ASSERT_TRUE(probe->wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s.value("request_id", "") == "local"; }), 5s));
  EXPECT_TRUE(eventually([&] { return everything->log().find("\"local\"") != std::string::npos; }, 5s)) << "the state went out: " << everything->log();
  everything->stop(1s);
  for (const auto* secret : {"2580", "ALERT=x"})
    EXPECT_EQ(everything->log().find(secret), std::string::npos) << secret << " reached Home Assistant's broker: " << everything->log();
  std::istringstream lines(everything->log());
  for (std::string line; std::getline(lines, line);) {
    const auto topic = line.substr(0, line.find(' '));
    for (const std::string forbidden : {"/config/set", "/message/send", "/call/dtmf", "/output/out2/set", "/gpio/config", "/rules/config"})
      EXPECT_EQ(topic.find(forbidden), std::string::npos) << topic << " reached Home Assistant's broker";
  }

  // What Home Assistant's broker sends other than its commands and its birth stays there.
  probe->clear();
  on_lan(ha_client("mosquitto_pub", {"-t", "intercom/d1/rules/config/set", "-m", R"({"request_id":"x","config":{}})"}));
  on_lan(ha_client("mosquitto_pub", {"-t", "intercom/d1/call/set", "-m", R"({"action":"dial","to":"sip:x@y"})"}));
  ASSERT_TRUE(command_from_home_assistant("allowed", 10s));
  EXPECT_FALSE(probe->wait_for(on_topic("intercom/d1/rules/config/set"), 0ms));
  EXPECT_FALSE(probe->wait_for(on_topic("intercom/d1/call/set"), 0ms));
  // Its answer and hang-up buttons do come in, on the topic that cannot dial.
  on_lan(ha_client("mosquitto_pub", {"-t", "intercom/d1/call/control/set", "-m", R"({"action":"hangup","cause":"home-assistant"})"}));
  EXPECT_TRUE(probe->wait_for(on_topic("intercom/d1/call/control/set"), 5s)) << broker->log();
}

TEST_F(HomeAssistantBridgeTest, HomeAssistantsBirthBringsDiscoveryAgainAndTheBridgeSurvivesItsBrokerRestarting) {
  ASSERT_TRUE(command_from_home_assistant("before", 10s)) << broker->log();
  probe->clear();
  on_lan(ha_client("mosquitto_pub", {"-t", "homeassistant/status", "-m", "online"}));
  EXPECT_TRUE(probe->wait_for([](const ProbeMessage& message) { return message.topic.rfind("homeassistant/device/", 0) == 0; }, 10s))
      << "discovery sent again after the birth message: " << discovery->process().log();

  ha_broker->stop(5s);
  std::this_thread::sleep_for(2s);
  start_ha_broker();
  // The bridge is back (restart_timeout 1 to 10 s): commands arrive again, and Home Assistant's
  // birth after its broker's restart brings the discovery there again.
  EXPECT_TRUE(command_from_home_assistant("after", 30s)) << broker->log();
  auto watcher = start_on_lan(ha_client("mosquitto_sub", {"-t", "homeassistant/device/+/config", "-v"}), "after-restart");
  std::this_thread::sleep_for(1s);
  on_lan(ha_client("mosquitto_pub", {"-t", "homeassistant/status", "-m", "online"}));
  EXPECT_TRUE(eventually([&] { return watcher->log().find("homeassistant/device/") != std::string::npos; }, 10s)) << watcher->log();
}

class HomeAssistantBridgeOverTlsTest : public HomeAssistantBridgeTest {
 protected:
  bool over_tls() const override { return true; }
};

TEST_F(HomeAssistantBridgeOverTlsTest, TheBridgeVerifiesHomeAssistantsBrokerAndCarriesTheSame) {
  EXPECT_EQ(first_on_home_assistants_broker("homeassistant/device/+/config").rfind("homeassistant/device/", 0), 0u)
      << broker->log() << ha_broker->log();
  EXPECT_EQ(first_on_home_assistants_broker("intercom/d1/output/out1").rfind("intercom/d1/output/out1 {", 0), 0u)
      << broker->log() << ha_broker->log();
  EXPECT_TRUE(command_from_home_assistant("over-tls", 10s)) << broker->log();
}

class HomeAssistantBridgeToAnUntrustedBrokerTest : public HomeAssistantBridgeTest {
 protected:
  bool over_tls() const override { return true; }
  bool bridge_trusts_another_certificate() const override { return true; }
};

TEST_F(HomeAssistantBridgeToAnUntrustedBrokerTest, ABrokerWhoseCertificateIsNotTheOneTrustedGetsNothing) {
  const auto seen = on_lan(ha_client("mosquitto_sub", {"-t", "#", "-C", "1", "-W", "5", "-v"}));
  EXPECT_NE(seen.exit_code, 0) << "something crossed: " << seen.output;
  EXPECT_FALSE(command_from_home_assistant("untrusted", 3s));
}

// --- the page on the LAN ----------------------------------------------------------------------------

class PageOnTheLanTest : public LanTest {
 protected:
  void SetUp() override {
    LanTest::SetUp();
    if (IsSkipped()) return;
    tls = make_certificate();
    broker = std::make_unique<TestBroker>(std::filesystem::path(), write_lan_listener(tls, free_loopback_port()));
    probe = std::make_unique<BusProbe>(*broker, "probe");
    probe->subscribe("intercom/#");
    gpio = std::make_unique<GpioProcess>(*broker, "d1");
    web_port = free_loopback_port();
    // As the package ships it: every address, HTTPS with the device's certificate.
    web = std::make_unique<ServiceProcess>(*broker, "web", "d1",
                                           json{{"listen", {{"address", "0.0.0.0"}, {"port", web_port}}},
                                                {"tls", {{"certificate_file", (tls / "certificate.pem").string()}, {"key_file", (tls / "key.pem").string()}}},
                                                {"credentials_file", "web-password.hash"},
                                                {"hash_cost", "minimum"},
                                                {"lan_file", (files.path() / "lan.json").string()},
                                                {"lan_secrets_dir", (files.path() / "lan-secrets").string()}});
    ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio->process().log();
    ASSERT_TRUE(probe->wait_for(service_online("intercom/d1", "web"), 10s)) << web->process().log();
    fingerprint = shell_output("openssl x509 -in '" + (tls / "certificate.pem").string() + "' -noout -fingerprint -sha256 | cut -d= -f2");
  }

  static std::string shell_output(const std::string& command) {
    std::string output;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
      char buffer[512];
      while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
      ::pclose(pipe);
    }
    while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
    return output;
  }
  /// The first password, set with the setup token from the log, as the installer does.
  std::string set_password() {
    std::smatch match;
    const auto log = web->process().log();
    if (!std::regex_search(log, match, std::regex("setup token ([0-9a-f]+)"))) return "";
    const std::string password = "door at the lan 1";
    const auto reply = on_lan({"curl", "-sSf", "--cacert", (tls / "certificate.pem").string(), "-H", "Origin: " + url_origin(), "-H",
                               "Content-Type: application/json", "-d", json{{"token", match[1]}, {"password", password}}.dump(),
                               url_origin() + "/api/setup"});
    return reply.exit_code == 0 ? password : "";
  }
  std::string url_origin() const { return "https://" + lan->device_address() + ":" + std::to_string(web_port); }

  std::filesystem::path tls;
  std::string fingerprint;
  int web_port = 0;
  std::unique_ptr<TestBroker> broker;
  std::unique_ptr<BusProbe> probe;
  std::unique_ptr<GpioProcess> gpio;
  std::unique_ptr<ServiceProcess> web;
};

TEST_F(PageOnTheLanTest, APhoneOnTheLanLogsInOverHttpsAfterSeeingTheFingerprintAndPulsesTheLock) {
  // The start log says where the page is on the LAN, and the certificate's fingerprint.
  EXPECT_TRUE(eventually([&] { return web->process().log().find(url_origin().substr(0, url_origin().rfind(':'))) != std::string::npos; }, 5s))
      << "the LAN address in the start log: " << web->process().log();
  EXPECT_NE(web->process().log().find(fingerprint), std::string::npos) << web->process().log();
  const auto password = set_password();
  ASSERT_FALSE(password.empty()) << web->process().log();
  const auto spki = shell_output("openssl x509 -in '" + (tls / "certificate.pem").string() +
                                 "' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64");
  probe->clear();
  const auto browser = on_lan({"/usr/bin/node", INTERCOM_SOURCE_DIR "/tests/browser/lan.test.mjs", "--url", url_origin() + "/", "--password",
                               password, "--spki", spki, "--fingerprint", fingerprint, "--screenshots",
                               std::string(INTERCOM_BUILD_DIR) + "/screenshots"},
                              120s);
  ASSERT_EQ(browser.exit_code, 0) << browser.output << web->process().log();
  EXPECT_TRUE(probe->wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["active"] == true; }), 0ms))
      << "the lock pulsed from the page on the LAN";
  EXPECT_NE(web->process().log().find("logged in from " + lan->address()), std::string::npos) << "the phone's address: " << web->process().log();
}

TEST_F(PageOnTheLanTest, APasswordGuesserOnThePageIsBlockedReportedAndCostsLittle) {
  ASSERT_FALSE(set_password().empty());
  const int web_pid = web->process().pid();
  const auto cpu_before = cpu_seconds(web_pid);
  const auto started = std::chrono::steady_clock::now();
  const auto guesser = on_lan({"bash", "-c",
                               "for i in $(seq 200); do curl -s -o /dev/null -w '%{http_code}\\n' --cacert " + (tls / "certificate.pem").string() +
                                   " -H 'Origin: " + url_origin() + "' -H 'Content-Type: application/json' -d '{\"password\":\"guess'$i'\"}' " +
                                   url_origin() + "/api/login; done | sort | uniq -c"},
                              120s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu = cpu_seconds(web_pid) - cpu_before;
  std::cout << "[ figures ] 200 wrong page passwords over HTTPS from one LAN address in " << seconds << " s: the web service used " << cpu
            << " s of CPU (" << 100 * cpu / seconds << " % of a core); answers: " << guesser.output << "\n";
  EXPECT_NE(guesser.output.find(" 429"), std::string::npos) << "blocked after the tries allowed: " << guesser.output;
  EXPECT_EQ(guesser.output.find(" 200"), std::string::npos) << guesser.output;
  const auto blocked = probe->wait_for(on_topic_where("intercom/d1/web/login", [](const auto& l) { return l["result"] == "blocked"; }), 5s);
  ASSERT_TRUE(blocked) << "reported on the bus";
  EXPECT_EQ(blocked->json()["client"], lan->address());
  // The services' own users are untouched: the bus works, gpio pulses.
  probe->clear();
  probe->publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":100,"request_id":"after-guessing"})");
  EXPECT_TRUE(probe->wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s.value("request_id", "") == "after-guessing"; }), 5s));
}

}  // namespace
}  // namespace intercom::testing
