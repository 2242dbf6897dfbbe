// An RFC 4180 record scanner over a buffer that is already in memory: quoted fields, doubled quotes, line
// breaks inside quotes, CRLF / LF / CR line ends; empty lines are skipped. No allocation per record once the
// field vector and the unescape scratch have grown.
// Thread-safety: one scanner per thread; the buffer must outlive the views it hands out.
#ifndef TOLLGUARD_TOOLS_REPLAY_CSV_SCANNER_H_
#define TOLLGUARD_TOOLS_REPLAY_CSV_SCANNER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tollguard::replay {

struct CsvRecord {
  std::string_view raw;                  // the record's text without its line end (quotes as in the input)
  uint32_t line = 0;                     // 1-based line of its first character
  std::vector<std::string_view> fields;  // unquoted values; valid until the next Next()
  const char* error = nullptr;           // static text when the record is malformed; fields are partial then
};

class CsvScanner {
 public:
  explicit CsvScanner(std::string_view text, uint32_t first_line = 1) : p_(text.data()), end_(p_ + text.size()), line_(first_line) {}

  // Reads the next non-empty record into *rec. Returns false at the end of the text.
  bool Next(CsvRecord* rec);

  // True when a field view points into the scanner's scratch (an unescaped quoted field) rather than the text.
  bool InScratch(std::string_view field) const {
    return !scratch_.empty() && field.data() >= scratch_.data() && field.data() < scratch_.data() + scratch_.size();
  }

  // Bytes consumed so far (for progress).
  const char* position() const { return p_; }

 private:
  const char* p_;
  const char* end_;
  uint32_t line_;
  std::string scratch_;                             // unescaped quoted fields of the current record
  std::vector<std::pair<size_t, size_t>> escapes_;  // (field index, scratch offset) of unescaped fields
};

}  // namespace tollguard::replay

#endif  // TOLLGUARD_TOOLS_REPLAY_CSV_SCANNER_H_
