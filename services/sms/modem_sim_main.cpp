// intercom-modem-sim: a simulated GSM modem on a pseudo-terminal, for trying the sms service without
// a modem. Point config/sms.json's modem.device at the link, then type on standard input:
//   deliver <from> <text...>   a text arrives from the network, e.g. deliver +4915112345678 ALERT=OUT1_SOS
//   mute | answer              the modem stops answering, or answers again
//   fail <cms code> | succeed  sends fail with +CMS ERROR: <code> (331: no network), or work again
//   unplug | plug              the device disappears, or comes back
// Every text the modem sends is printed as "sent <to> <text>". Without a terminal (standard input at
// its end) it keeps running until SIGINT or SIGTERM. One loop runs the pty and standard input.
#include <unistd.h>

#include <iostream>
#include <sstream>
#include <string>

#include <utility>
#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/streambuf.hpp>
#include <CLI/CLI.hpp>

#include "pty_modem.hpp"

namespace {

void obey(intercom::sms::PtyModem& modem, const std::string& line) {
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

/// Reads standard input line by line on the loop until it ends.
class CommandReader {
 public:
  CommandReader(boost::asio::io_context& io, intercom::sms::PtyModem& modem) : input_(io), modem_(modem) {
    boost::system::error_code error;
    input_.assign(::dup(STDIN_FILENO), error);
    if (error) std::cout << "standard input cannot be read (" << error.message() << "): no commands" << std::endl;
    else read();
  }
  void close() {
    boost::system::error_code ignored;
    input_.close(ignored);
  }

 private:
  void read() {
    boost::asio::async_read_until(input_, buffer_, '\n', [this](boost::system::error_code error, std::size_t size) {
      if (error) return;  // the end of the input, or closed: the modem stays until a signal
      std::string line(boost::asio::buffers_begin(buffer_.data()), boost::asio::buffers_begin(buffer_.data()) + size - 1);
      buffer_.consume(size);
      obey(modem_, line);
      read();
    });
  }

  boost::asio::posix::stream_descriptor input_;
  boost::asio::streambuf buffer_;
  intercom::sms::PtyModem& modem_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"intercom-modem-sim: a simulated GSM modem on a pseudo-terminal"};
  std::string link = "var/modem-sim/tty";
  app.add_option("--link", link, "where to link the pseudo-terminal (the modem.device to configure)");
  CLI11_PARSE(app, argc, argv);

  boost::asio::io_context io;
  intercom::sms::PtyModem modem(io, link);
  modem.on_sent([](const intercom::sms::ModemSimulator::SentSms& sms) {
    std::cout << "sent " << sms.to << ' ' << sms.text << std::endl;
  });
  CommandReader commands(io, modem);
  std::cout << "modem on " << link << "; commands: deliver <from> <text>, mute, answer, fail <code>, succeed, unplug, plug"
            << std::endl;
  // A signal ends the work on the loop, and with it the loop.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code error, int) {
    if (error) return;
    commands.close();
    modem.close();
  });
  io.run();
}
