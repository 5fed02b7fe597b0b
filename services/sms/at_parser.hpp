#pragma once
/// What a GSM modem says, in 3GPP TS 27.005 text mode: framing of the byte stream into lines and the
/// '>' prompt, and the parsing of the responses the sms service uses. Pure: no I/O, no clock.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace intercom::sms {

/// One piece of the modem's output.
struct AtToken {
  enum class Kind { line, prompt };
  Kind kind = Kind::line;
  std::string text;  ///< the line without its CR/LF; empty for the prompt
};

/// Cuts the modem's byte stream into lines however the reads split or join them. Lines end in CR,
/// LF or both; empty lines are skipped. The "> " prompt of AT+CMGS ends no line, so it is only
/// recognised when the caller says one is due: a text line that starts with '>' stays a line.
class AtLineReader {
 public:
  /// Longest line kept; a modem that sends more without a line end is talking garbage.
  static constexpr std::size_t kMaxLine = 4096;

  void feed(std::string_view bytes);

  /// The next complete token, or nothing until more bytes come.
  std::optional<AtToken> next(bool prompt_expected);

  /// Forgets everything buffered (after the port is reopened).
  void clear();

 private:
  std::string buffer_;
  bool skip_space_after_prompt_ = false;
};

/// A final result code: the end of a command's response.
struct FinalResult {
  bool ok = false;
  std::string error;  ///< "ERROR", "+CMS ERROR: 330 (SMSC address unknown)", ...
};

/// OK, ERROR, +CME ERROR: <n> and +CMS ERROR: <n> (with the meaning of common codes), or nothing
/// for any other line.
std::optional<FinalResult> parse_final_result(std::string_view line);

/// The storage index of a new-message indication `+CMTI: "SM",3`.
std::optional<int> parse_cmti(std::string_view line);

/// The header of a stored message, from `+CMGR: <stat>,<oa>,[<alpha>],<scts>` or
/// `+CMGL: <index>,<stat>,<oa>,[<alpha>],<scts>`. The text follows on the next lines.
struct StoredMessageHeader {
  int index = -1;  ///< from +CMGL only
  std::string status;  ///< "REC UNREAD", "REC READ", "STO SENT", ...
  std::string sender;
  std::string timestamp;  ///< the service centre time stamp as the modem wrote it
};
std::optional<StoredMessageHeader> parse_cmgr_header(std::string_view line);
std::optional<StoredMessageHeader> parse_cmgl_header(std::string_view line);

/// The message reference of `+CMGS: <mr>`.
std::optional<int> parse_cmgs(std::string_view line);

/// A service centre time stamp "yy/MM/dd,hh:mm:ss±zz" (zz in quarters of an hour) as UTC.
std::optional<std::chrono::system_clock::time_point> parse_scts(std::string_view timestamp);

/// The same form, for the modem simulator: the time in UTC ("+00").
std::string format_scts(std::chrono::system_clock::time_point time);

/// What a +CMS ERROR code means (TS 27.005 §3.2.5), for the ones modems commonly give.
std::string describe_cms_error(int code);

}  // namespace intercom::sms
