#include "hostile_payloads.hpp"

#include <random>
#include <stdexcept>

namespace intercom::testing {
namespace {

/// The example dumped with member `key` replaced by raw text (not JSON-encoded).
std::string with_raw_value(const nlohmann::json& example, const std::string& key, const std::string& raw) {
  auto copy = example;
  const std::string marker = "\x01raw-value-marker\x01";
  copy[key] = marker;
  auto text = copy.dump();
  const auto quoted = nlohmann::json(marker).dump();
  text.replace(text.find(quoted), quoted.size(), raw);
  return text;
}

std::string deep(std::size_t depth, bool objects) {
  std::string text;
  text.reserve(depth * 6);
  for (std::size_t i = 0; i < depth; ++i) text += objects ? "{\"a\":" : "[";
  text += "1";
  for (std::size_t i = 0; i < depth; ++i) text += objects ? "}" : "]";
  return text;
}

}  // namespace

std::vector<HostilePayload> hostile_payloads(const nlohmann::json& example, const HostileOptions& options) {
  if (!example.is_object() || example.empty()) throw std::invalid_argument("hostile_payloads needs an object with members");
  std::vector<std::string> keys;
  for (const auto& [key, value] : example.items()) keys.push_back(key);
  const auto valid = example.dump();
  std::mt19937 random(options.seed);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  const std::vector<nlohmann::json> other_types{123, "text", true, nullptr, nlohmann::json::array({1}), nlohmann::json{{"a", 1}}, 1.5, -7};
  const std::vector<std::string> huge_numbers{"1e400", "-1e400", "18446744073709551616", "1e309", "-18446744073709551617",
                                              "123456789012345678901234567890"};
  const std::vector<std::string> bad_utf8{"\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "abc\x80", "\xf8\x88\x80\x80\x80", "\xe2\x82"};

  std::vector<HostilePayload> payloads;
  std::size_t large_made = 0;
  for (std::size_t i = 0; payloads.size() < options.count; ++i) {
    const auto& key = keys[i % keys.size()];
    switch (i % 9) {
      case 0: {
        std::string bytes(1 + pick(200), '\0');
        for (auto& byte : bytes) byte = static_cast<char>(random() & 0xff);
        payloads.push_back({"random bytes", bytes});
        break;
      }
      case 1:
        payloads.push_back({"truncated", valid.substr(0, 1 + pick(valid.size() - 1))});
        break;
      case 2: {
        nlohmann::json replacement;
        do replacement = other_types[pick(other_types.size())];
        while (replacement.type() == example[key].type());
        auto copy = example;
        copy[key] = replacement;
        payloads.push_back({"wrong type", copy.dump()});
        break;
      }
      case 3:
        payloads.push_back({"huge number", with_raw_value(example, key, huge_numbers[pick(huge_numbers.size())])});
        break;
      case 4:
        payloads.push_back({"deep nesting", pick(2) == 0 ? deep(10000, false) : with_raw_value(example, key, deep(10000, true))});
        break;
      case 5:
        if (large_made < options.large) {
          ++large_made;
          auto copy = example;
          copy[key] = std::string(1024 * 1024, 'x');
          payloads.push_back({"1 MB string", copy.dump()});
        } else {
          payloads.push_back({"long string", with_raw_value(example, key, nlohmann::json(std::string(5000 + pick(5000), 'y')).dump())});
        }
        break;
      case 6:
        payloads.push_back({"invalid UTF-8", with_raw_value(example, key, "\"" + bad_utf8[pick(bad_utf8.size())] + "\"")});
        break;
      case 7:
        if (options.include_empty) payloads.push_back({"empty", ""});
        else payloads.push_back({"whitespace", std::string(1 + pick(3), ' ')});
        break;
      case 8: {
        // The same member twice: which one counts differs between parsers, so neither may.
        auto text = valid;
        text.insert(1, nlohmann::json(key).dump() + ":" + other_types[pick(other_types.size())].dump() + ",");
        payloads.push_back({"duplicate key", text});
        break;
      }
    }
  }
  return payloads;
}

}  // namespace intercom::testing
