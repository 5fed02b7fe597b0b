#include "intercom/util/strict_json.hpp"

#include <optional>
#include <set>
#include <vector>

namespace intercom {
namespace {

/// Where the parser is: one frame per open object or array.
struct Frame {
  bool is_array = false;
  long index = -1;               ///< arrays: the element being read
  std::string key;               ///< objects: the name being read
  std::set<std::string> names;   ///< objects: the names seen so far
};

/// The pointer of the innermost open container, from the frames below it.
std::string pointer_of(const std::vector<Frame>& frames) {
  nlohmann::json::json_pointer pointer;
  for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
    if (frames[i].is_array) pointer /= static_cast<std::size_t>(frames[i].index);
    else pointer /= frames[i].key;
  }
  return pointer.to_string();
}

}  // namespace

std::string JsonError::to_string() const { return (pointer.empty() ? "/" : pointer) + ": " + message; }

std::variant<nlohmann::json, JsonError> parse_strict_json(std::string_view text) {
  using Event = nlohmann::json::parse_event_t;
  std::vector<Frame> frames;
  std::optional<JsonError> duplicate;
  // A value starting inside an array moves that array to its next index.
  auto value_starts = [&frames] {
    if (!frames.empty() && frames.back().is_array) ++frames.back().index;
  };
  auto watch = [&](int /*depth*/, Event event, nlohmann::json& parsed) {
    switch (event) {
      case Event::object_start:
        value_starts();
        frames.push_back(Frame{});
        break;
      case Event::array_start:
        value_starts();
        frames.push_back(Frame{.is_array = true});
        break;
      case Event::key: {
        auto& frame = frames.back();
        frame.key = parsed.get<std::string>();
        if (!frame.names.insert(frame.key).second && !duplicate)
          duplicate = JsonError{JsonError::Kind::duplicate_key, pointer_of(frames),
                                "the name \"" + frame.key + "\" appears more than once in this object; each name may appear once"};
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames.pop_back();
        break;
      case Event::value:
        value_starts();
        break;
    }
    return true;
  };
  auto document = nlohmann::json::parse(text, watch, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    // Parsed again only to name the place: invalid input is rare and the message is worth it.
    try {
      const auto unreachable = nlohmann::json::parse(text);  // throws: the text did not parse above
      (void)unreachable;
    } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range for 1e400
      return JsonError{JsonError::Kind::syntax, "", std::string("not valid JSON: ") + error.what()};
    }
    return JsonError{JsonError::Kind::syntax, "", "not valid JSON"};
  }
  if (duplicate) return *duplicate;
  return document;
}

}  // namespace intercom
