// A call you can talk through: the telephony service on liblinphone against baresip, a SIP phone
// of another stack, on loopback. Each side sends a known tone and what the other side heard (baresip's
// sndfile dump, the intercom's recording) is checked for that tone's frequency. Without a sound
// card, as here, the intercom sends silence or its announcement, and RTP flows all the same.
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "baresip_peer.hpp"
#include "bus_probe.hpp"
#include "process_usage.hpp"
#include "service_process.hpp"
#include "wav_audio.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class TelephonyAudioTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  int sip_port = free_loopback_udp_port();
  std::unique_ptr<ServiceProcess> telephony;

  void SetUp() override { probe.subscribe("intercom/#"); }
  void TearDown() override {
    if (HasFailure() && telephony) std::cerr << telephony->process().log().substr(0, 20000);
  }

  const std::filesystem::path& dir() const { return broker.directory(); }
  std::string intercom_uri() const { return "sip:d1@127.0.0.1:" + std::to_string(sip_port); }

  json config(json audio, json sip = json::object()) {
    const int media = free_loopback_udp_port(102);
    json base{{"backend", "linphone"},
              {"sip",
               {{"listen_address", "127.0.0.1"}, {"port", sip_port}, {"media_port_min", media}, {"media_port_max", media + 100},
                {"peer_hosts", {"127.0.0.1"}}, {"data_dir", (dir() / "telephony").string()}}},
              {"auto_answer", {{"enabled", true}, {"allow", {"sip:peer@*"}}}},
              {"audio", std::move(audio)}};
    base["sip"].merge_patch(sip);
    return base;
  }
  void start(const json& configuration) {
    telephony = std::make_unique<ServiceProcess>(broker, "telephony", "d1", configuration);
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "telephony"), 10s)) << telephony->process().log();
  }
  bool call_is(const std::string& state, std::chrono::milliseconds timeout = 10s) {
    return probe.wait_for(on_topic_where("intercom/d1/call", [&](const auto& s) { return s["state"] == state; }), timeout).has_value();
  }
  /// baresip calls the intercom, which answers; the call lasts `seconds`, then baresip hangs up.
  void call_from(BaresipPeer& peer, std::chrono::milliseconds length) {
    ASSERT_TRUE(peer.command("dial", intercom_uri())) << peer.log();
    ASSERT_TRUE(call_is("talking")) << peer.log();
    ASSERT_TRUE(peer.wait_event("CALL_ESTABLISHED", 5s)) << peer.log();
    std::this_thread::sleep_for(length);
    ASSERT_TRUE(peer.command("hangup"));
    ASSERT_TRUE(call_is("idle"));
  }
  /// The one recording of the test's call, once written whole (when the call's streams stop).
  WavAudio the_recording() const {
    WavAudio recording;
    const bool read = eventually([&] {
      if (recordings().size() != 1) return false;
      try {
        recording = read_wav(recordings().front());
        return true;
      } catch (const std::exception&) {
        return false;
      }
    }, 5s);
    EXPECT_TRUE(read) << recordings().size() << " recordings";
    return recording;
  }
  std::vector<std::filesystem::path> recordings() const {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::exists(dir() / "recordings"))
      for (const auto& entry : std::filesystem::directory_iterator(dir() / "recordings")) files.push_back(entry.path());
    return files;
  }
};

TEST_F(TelephonyAudioTest, TheIntercomRecordsWhatTheCallerSays) {
  write_tone_wav(dir() / "caller.wav", 700, 30);
  start(config({{"codecs", {"pcmu"}}, {"record_dir", "recordings"}}));
  BaresipPeer peer(dir() / "peer", {.microphone = dir() / "caller.wav"});
  call_from(peer, 3s);
  const auto recording = the_recording();
  EXPECT_GT(recording.seconds(), 2.0);
  EXPECT_GT(tone_share(recording, 700, 0.5), 0.5) << "the recording holds the caller's 700 Hz";
  EXPECT_LT(tone_share(recording, 1000, 0.5), 0.05);
  // Without a sound card here, the line says so.
  const auto audio = probe.wait_for(on_topic("intercom/d1/telephony/audio"), 1s);
  ASSERT_TRUE(audio);
  if (!audio->json()["sound_card"]) {
    EXPECT_EQ(audio->json()["capture"]["state"], "missing") << audio->payload;
  }
}

TEST_F(TelephonyAudioTest, TheCallerHearsTheAnnouncementThenSilenceAndRtpFlowsThroughout) {
  write_tone_wav(dir() / "announcement.wav", 1000, 2);
  start(config({{"codecs", {"pcmu"}}, {"playback_file", "announcement.wav"}}));
  BaresipPeer peer(dir() / "peer", {});
  call_from(peer, 6s);
  ASSERT_EQ(peer.heard().size(), 1u) << peer.log();
  const auto heard = read_wav(peer.heard().front());
  EXPECT_GT(tone_share(heard, 1000, 0.2, 1.5), 0.5) << "the announcement is heard first";
  EXPECT_GT(heard.seconds(), 5.0) << "audio all along the call, after the announcement too (RTP: " << heard.seconds() << " s heard)";
  EXPECT_LT(seconds_of_sound(heard), 3.0) << "after the announcement, silence";
}

TEST_F(TelephonyAudioTest, WithoutASoundCardOrAnnouncementTheCallStillSendsRtp) {
  // Field finding: liblinphone played an empty file name and sent 0 packets; a PBX that ends calls
  // without incoming RTP (after 30 to 60 s) hung up on the door.
  start(config(json::object()));
  BaresipPeer peer(dir() / "peer", {});
  call_from(peer, 5s);
  ASSERT_EQ(peer.heard().size(), 1u) << peer.log();
  EXPECT_GT(read_wav(peer.heard().front()).seconds(), 4.0) << "baresip decoded audio for the whole call";
}

/// The header lines of the first SIP request with this method in baresip's trace ("From: ...").
std::string header_of(const std::string& trace, const std::string& method, const std::string& header) {
  const auto request = trace.find(method + " sip:");
  if (request == std::string::npos) return "";
  const auto line = trace.find("\n" + header + ":", request);
  if (line == std::string::npos) return "";
  return trace.substr(line + 1, trace.find('\n', line + 1) - line - 1);
}

// Field finding: calls and messages went out as sip:linphone@[fd00::2], an address of another
// interface, while the line listened on 127.0.0.1 only; a phone calling back never reached it.
TEST_F(TelephonyAudioTest, AFarEndCallsBackTheAddressTheIntercomGaveIt) {
  // The intercom alone on an address of its own, on SIP's port, as on a LAN.
  sip_port = 5060;
  auto configuration = config(json::object(), {{"listen_address", "127.0.0.33"}, {"port", 5060}});
  start(configuration);
  BaresipPeer peer(dir() / "peer", {});
  probe.publish("intercom/d1/call/set", json{{"action", "dial"}, {"uri", peer.uri()}}.dump());
  const auto incoming = peer.wait_event("CALL_ESTABLISHED", 10s);  // answered by itself
  ASSERT_TRUE(incoming) << peer.log();
  EXPECT_EQ((*incoming)["peeruri"], "sip:d1@127.0.0.33") << "who the intercom says it is";
  const auto trace = peer.log();
  EXPECT_NE(header_of(trace, "INVITE", "From").find("<sip:d1@127.0.0.33>"), std::string::npos) << header_of(trace, "INVITE", "From");
  EXPECT_NE(header_of(trace, "INVITE", "Contact").find("<sip:127.0.0.33;"), std::string::npos) << "SIP's port, not said: " << header_of(trace, "INVITE", "Contact");
  ASSERT_TRUE(call_is("talking"));
  probe.publish("intercom/d1/call/set", R"({"action":"hangup"})");
  ASSERT_TRUE(call_is("idle"));
  probe.clear();

  // The far end calls back the address it got; the intercom answers it (127.0.0.1 is a peer host).
  ASSERT_TRUE(peer.command("dial", (*incoming)["peeruri"].get<std::string>())) << peer.log();
  EXPECT_TRUE(call_is("talking")) << peer.log();
  ASSERT_TRUE(peer.command("hangup"));
  EXPECT_TRUE(call_is("idle"));

  // A message goes out as the same identity.
  probe.publish("intercom/d1/telephony/message/send", json{{"to", peer.uri()}, {"text", "ALERT=IN1_ACTIVE"}, {"request_id", "m-1"}}.dump());
  const auto result = probe.wait_for(on_topic("intercom/d1/telephony/message/result"), 10s);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->json()["delivered"], true) << result->payload;
  EXPECT_NE(header_of(peer.log(), "MESSAGE", "From").find("sip:d1@127.0.0.33"), std::string::npos) << header_of(peer.log(), "MESSAGE", "From");
}

// The media path under load: a call goes on whole while the telephony service's bus is flooded
// with 10,000 commands it must refuse, and while rules fire on inputs that toggle.
TEST_F(TelephonyAudioTest, RtpFlowsWhileTheBusIsFloodedAndRulesFire) {
  GpioProcess gpio(broker, "d1", shipped_config("gpio"));
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  for (const auto* service : {"gpio", "rules"}) ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", service), 10s));
  write_tone_wav(dir() / "caller.wav", 700, 30);
  start(config({{"codecs", {"pcmu"}}, {"record_dir", "recordings"}}));
  BaresipPeer peer(dir() / "peer", {.microphone = dir() / "caller.wav"});
  ASSERT_TRUE(peer.command("dial", intercom_uri())) << peer.log();
  ASSERT_TRUE(call_is("talking")) << peer.log();
  const auto talking_since = std::chrono::steady_clock::now();
  BusProbe flooder(broker, "flooder");
  // The emergency button pressed and let go every 250 ms while the flood lasts (in2 is active after
  // 150 ms low: its debounce and delayed on). Counted in commands, a press once lasted 190 ms of a
  // faster flood and most were filtered out as too short.
  std::atomic<bool> flooding = true;
  std::thread presses([&] {
    BusProbe button(broker, "button");
    for (bool low = true; flooding; low = !low) {
      button.publish("intercom/d1/sim/input/in2/level", low ? R"({"level":"low"})" : R"({"level":"high"})");
      std::this_thread::sleep_for(250ms);
    }
  });
  for (int i = 0; i < 10000; ++i)
    flooder.publish("intercom/d1/call/set", i % 2 ? R"({"action":"levitate"})" : R"({"action":"send_dtmf"})");
  flooding = false;
  presses.join();
  const auto fired = probe.received(on_topic("intercom/d1/rules/fired")).size();
  const double flood_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - talking_since).count();
  std::this_thread::sleep_for(1s);
  ASSERT_TRUE(peer.command("hangup"));
  ASSERT_TRUE(call_is("idle"));
  EXPECT_GT(fired, 5u) << "rules fired during the call";
  EXPECT_GE(probe.wait_for_count(on_topic("intercom/d1/telephony/error"), 10000, 30s), 10000u) << "each refused";
  const auto recording = the_recording();
  std::cout << "[ figures ] 10,000 refused commands and " << fired << " rule firings in " << flood_seconds << " s of a " << recording.seconds()
            << " s call: " << 100 * tone_coverage(recording, 700) << " % of it holds the caller's tone\n";
  EXPECT_GT(tone_coverage(recording, 700), 0.95) << "no gap in what the caller says";
}

// On a LAN, SIP scanners knock all day. A flood of OPTIONS, REGISTER and INVITE from a host that is
// no peer (127.0.0.2) costs no crash, no ringing and no auto-answer, leaks nothing of the account,
// bounded CPU and memory, and a call from a peer host during it goes through with its audio.
TEST_F(TelephonyAudioTest, AScannerFloodCostsBoundedCpuAndACallGoesThroughDuringIt) {
  write_tone_wav(dir() / "caller.wav", 700, 30);
  std::ofstream(dir() / "sip.password") << "pa55-door-7731\n";
  auto configuration = config({{"codecs", {"pcmu"}}, {"record_dir", "recordings"}});
  // An account whose registrar does not answer: its user, host and password must not leak.
  const int registrar_port = free_loopback_udp_port();
  configuration["account"] = {{"registrar", "sip:127.0.0.1:" + std::to_string(registrar_port)}, {"user", "door7731"},
                              {"password_file", "sip.password"}};
  start(configuration);
  probe.clear();
  const auto pid = telephony->process().pid();
  std::this_thread::sleep_for(500ms);
  const double rss_before = rss_mib(pid);
  const double cpu_before = cpu_seconds(pid);
  const auto flood_start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<ChildProcess>> scanners;
  const auto scanner = [&](const std::string& file, int rate, int count, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"/usr/bin/sipp", "-sf", std::string(INTERCOM_SOURCE_DIR) + "/tests/sipp/" + file,
                                  "127.0.0.1:" + std::to_string(sip_port), "-i", "127.0.0.2", "-p", std::to_string(free_loopback_udp_port()),
                                  "-r", std::to_string(rate), "-m", std::to_string(count), "-l", "200", "-nostdin", "-timeout", "60s",
                                  "-trace_msg", "-message_file", (dir() / (file + ".messages")).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    scanners.push_back(std::make_unique<ChildProcess>(args, dir() / (file + ".log")));
  };
  scanner("uac_scan_options.xml", 100, 1500);
  scanner("uac_scan_register.xml", 100, 1500);
  scanner("uac_call_declined.xml", 50, 750, {"-set", "from_uri", "sip:100@127.0.0.2"});

  // A call from the peer host, in the middle of it.
  std::this_thread::sleep_for(3s);
  BaresipPeer peer(dir() / "peer", {.microphone = dir() / "caller.wav"});
  const auto dialled = std::chrono::steady_clock::now();
  call_from(peer, 5s);
  const auto answered_after = std::chrono::duration<double>(std::chrono::steady_clock::now() - dialled).count() - 5;
  // Every request of the flood was answered (sipp exits 0 only then).
  for (auto& process : scanners) EXPECT_EQ(process->wait_exit(60s).value_or(-1), 0) << process->log().substr(0, 3000);
  const double flood_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - flood_start).count();
  const double cpu = cpu_seconds(pid) - cpu_before;
  const double rss_after = rss_mib(pid);
  std::cout << "[ figures ] 3,750 scanner requests (OPTIONS, REGISTER 100/s each, INVITE 50/s) in " << flood_seconds
            << " s: telephony used " << cpu << " s of CPU (" << 100 * cpu / flood_seconds << " % of a core), RSS " << rss_before
            << " -> " << rss_after << " MB; a peer's call answered and hung up " << answered_after << " s after dialling\n";

  EXPECT_TRUE(telephony->process().running());
  // Not a benchmark: it tells a bounded cost from a saturated core (1.0). Measured 22 to 41 % alone
  // here, 53 % with ctest -j2 running the fleet test beside it; the flood's rate is fixed, so a slower
  // machine spends a larger share on it (a clean-clone CI run failed a bound of 0.8).
  EXPECT_LT(cpu / flood_seconds, 1.0) << "bounded CPU";
  EXPECT_LT(rss_after - rss_before, 30) << "bounded memory";
  // No scanner rang the door: every call state is the peer's call.
  for (const auto& state : probe.received(on_topic("intercom/d1/call"))) {
    const auto payload = state.json();
    if (payload.contains("peer")) {
      EXPECT_EQ(payload["peer"].get<std::string>().rfind("sip:peer@", 0), 0u) << state.payload;
    }
  }
  // Refusals are said, but not 750 times.
  const auto reports = probe.received(on_topic("intercom/d1/telephony/error")).size();
  EXPECT_GE(reports, 1u);
  EXPECT_LE(reports, static_cast<std::size_t>(flood_seconds / 10) + 3);
  // Nothing of the account in any answer the scanner got.
  for (const auto* file : {"uac_scan_options.xml", "uac_scan_register.xml", "uac_call_declined.xml"}) {
    std::ifstream in(dir() / (std::string(file) + ".messages"));
    const std::string messages((std::istreambuf_iterator<char>(in)), {});
    EXPECT_FALSE(messages.empty()) << file;
    for (const auto& secret : {std::string("door7731"), std::string("pa55-door"), "127.0.0.1:" + std::to_string(registrar_port)})
      EXPECT_EQ(messages.find(secret), std::string::npos) << secret << " in what " << file << " got";
  }
  // The peer's call was heard all along: of the about 40 windows of 100 ms that tone_coverage
  // judges in the 5 s call, a few at most without the tone (clean-clone CI runs had one in 20 with
  // the scanners at full speed, and failed once; a call cut or muted by the flood loses most).
  const auto recording = the_recording();
  const double coverage = tone_coverage(recording, 700);
  std::cout << "[ figures ] the peer's call: " << recording.seconds() << " s recorded, " << 100 * coverage << " % of it holds the caller's tone\n";
  EXPECT_GE(coverage, 0.85) << recording.seconds() << " s recorded, " << seconds_of_sound(recording) << " s of sound";
}

class TelephonyCodecTest : public TelephonyAudioTest, public ::testing::WithParamInterface<std::pair<std::string, std::string>> {};

// Each codec the intercom offers carries its announcement's tone to a phone that offers them all.
TEST_P(TelephonyCodecTest, TheCodecOfferedCarriesTheTone) {
  const auto& [codec, encoder] = GetParam();
  write_tone_wav(dir() / "announcement.wav", 1000, 3);
  start(config({{"codecs", {codec}}, {"playback_file", "announcement.wav"}}));
  BaresipPeer peer(dir() / "peer", {.codecs = {"opus", "g722", "g711"}});
  call_from(peer, 3500ms);
  // baresip offered all three; its send pipeline ends in the encoder the intercom's answer chose.
  EXPECT_NE(peer.log().find("---> " + encoder), std::string::npos) << "baresip encodes with " << encoder << "\n" << peer.log().substr(0, 6000);
  ASSERT_EQ(peer.heard().size(), 1u) << peer.log();
  const auto heard = read_wav(peer.heard().front());
  EXPECT_GT(tone_share(heard, 1000, 0.3, 2.0), 0.5) << codec << ": the 1000 Hz announcement, " << heard.seconds() << " s heard at " << heard.rate << " Hz";
}

INSTANTIATE_TEST_SUITE_P(Codecs, TelephonyCodecTest,
                         ::testing::Values(std::pair<std::string, std::string>{"pcmu", "PCMU"}, std::pair<std::string, std::string>{"pcma", "PCMA"},
                                           std::pair<std::string, std::string>{"g722", "G722"}, std::pair<std::string, std::string>{"opus", "opus"}),
                         [](const auto& info) { return info.param.first; });

}  // namespace
}  // namespace intercom::testing
