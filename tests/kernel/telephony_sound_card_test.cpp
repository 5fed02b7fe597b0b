// The telephony service on a real ALSA sound card: the kernel's loopback card (snd-aloop) in the
// kernel VM, wired as a board's codec is. Its loudspeaker is one loopback pair, whose other end the
// test records (an ear at the speaker); its microphone is another pair, into which the test plays
// (a voice at the microphone). baresip calls; a tone goes each way through the card and the call.
#include <fstream>

#include <gtest/gtest.h>

#include "alsa_stream.hpp"
#include "baresip_peer.hpp"
#include "bus_probe.hpp"
#include "service_process.hpp"
#include "wav_audio.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// snd-aloop: what is played into device 0 of a pair is captured from device 1, and the other way.
const std::string kSpeaker = "plughw:CARD=Loopback,DEV=0,SUBDEV=0";
const std::string kEarAtTheSpeaker = "plughw:CARD=Loopback,DEV=1,SUBDEV=0";
const std::string kVoiceAtTheMicrophone = "plughw:CARD=Loopback,DEV=0,SUBDEV=1";
const std::string kMicrophone = "plughw:CARD=Loopback,DEV=1,SUBDEV=1";

class TelephonySoundCardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { (void)std::system("busybox modprobe snd-aloop 2>/dev/null"); }
  void SetUp() override {
    if (!std::filesystem::exists("/proc/asound/Loopback")) GTEST_SKIP() << "no ALSA loopback card here: run in the kernel VM (ctest -L kernel)";
    probe.subscribe("intercom/#");
  }
  void TearDown() override {
    if (!figures.empty()) std::cout << "[ figures ] " << figures << "\n";
    if (!HasFailure() || !telephony) return;
    std::cerr << telephony->process().log().substr(0, 20000);
    // What mediastreamer said of the sound card.
    std::ifstream linphone_log(broker.directory() / "telephony" / "linphone.log");
    for (std::string line; std::getline(linphone_log, line);)
      if (line.find("lsa") != std::string::npos || line.find("snd") != std::string::npos || line.find("ard") != std::string::npos || line.find("plughw") != std::string::npos || line.find("evice") != std::string::npos)
        std::cerr << line.substr(0, 300) << "\n";
    // Said again last: a CI log keeps the end of what a test printed.
    const auto& result = *::testing::UnitTest::GetInstance()->current_test_info()->result();
    for (int part = 0; part < result.total_part_count(); ++part)
      if (result.GetTestPartResult(part).failed())
        std::cerr << "[ failed   ] line " << result.GetTestPartResult(part).line_number() << ": " << result.GetTestPartResult(part).summary() << "\n";
  }
  json config(const json& audio) const {
    const int media = free_loopback_udp_port(102);
    return {{"backend", "linphone"},
            {"sip",
             {{"listen_address", "127.0.0.1"}, {"port", sip_port}, {"media_port_min", media}, {"media_port_max", media + 100},
              {"peer_hosts", {"127.0.0.1"}}, {"data_dir", (broker.directory() / "telephony").string()}}},
            {"auto_answer", {{"enabled", true}, {"allow", {"sip:peer@*"}}}},
            {"audio", audio}};
  }
  /// The share of a tone second by second ("0.62 0.71 ..."), to show where a sound went missing.
  static std::string second_by_second(const WavAudio& audio, double frequency) {
    std::string shares;
    for (int second = 0; second < static_cast<int>(audio.seconds()); ++second)
      shares += " " + std::to_string(tone_share(audio, frequency, second, 1)).substr(0, 4);
    return shares;
  }
  /// baresip calls the intercom, which answers; the call lasts this long.
  void call_from(BaresipPeer& caller, std::chrono::milliseconds length) {
    ASSERT_TRUE(caller.command("dial", "sip:d1@127.0.0.1:" + std::to_string(sip_port))) << caller.log();
    ASSERT_TRUE(call_is("talking")) << caller.log();
    ASSERT_TRUE(caller.wait_event("CALL_ESTABLISHED", 10s)) << caller.log();
    std::this_thread::sleep_for(length);
  }
  bool call_is(const std::string& state, std::chrono::milliseconds timeout = 15s) {
    return probe.wait_for(on_topic_where("intercom/d1/call", [&](const json& s) { return s["state"] == state; }), timeout).has_value();
  }

  TestBroker broker;
  BusProbe probe{broker, "probe"};
  int sip_port = free_loopback_udp_port();
  std::unique_ptr<ServiceProcess> telephony;
  std::string figures;  // what was measured, printed whether or not the test passes
};

// The instruments first: what the test plays into one end of a pair, it records from the other.
TEST_F(TelephonySoundCardTest, TheLoopbackCardLoopsBack) {
  write_tone_wav(broker.directory() / "tone.wav", 500, 1);
  AlsaPlayer player(kVoiceAtTheMicrophone, read_wav(broker.directory() / "tone.wav"));
  const auto recorded = alsa_record(kMicrophone, 2);
  EXPECT_GT(tone_share(recorded, 500, 0.5), 0.5);
}

// Both talk at once, as a test of the path: with the echo canceller off (see the next test).
TEST_F(TelephonySoundCardTest, AToneGoesEachWayThroughTheCardAndTheCall) {
  const auto dir = broker.directory();
  write_tone_wav(dir / "caller.wav", 700, 60);
  write_tone_wav(dir / "visitor.wav", 1300, 2);
  telephony = std::make_unique<ServiceProcess>(
      broker, "telephony", "d1", config({{"capture", kMicrophone}, {"playback", kSpeaker}, {"codecs", {"pcmu"}}, {"echo_cancellation", false}}));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "telephony"), 20s)) << telephony->process().log();
  const auto audio = probe.wait_for(on_topic("intercom/d1/telephony/audio"), 5s);
  ASSERT_TRUE(audio);
  EXPECT_EQ(audio->json()["sound_card"], true) << audio->payload;
  EXPECT_EQ(audio->json()["capture"]["device"], kMicrophone) << audio->payload;

  // The visitor speaks at the door (1300 Hz into the microphone) while the caller says 700 Hz.
  AlsaPlayer visitor(kVoiceAtTheMicrophone, read_wav(dir / "visitor.wav"));
  BaresipPeer caller(dir / "peer", {.microphone = dir / "caller.wav"});
  call_from(caller, 1s);
  // The door's loudspeaker says what the caller says.
  const auto at_the_door = alsa_record(kEarAtTheSpeaker, 4);
  ASSERT_TRUE(caller.command("hangup"));
  ASSERT_TRUE(call_is("idle"));
  // Counted in 0.1 s windows, not as one share of the whole: under TCG the loopback card now and
  // then glitches, and one loud burst outweighed three clean seconds in CI (0.99 0.99 0.07 0.99 by
  // the second, 0.11 over the whole). Most of the call must carry the caller.
  EXPECT_GT(tone_coverage(at_the_door, 700), 0.7) << "the caller's 700 Hz from the speaker:" << second_by_second(at_the_door, 700);
  EXPECT_LT(tone_share(at_the_door, 1300, 0.5), 0.1) << "not the microphone's own sound";

  // The caller hears the visitor.
  ASSERT_TRUE(eventually([&] { return caller.heard().size() == 1; }, 5s)) << caller.log();
  const auto heard = read_wav(caller.heard().front());
  EXPECT_GT(heard.seconds(), 4.0);
  // In windows too: a clean-clone CI run failed here once, in a TCG VM beside a loaded core.
  EXPECT_GT(tone_coverage(heard, 1300), 0.7) << "the visitor's 1300 Hz at the caller:" << second_by_second(heard, 1300);
  EXPECT_LT(tone_share(heard, 700, 1.0), 0.1);
  figures = "caller's 700 Hz at the door:" + second_by_second(at_the_door, 700) + "; visitor's 1300 Hz at the caller:" + second_by_second(heard, 1300);
}

// The shipped setting: the echo canceller on. It lets the visitor through while the caller is
// silent; while both talk at once (two steady tones), it holds the visitor back as it would an echo
// (measured here: 0.13 of the tone in the first second, then none), as speakerphones do.
TEST_F(TelephonySoundCardTest, WithTheEchoCancellerTheCallerHearsTheVisitor) {
  const auto dir = broker.directory();
  write_tone_wav(dir / "visitor.wav", 1300, 2);
  telephony = std::make_unique<ServiceProcess>(broker, "telephony", "d1", config({{"capture", kMicrophone}, {"playback", kSpeaker}, {"codecs", {"pcmu"}}}));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "telephony"), 20s)) << telephony->process().log();
  AlsaPlayer visitor(kVoiceAtTheMicrophone, read_wav(dir / "visitor.wav"));
  BaresipPeer caller(dir / "peer", {});
  call_from(caller, 5s);
  ASSERT_TRUE(caller.command("hangup"));
  ASSERT_TRUE(call_is("idle"));
  ASSERT_TRUE(eventually([&] { return caller.heard().size() == 1; }, 5s)) << caller.log();
  const auto heard = read_wav(caller.heard().front());
  EXPECT_GT(tone_share(heard, 1300, 1.0), 0.5) << "the visitor's 1300 Hz at the caller:" << second_by_second(heard, 1300);
}

}  // namespace
}  // namespace intercom::testing

