// A small RFC 4180 CSV reader over an in-memory buffer: quoted fields, doubled quotes, CRLF, '#' comment
// lines (optional), and the line and column of every field for error messages.
// Thread-safety: a CsvReader is used by one thread; it does not own the buffer.
#ifndef TOLLGUARD_LIB_UTIL_CSV_H_
#define TOLLGUARD_LIB_UTIL_CSV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <deque>
#include <vector>

#include "absl/status/status.h"

namespace tollguard {

struct CsvField {
  std::string_view text;  // unquoted text; points into the buffer, or into the reader's scratch when unescaped
  uint32_t column = 0;    // 1-based byte column of the field's first character
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view buffer, bool skip_comments = true)
      : buf_(buffer), skip_comments_(skip_comments) {}

  // Reads the next record into *fields. Returns false at the end of the buffer. A malformed record (an
  // unterminated quote, text after a closing quote) sets *error with its line and column, and still
  // consumes the line so that the caller can skip it.
  bool Next(std::vector<CsvField>* fields, absl::Status* error);

  uint32_t line() const { return line_; }  // 1-based line where the last record started

 private:
  bool NextPlainLine(std::vector<CsvField>* fields);  // the fast path of Next (csv.cc)
  std::string_view buf_;
  size_t pos_ = 0;
  uint32_t line_ = 0;
  uint32_t next_line_ = 1;
  bool skip_comments_;
  std::deque<std::string> scratch_;  // deque: views into earlier strings stay valid as it grows
};

// "file:line:column: message" as an InvalidArgument status.
absl::Status PositionError(std::string_view file, uint32_t line, uint32_t column, std::string_view message);

}  // namespace tollguard

#endif  // TOLLGUARD_LIB_UTIL_CSV_H_
