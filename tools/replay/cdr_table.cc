#include "tools/replay/cdr_table.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "tollguard/tollguard.h"
#include "tools/replay/csv_scanner.h"

namespace tollguard::replay {

const char* const kAsteriskColumns[21] = {
    "accountcode", "src",        "dst",     "dcontext", "clid",     "channel",     "dstchannel",
    "lastapp",     "lastdata",   "start",   "answer",   "end",      "duration",    "billsec",
    "disposition", "amaflags",   "uniqueid", "userfield", "peeraccount", "linkedid", "sequence"};

namespace {

// The engine's accepted time range (tollguard.h, TG_E_TIME): 2000-01-01 .. 2200-01-01.
constexpr int64_t kMinStartMs = 946684800000LL;
constexpr int64_t kMaxStartMs = 7258118400000LL;

constexpr int kAsteriskAccount = 0, kAsteriskSrc = 1, kAsteriskDst = 2, kAsteriskStart = 9, kAsteriskBillsec = 13;
constexpr size_t kAsteriskMinFields = 14;

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsLower(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// A value for messages: at most 40 bytes, quoted.
std::string Shown(std::string_view v) {
  std::string s = "'";
  s.append(v.substr(0, 40));
  if (v.size() > 40) s += "...";
  return s + "'";
}

class Reader {
 public:
  Reader(const ReadOptions& o, CdrTable* t) : o_(o), t_(t) {}

  // Returns false when reading must stop (strict).
  bool Bad(uint32_t line, std::string message) {
    ++t_->bad_count;
    if (t_->bad_rows.size() < o_.max_bad_messages || o_.strict) t_->bad_rows.push_back({line, std::move(message)});
    return !o_.strict;
  }

  std::string_view Keep(const CsvScanner& sc, std::string_view v) {
    if (!sc.InScratch(v)) return v;
    t_->arena.emplace_back(v);
    return t_->arena.back();
  }

  // Validates and stores one row. Returns false when reading must stop.
  bool Add(const CsvScanner& sc, const CsvRecord& rec, std::string_view start_text, std::string_view account,
           std::string_view dialed, std::string_view duration_text, bool asterisk) {
    int64_t ms = 0;
    const char* why = nullptr;
    const bool time_ok = asterisk ? ParseAsteriskTime(start_text, *o_.zone, &ms, &why)
                                  : ParseStart(start_text, o_.zone, &ms, &why);
    if (!time_ok) return Bad(rec.line, "bad start time " + Shown(start_text) + ": " + why);
    if (ms < kMinStartMs || ms > kMaxStartMs) {
      return Bad(rec.line, "start time " + Shown(start_text) + " out of range (2000-01-01 to 2200-01-01)");
    }
    if (account.empty()) return Bad(rec.line, asterisk ? "no accountcode and no src" : "empty account");
    if (account.size() > TG_MAX_ACCOUNT_LEN) return Bad(rec.line, "account longer than 256 bytes");
    int32_t duration = 0;
    if (!ParseDuration(duration_text, &duration)) {
      return Bad(rec.line, std::string(asterisk ? "bad billsec " : "bad duration ") + Shown(duration_text) +
                               ": expected billed seconds >= 0");
    }
    t_->start_ms.push_back(ms);
    t_->account.push_back(Keep(sc, account));
    t_->dialed.push_back(Keep(sc, dialed));
    t_->duration_s.push_back(duration);
    t_->raw.push_back(rec.raw);
    t_->line.push_back(rec.line);
    t_->nfields.push_back(static_cast<uint16_t>(std::min<size_t>(rec.fields.size(), 65535)));
    if (t_->label_col >= 0) t_->label.push_back(Keep(sc, rec.fields[static_cast<size_t>(t_->label_col)]));
    if (t_->cost_col >= 0) t_->cost.push_back(Keep(sc, rec.fields[static_cast<size_t>(t_->cost_col)]));
    return true;
  }

 private:
  const ReadOptions& o_;
  CdrTable* t_;
};

}  // namespace

bool ParseDuration(std::string_view text, int32_t* seconds) {
  const std::string_view s = TrimView(text);
  if (s.empty()) return false;
  int64_t v = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    v = v * 10 + (s[i] - '0');
    if (v > INT32_MAX) return false;
  }
  if (i == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i < s.size() && s[i] >= '5' && s[i] <= '9') ++v;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (i != s.size() || v > INT32_MAX) return false;
  *seconds = static_cast<int32_t>(v);
  return true;
}

void SplitRecord(std::string_view raw, std::vector<std::string_view>* fields, std::string* scratch) {
  CsvScanner sc(raw);
  CsvRecord rec;
  fields->clear();
  if (!sc.Next(&rec)) {
    fields->emplace_back();  // an empty record is one empty field
    return;
  }
  scratch->clear();
  for (std::string_view f : rec.fields) scratch->append(f);
  size_t off = 0;
  for (std::string_view f : rec.fields) {
    fields->emplace_back(scratch->data() + off, f.size());
    off += f.size();
  }
}

ReadStatus ReadCdrs(std::string text, const ReadOptions& o, CdrTable* t, std::string* error) {
  t->text = std::move(text);
  std::string_view body = t->text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);  // a UTF-8 byte order mark
  const bool asterisk = o.format == CdrFormat::kAsterisk;
  if (asterisk && o.zone == nullptr) {
    *error = "the Asterisk format needs the PBX's time zone (Master.csv holds local times)";
    return ReadStatus::kBadHeader;
  }
  CsvScanner sc(body);
  CsvRecord rec;
  if (!asterisk) {
    if (!sc.Next(&rec)) {
      *error = "empty input: expected a header row with start,account,dialed,duration";
      return ReadStatus::kBadHeader;
    }
    t->header_raw = rec.raw;
    t->num_fields = rec.fields.size();
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      const std::string_view name = TrimView(rec.fields[i]);
      t->columns.emplace_back(name);
      int* slot = EqualsLower(name, "start")      ? &t->start_col
                  : EqualsLower(name, "account")  ? &t->account_col
                  : EqualsLower(name, "dialed")   ? &t->dialed_col
                  : EqualsLower(name, "duration") ? &t->duration_col
                  : EqualsLower(name, "label")    ? &t->label_col
                  : EqualsLower(name, "cost")     ? &t->cost_col
                                                  : nullptr;
      if (slot != nullptr && *slot < 0) *slot = static_cast<int>(i);
    }
    std::string missing;
    if (t->start_col < 0) missing += " start";
    if (t->account_col < 0) missing += " account";
    if (t->dialed_col < 0) missing += " dialed";
    if (t->duration_col < 0) missing += " duration";
    if (!missing.empty() || rec.error != nullptr) {
      *error = "line " + std::to_string(rec.line) + ": header row lacks column(s):" +
               (missing.empty() ? std::string(" (malformed header)") : missing) +
               " (expected a header row with start,account,dialed,duration)";
      return ReadStatus::kBadHeader;
    }
  }

  // Rows are typically 60-120 bytes: reserve once instead of growing eight vectors.
  const size_t guess = body.size() / 64 + 16;
  t->start_ms.reserve(guess);
  t->account.reserve(guess);
  t->dialed.reserve(guess);
  t->duration_s.reserve(guess);
  t->raw.reserve(guess);
  t->line.reserve(guess);
  t->nfields.reserve(guess);
  if (t->label_col >= 0) t->label.reserve(guess);
  if (t->cost_col >= 0) t->cost.reserve(guess);

  Reader r(o, t);
  size_t count = 0;
  while (sc.Next(&rec)) {
    if (o.progress && (++count & 0xFFFF) == 0) o.progress(static_cast<size_t>(sc.position() - body.data()), body.size());
    bool go;
    if (rec.error != nullptr) {
      go = r.Bad(rec.line, rec.error);
    } else if (asterisk) {
      if (rec.fields.size() < kAsteriskMinFields) {
        go = r.Bad(rec.line, "expected at least 14 Asterisk cdr_csv fields, found " + std::to_string(rec.fields.size()));
      } else {
        const std::string_view account =
            !rec.fields[kAsteriskAccount].empty() ? rec.fields[kAsteriskAccount] : rec.fields[kAsteriskSrc];
        go = r.Add(sc, rec, rec.fields[kAsteriskStart], account, rec.fields[kAsteriskDst],
                   rec.fields[kAsteriskBillsec], true);
        if (go) t->num_fields = std::max(t->num_fields, rec.fields.size());
      }
    } else if (rec.fields.size() != t->num_fields) {
      go = r.Bad(rec.line, "expected " + std::to_string(t->num_fields) + " fields as in the header, found " +
                               std::to_string(rec.fields.size()));
    } else {
      go = r.Add(sc, rec, rec.fields[static_cast<size_t>(t->start_col)], rec.fields[static_cast<size_t>(t->account_col)],
                 rec.fields[static_cast<size_t>(t->dialed_col)], rec.fields[static_cast<size_t>(t->duration_col)],
                 false);
    }
    if (!go) return ReadStatus::kStrictStop;
  }
  if (asterisk) {
    for (size_t i = 0; i < t->num_fields; ++i) {
      t->columns.push_back(i < 21 ? std::string(kAsteriskColumns[i]) : "field" + std::to_string(i + 1));
    }
  }
  return ReadStatus::kOk;
}

bool ReadWholeFile(const std::string& path, std::string* out, std::string* error) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? 0 : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st;
  const bool sized = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  // A regular file fits in one read (size + 1 so the end is seen without growing); a pipe grows by doubling.
  out->resize(sized ? static_cast<size_t>(st.st_size) + 1 : size_t{1} << 20);
  size_t len = 0;
  for (;;) {
    if (len == out->size()) out->resize(out->size() * 2);
    const ssize_t n = read(fd, &(*out)[len], out->size() - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = "cannot read " + path + ": " + std::strerror(errno);
      if (!is_stdin) close(fd);
      return false;
    }
    if (n == 0) break;
    len += static_cast<size_t>(n);
  }
  out->resize(len);
  if (!is_stdin) close(fd);
  return true;
}

}  // namespace tollguard::replay
