// intercom-modem-sim: a simulated GSM modem on a pseudo-terminal, for trying the sms service without
// a modem. Point config/sms.json's modem.device at the link, then type on standard input:
//   deliver <from> <text...>   a text arrives from the network, e.g. deliver +4915112345678 ALERT=OUT1_SOS
//   mute | answer              the modem stops answering, or answers again
//   fail <cms code> | succeed  sends fail with +CMS ERROR: <code> (331: no network), or work again
//   unplug | plug              the device disappears, or comes back
// Every text the modem sends is printed as "sent <to> <text>". Without a terminal (standard input at
// its end) it keeps running until SIGINT or SIGTERM.
#include <unistd.h>

#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "pty_modem.hpp"

int main(int argc, char** argv) {
  CLI::App app{"intercom-modem-sim: a simulated GSM modem on a pseudo-terminal"};
  std::string link = "var/modem-sim/tty";
  app.add_option("--link", link, "where to link the pseudo-terminal (the modem.device to configure)");
  CLI11_PARSE(app, argc, argv);

  intercom::sms::PtyModem modem(link);
  modem.on_sent([](const intercom::sms::ModemSimulator::SentSms& sms) {
    std::cout << "sent " << sms.to << ' ' << sms.text << std::endl;
  });
  std::cout << "modem on " << link << "; commands: deliver <from> <text>, mute, answer, fail <code>, succeed, unplug, plug"
            << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string command;
    words >> command;
    if (command == "deliver") {
      std::string from, text;
      words >> from;
      std::getline(words >> std::ws, text);
      modem.deliver(from, text);
    } else if (command == "mute" || command == "answer") {
      modem.set_answering(command == "answer");
    } else if (command == "fail") {
      int code = 500;
      words >> code;
      modem.fail_sends_with(code);
    } else if (command == "succeed") {
      modem.fail_sends_with(std::nullopt);
    } else if (command == "unplug") {
      modem.unplug();
    } else if (command == "plug") {
      modem.plug();
    } else if (!command.empty()) {
      std::cout << "unknown command: " << command << std::endl;
    }
  }
  while (true) pause();  // the modem stays until a signal ends the process
}
