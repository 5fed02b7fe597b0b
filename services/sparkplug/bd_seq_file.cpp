#include "bd_seq_file.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace intercom::sparkplug {

std::optional<std::uint64_t> BdSeqFile::read(std::string& problem) const {
  std::ifstream in(file_);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto content = text.str();
  while (!content.empty() && (content.back() == '\n' || content.back() == ' ')) content.pop_back();
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(content.data(), content.data() + content.size(), value);
  if (error != std::errc{} || end != content.data() + content.size() || value > 255) {
    problem = file_.string() + " does not hold a bdSeq from 0 to 255";
    return std::nullopt;
  }
  return value;
}

void BdSeqFile::write(std::uint64_t bd_seq) const {
  std::error_code error;
  std::filesystem::create_directories(file_.parent_path(), error);
  auto temporary = file_;
  temporary += ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << bd_seq << "\n";
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, file_, error);
  if (error) throw std::runtime_error("cannot rename " + temporary.string() + " to " + file_.string() + ": " + error.message());
}

}  // namespace intercom::sparkplug
