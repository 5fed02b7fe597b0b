#include "at_parser.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <vector>

namespace intercom::sms {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::optional<int> to_int(std::string_view text) {
  text = trim_spaces(text);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

/// The comma-separated parameters after "<prefix>", quotes removed; a comma inside quotes (as in a
/// time stamp) does not separate. Nothing if the line does not start with the prefix or a quote is
/// not closed.
std::optional<std::vector<std::string>> parameters(std::string_view line, std::string_view prefix) {
  if (!starts_with(line, prefix)) return std::nullopt;
  line.remove_prefix(prefix.size());
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields.emplace_back();
    else fields.back() += c;
  }
  if (quoted) return std::nullopt;
  for (auto& field : fields) field = std::string(trim_spaces(field));
  return fields;
}

std::optional<StoredMessageHeader> header_from(const std::vector<std::string>& fields, std::size_t first) {
  // <stat>,<oa>,[<alpha>],<scts> and possibly more (type of address, length) in detailed mode.
  if (fields.size() < first + 2) return std::nullopt;
  StoredMessageHeader header;
  header.status = fields[first];
  header.sender = fields[first + 1];
  if (fields.size() >= first + 4) header.timestamp = fields[first + 3];
  if (header.status.empty()) return std::nullopt;
  return header;
}

}  // namespace

void AtLineReader::feed(std::string_view bytes) {
  if (skip_space_after_prompt_ && !bytes.empty()) {
    skip_space_after_prompt_ = false;
    if (bytes.front() == ' ') bytes.remove_prefix(1);
  }
  buffer_.append(bytes);
}

std::optional<AtToken> AtLineReader::next(bool prompt_expected) {
  while (true) {
    const auto start = buffer_.find_first_not_of("\r\n");
    if (start == std::string::npos) {
      buffer_.clear();
      return std::nullopt;
    }
    buffer_.erase(0, start);
    if (prompt_expected && buffer_.front() == '>') {
      // "> " has no line end; a lone '>' may have its space still on the way.
      const bool space_here = buffer_.size() > 1 && buffer_[1] == ' ';
      buffer_.erase(0, space_here ? 2 : 1);
      skip_space_after_prompt_ = !space_here && buffer_.empty();
      return AtToken{AtToken::Kind::prompt, {}};
    }
    const auto end = buffer_.find_first_of("\r\n");
    if (end == std::string::npos) {
      if (buffer_.size() > kMaxLine) buffer_.clear();
      return std::nullopt;
    }
    AtToken token{AtToken::Kind::line, buffer_.substr(0, end)};
    buffer_.erase(0, end);
    return token;
  }
}

void AtLineReader::clear() {
  buffer_.clear();
  skip_space_after_prompt_ = false;
}

std::optional<FinalResult> parse_final_result(std::string_view line) {
  line = trim_spaces(line);
  if (line == "OK") return FinalResult{true, {}};
  if (line == "ERROR") return FinalResult{false, "ERROR"};
  if (starts_with(line, "+CME ERROR:")) return FinalResult{false, std::string(line)};
  if (starts_with(line, "+CMS ERROR:")) {
    std::string error(line);
    if (const auto code = to_int(line.substr(11))) error += " (" + describe_cms_error(*code) + ")";
    return FinalResult{false, error};
  }
  return std::nullopt;
}

std::optional<int> parse_cmti(std::string_view line) {
  const auto fields = parameters(line, "+CMTI:");
  if (!fields || fields->size() != 2) return std::nullopt;
  const auto index = to_int((*fields)[1]);
  if (!index || *index < 0) return std::nullopt;
  return index;
}

std::optional<StoredMessageHeader> parse_cmgr_header(std::string_view line) {
  const auto fields = parameters(line, "+CMGR:");
  if (!fields) return std::nullopt;
  return header_from(*fields, 0);
}

std::optional<StoredMessageHeader> parse_cmgl_header(std::string_view line) {
  const auto fields = parameters(line, "+CMGL:");
  if (!fields || fields->empty()) return std::nullopt;
  const auto index = to_int((*fields)[0]);
  if (!index || *index < 0) return std::nullopt;
  auto header = header_from(*fields, 1);
  if (header) header->index = *index;
  return header;
}

std::optional<int> parse_cmgs(std::string_view line) {
  const auto fields = parameters(line, "+CMGS:");
  if (!fields || fields->empty()) return std::nullopt;
  return to_int((*fields)[0]);
}

std::optional<std::chrono::system_clock::time_point> parse_scts(std::string_view timestamp) {
  // yy/MM/dd,hh:mm:ss±zz
  if (timestamp.size() != 20 || timestamp[2] != '/' || timestamp[5] != '/' || timestamp[8] != ',' ||
      timestamp[11] != ':' || timestamp[14] != ':' || (timestamp[17] != '+' && timestamp[17] != '-'))
    return std::nullopt;
  const auto field = [&](std::size_t at) { return to_int(timestamp.substr(at, 2)); };
  const auto year = field(0), month = field(3), day = field(6), hour = field(9), minute = field(12),
             second = field(15), quarters = field(18);
  if (!year || !month || !day || !hour || !minute || !second || !quarters) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{std::chrono::year(2000 + *year), std::chrono::month(static_cast<unsigned>(*month)),
                            std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60 || *quarters > 96) return std::nullopt;
  const auto local = sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second);
  const auto offset = minutes(15 * *quarters);
  return timestamp[17] == '+' ? local - offset : local + offset;
}

std::string format_scts(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::snprintf(text, sizeof text, "%02d/%02d/%02d,%02d:%02d:%02d+00", utc.tm_year % 100, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return text;
}

std::string describe_cms_error(int code) {
  switch (code) {
    case 300: return "ME failure";
    case 302: return "operation not allowed";
    case 303: return "operation not supported";
    case 304: return "invalid PDU mode parameter";
    case 305: return "invalid text mode parameter";
    case 310: return "SIM not inserted";
    case 311: return "SIM PIN required";
    case 313: return "SIM failure";
    case 314: return "SIM busy";
    case 321: return "invalid memory index";
    case 322: return "memory full";
    case 330: return "SMSC address unknown";
    case 331: return "no network service";
    case 332: return "network timeout";
    case 500: return "unknown error";
    default: return "error " + std::to_string(code);
  }
}

}  // namespace intercom::sms
