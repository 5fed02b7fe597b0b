#include "modem_simulator.hpp"

#include <cctype>
#include <utility>

#include "at_parser.hpp"

namespace intercom::sms {
namespace {

constexpr char kCtrlZ = '\x1a';
constexpr char kEscape = '\x1b';
constexpr int kMemorySlots = 30;

std::string result(std::string_view text) { return "\r\n" + std::string(text) + "\r\n"; }
const std::string kOk = result("OK");
const std::string kError = result("ERROR");

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string unquote(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  return std::string(text);
}

std::optional<int> number_after(const std::string& command, std::string_view prefix) {
  if (command.rfind(prefix, 0) != 0) return std::nullopt;
  const auto rest = command.substr(prefix.size());
  const auto comma = rest.find(',');
  const auto digits = rest.substr(0, comma);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(digits);
}

std::string cms_error(int code) { return result("+CMS ERROR: " + std::to_string(code)); }

}  // namespace

std::string ModemSimulator::on_bytes(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    if (entering_text_for_) {
      if (c == kCtrlZ) {
        out += finish_text_entry();
      } else if (c == kEscape) {
        entering_text_for_.reset();
        line_.clear();
        if (answering_) out += kOk;
      } else {
        line_ += c;
        if (echo_ && answering_) out += c;
      }
      continue;
    }
    if (c == kEscape) {
      line_.clear();
      continue;
    }
    if (c == '\n') continue;
    if (echo_ && answering_) out += c;
    if (c != '\r') {
      line_ += c;
      continue;
    }
    const auto command = std::exchange(line_, {});
    if (command.empty()) continue;
    const auto answer = execute(command);
    if (answering_) out += answer;
  }
  return answering_ ? out : std::string{};
}

std::string ModemSimulator::execute(const std::string& raw) {
  const auto command = upper(raw);
  if (command.rfind("AT", 0) != 0) return kError;
  if (command == "AT") return kOk;
  if (command == "ATE0" || command == "ATE1") {
    echo_ = command == "ATE1";
    return kOk;
  }
  if (command.rfind("AT+CMEE=", 0) == 0) return kOk;
  if (command == "AT+CMGF=1" || command == "AT+CMGF=0") {
    text_mode_ = command == "AT+CMGF=1";
    return kOk;
  }
  if (command.rfind("AT+CSCS=", 0) == 0) return kOk;
  if (command.rfind("AT+CNMI=", 0) == 0) {
    indications_ = command.size() > 10 && command[10] != '0';  // <mt> (the second value) 0: no indications
    return kOk;
  }
  if (!text_mode_ && (command.rfind("AT+CMGR", 0) == 0 || command.rfind("AT+CMGL", 0) == 0 ||
                      command.rfind("AT+CMGS", 0) == 0))
    return cms_error(304);  // this simulator speaks text mode only
  if (const auto index = number_after(command, "AT+CMGR=")) {
    const auto found = memory_.find(*index);
    if (found == memory_.end()) return cms_error(321);
    auto& sms = found->second;
    const auto header = "+CMGR: \"" + sms.status + "\",\"" + sms.from + "\",,\"" + sms.timestamp + "\"";
    sms.status = "REC READ";
    return "\r\n" + header + "\r\n" + sms.text + "\r\n" + kOk;
  }
  if (command.rfind("AT+CMGL", 0) == 0) {
    const auto wanted = command.size() > 8 ? unquote(command.substr(8)) : std::string("REC UNREAD");
    std::string out;
    for (auto& [index, sms] : memory_) {
      if (wanted != "ALL" && wanted != sms.status) continue;
      out += "\r\n+CMGL: " + std::to_string(index) + ",\"" + sms.status + "\",\"" + sms.from + "\",,\"" +
             sms.timestamp + "\"\r\n" + sms.text;
      sms.status = "REC READ";
    }
    return out + (out.empty() ? "" : "\r\n") + kOk;
  }
  if (const auto index = number_after(command, "AT+CMGD=")) {
    memory_.erase(*index);
    return kOk;
  }
  if (command.rfind("AT+CMGS=", 0) == 0) {
    entering_text_for_ = unquote(raw.substr(8));
    return "\r\n> ";
  }
  return kError;
}

std::string ModemSimulator::finish_text_entry() {
  const auto to = std::exchange(entering_text_for_, std::nullopt);
  const auto text = std::exchange(line_, {});
  if (!answering_) return {};
  if (send_error_) return cms_error(*send_error_);
  sent_.push_back({*to, text});
  return "\r\n+CMGS: " + std::to_string(next_reference_++) + "\r\n" + kOk;
}

std::string ModemSimulator::deliver(const std::string& from, const std::string& text,
                                    std::chrono::system_clock::time_point sent_at) {
  int index = 1;
  while (memory_.count(index)) ++index;
  if (index > kMemorySlots) return {};  // memory full: the network keeps it, as a full SIM does
  memory_[index] = {"REC UNREAD", from, text, format_scts(sent_at)};
  if (!indications_ || !answering_) return {};
  return result("+CMTI: \"SM\"," + std::to_string(index));
}

}  // namespace intercom::sms
