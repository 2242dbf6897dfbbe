#include "tools/replay/csv_scanner.h"

#include <algorithm>
#include <cstring>

namespace tollguard::replay {

bool CsvScanner::Next(CsvRecord* rec) {
  // Skip empty lines.
  while (p_ < end_ && (*p_ == '\n' || *p_ == '\r')) {
    if (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n') ++p_;
    ++p_;
    ++line_;
  }
  if (p_ >= end_) return false;

  rec->fields.clear();
  rec->error = nullptr;
  rec->line = line_;
  scratch_.clear();
  escapes_.clear();
  const char* const record_start = p_;
  const char* p = p_;
  for (;;) {
    if (p < end_ && *p == '"') {
      const char* q = p + 1;
      const char* const value = q;
      bool doubled = false;
      const char* close = nullptr;
      for (;;) {
        const char* quote = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end_ - q)));
        const char* stop = quote ? quote : end_;
        line_ += static_cast<uint32_t>(std::count(q, stop, '\n'));
        if (quote == nullptr) break;
        if (quote + 1 < end_ && quote[1] == '"') {
          doubled = true;
          q = quote + 2;
          continue;
        }
        close = quote;
        break;
      }
      if (close == nullptr) {
        rec->error = "unterminated quoted field";
        rec->fields.emplace_back(value, static_cast<size_t>(end_ - value));
        p = end_;
        break;
      }
      if (doubled) {
        const size_t off = scratch_.size();
        for (const char* c = value; c < close; ++c) {
          scratch_.push_back(*c);
          if (*c == '"') ++c;  // the second quote of a pair
        }
        escapes_.emplace_back(rec->fields.size(), off);
        rec->fields.emplace_back(value, scratch_.size() - off);  // patched below
      } else {
        rec->fields.emplace_back(value, static_cast<size_t>(close - value));
      }
      p = close + 1;
      if (p < end_ && *p != ',' && *p != '\n' && *p != '\r') {
        rec->error = "unexpected character after a closing quote";
        while (p < end_ && *p != '\n' && *p != '\r') ++p;
        break;
      }
    } else {
      const char* q = p;
      while (q < end_ && *q != ',' && *q != '\n' && *q != '\r') ++q;
      rec->fields.emplace_back(p, static_cast<size_t>(q - p));
      p = q;
    }
    if (p < end_ && *p == ',') {
      ++p;
      continue;
    }
    break;
  }
  // Unescaped fields live in scratch_, whose address is final only now.
  for (const auto& [index, off] : escapes_) {
    rec->fields[index] = std::string_view(scratch_.data() + off, rec->fields[index].size());
  }
  rec->raw = std::string_view(record_start, static_cast<size_t>(p - record_start));
  if (p < end_ && *p == '\r') ++p;
  if (p < end_ && *p == '\n') ++p;
  ++line_;
  p_ = p;
  return true;
}

}  // namespace tollguard::replay
