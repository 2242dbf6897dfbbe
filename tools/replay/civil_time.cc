#include "tools/replay/civil_time.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace tollguard::replay {
namespace {

constexpr int64_t kDay = 86400;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[*pos]. Returns false when they are not all digits.
bool Digits(std::string_view s, size_t* pos, int n, unsigned* value) {
  if (*pos + n > s.size()) return false;
  unsigned v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  *pos += n;
  *value = v;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

// Parses "+hh:mm", "+hhmm", "+hh" (or '-') at s[pos..]; the whole rest of s must be the offset.
bool ParseOffset(std::string_view s, int32_t* seconds) {
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return false;
  const int sign = s[0] == '-' ? -1 : 1;
  size_t pos = 1;
  unsigned hh = 0, mm = 0;
  if (!Digits(s, &pos, 2, &hh)) return false;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (pos < s.size() && !Digits(s, &pos, 2, &mm)) return false;
  if (pos != s.size() || hh > 18 || mm > 59) return false;
  *seconds = sign * static_cast<int32_t>(hh * 3600 + mm * 60);
  return true;
}

bool ParseUnixSeconds(std::string_view s, int64_t* ms, const char** why) {
  int64_t sec = 0;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (sec > 100000000000LL) {
      *why = "Unix time out of range";
      return false;
    }
    sec = sec * 10 + (s[i] - '0');
  }
  int64_t frac_ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int64_t scale = 100;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      frac_ms += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i != s.size()) {
    *why = "not an ISO 8601 time or Unix seconds";
    return false;
  }
  *ms = sec * 1000 + frac_ms;
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t CivilSeconds(int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second) {
  return DaysFromCivil(year, month, day) * kDay + hour * 3600 + minute * 60 + second;
}

bool Zone::Load(std::string_view name, Zone* out, std::string* error) {
  Zone z;
  z.name_ = std::string(name);
  if (name == "UTC" || name == "Z" || name == "GMT" || name == "utc") {
    *out = std::move(z);
    return true;
  }
  int32_t fixed = 0;
  if (ParseOffset(name, &fixed)) {
    z.initial_offset_ = fixed;
    *out = std::move(z);
    return true;
  }
  bool ok_chars = !name.empty() && name.front() != '/' && name.find("..") == std::string_view::npos;
  for (char c : name) {
    if (!(IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '/' || c == '_' || c == '-' ||
          c == '+')) {
      ok_chars = false;
    }
  }
  const char* tzdir = std::getenv("TZDIR");
  const std::string path = std::string(tzdir && *tzdir ? tzdir : "/usr/share/zoneinfo") + "/" + std::string(name);
  struct stat st;
  if (!ok_chars || stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    *error = "unknown time zone \"" + std::string(name) +
             "\": expected an IANA name such as \"Asia/Tokyo\" (is tzdata installed?) or an offset such as +09:00";
    return false;
  }

  // The C library is the only portable reader of tzdata files: set TZ, sample the offset every 12 hours over
  // the engine's time range, bisect each change to the second, restore TZ.
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  const bool had = old != nullptr;
  setenv("TZ", (":" + path).c_str(), 1);
  tzset();
  auto offset_at = [](int64_t t) {
    const time_t tt = static_cast<time_t>(t);
    struct tm tmv;
    if (localtime_r(&tt, &tmv) == nullptr) return int32_t{0};
    return static_cast<int32_t>(tmv.tm_gmtoff);
  };
  const int64_t from = CivilSeconds(1999, 1, 1, 0, 0, 0), to = CivilSeconds(2201, 1, 1, 0, 0, 0);
  int32_t prev = offset_at(from);
  z.initial_offset_ = prev;
  for (int64_t t = from + kDay / 2; t <= to; t += kDay / 2) {
    const int32_t off = offset_at(t);
    if (off == prev) continue;
    int64_t lo = t - kDay / 2, hi = t;  // offset_at(lo) == prev, offset_at(hi) == off
    while (hi - lo > 1) {
      const int64_t mid = lo + (hi - lo) / 2;
      (offset_at(mid) == prev ? lo : hi) = mid;
    }
    z.transitions_.push_back(hi);
    z.offsets_.push_back(off);
    prev = off;
  }
  if (had) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  *out = std::move(z);
  return true;
}

int32_t Zone::OffsetAt(int64_t t) const {
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<size_t>(it - transitions_.begin()) - 1];
}

int64_t Zone::LocalToUnix(int64_t local) const {
  if (transitions_.empty()) return local - initial_offset_;
  // Offsets are within +-18 h: the offsets in force 18 h either side of the local reading are the candidates.
  const int32_t before = OffsetAt(local - 18 * 3600);
  const int32_t after = OffsetAt(local + 18 * 3600);
  const bool before_ok = OffsetAt(local - before) == before;
  const bool after_ok = OffsetAt(local - after) == after;
  if (before_ok && after_ok) return local - std::max(before, after);  // a repeated hour: the earlier instant
  if (before_ok) return local - before;
  if (after_ok) return local - after;
  return local - before;  // a skipped hour: shifted forward by the gap
}

namespace {

struct Civil {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int64_t frac_ms = 0;
};

// Parses "YYYY-MM-DD", 'T' / 't' / ' ', "HH:MM", optionally ":SS" and a fraction, at the start of s; *pos is
// then just after it. Returns false and sets *why on a malformed or out-of-range value.
bool ParseCivil(std::string_view s, size_t* pos, bool need_seconds, Civil* c, const char** why) {
  size_t p = 0;
  auto expect = [&](char a, char b = 0, char d = 0) {
    if (p >= s.size() || (s[p] != a && (!b || s[p] != b) && (!d || s[p] != d))) return false;
    ++p;
    return true;
  };
  if (!Digits(s, &p, 4, &c->year) || !expect('-') || !Digits(s, &p, 2, &c->month) || !expect('-') ||
      !Digits(s, &p, 2, &c->day) || !expect('T', 't', ' ') || !Digits(s, &p, 2, &c->hour) || !expect(':') ||
      !Digits(s, &p, 2, &c->minute)) {
    return false;
  }
  if (p < s.size() && s[p] == ':') {
    ++p;
    if (!Digits(s, &p, 2, &c->second)) return false;
  } else if (need_seconds) {
    return false;
  }
  if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
    const size_t first = ++p;
    int64_t scale = 100;
    for (; p < s.size() && IsDigit(s[p]); ++p) {
      c->frac_ms += (s[p] - '0') * scale;
      scale /= 10;
    }
    if (p == first) return false;
  }
  if (c->month < 1 || c->month > 12 || c->day < 1 || c->day > DaysInMonth(c->year, c->month) || c->hour > 23 ||
      c->minute > 59 || c->second > 60) {
    *why = "date or time field out of range";
    return false;
  }
  *pos = p;
  return true;
}

int64_t LocalSeconds(const Civil& c) { return CivilSeconds(c.year, c.month, c.day, c.hour, c.minute, c.second); }

}  // namespace

bool ParseStart(std::string_view text, const Zone* naive_zone, int64_t* unix_ms, const char** why) {
  const std::string_view s = Trim(text);
  if (s.empty()) {
    *why = "empty start time";
    return false;
  }
  // Unix seconds: digits only, or digits with a fraction. "2026-..." has a '-' at 4, so the two never collide.
  if (s.size() < 5 || s[4] != '-') return ParseUnixSeconds(s, unix_ms, why);

  *why = "malformed ISO 8601 time (expected e.g. 2026-03-02T09:15:03+09:00)";
  Civil c;
  size_t pos = 0;
  if (!ParseCivil(s, &pos, false, &c, why)) return false;
  const int64_t local = LocalSeconds(c);
  std::string_view rest = s.substr(pos);
  if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  int64_t unix_s;
  if (rest.empty()) {
    if (naive_zone == nullptr) {
      *why = "start time has no UTC offset (add Z or +hh:mm, or pass --timezone)";
      return false;
    }
    unix_s = naive_zone->LocalToUnix(local);
  } else if (rest == "Z" || rest == "z") {
    unix_s = local;
  } else {
    int32_t off = 0;
    if (!ParseOffset(rest, &off)) {
      *why = "malformed UTC offset (expected Z, +hh:mm, +hhmm or +hh)";
      return false;
    }
    unix_s = local - off;
  }
  *unix_ms = unix_s * 1000 + c.frac_ms;
  return true;
}

bool ParseAsteriskTime(std::string_view text, const Zone& zone, int64_t* unix_ms, const char** why) {
  const std::string_view s = Trim(text);
  *why = "malformed Asterisk time (expected YYYY-MM-DD HH:MM:SS)";
  Civil c;
  size_t pos = 0;
  if (!ParseCivil(s, &pos, true, &c, why)) return false;
  if (pos != s.size()) return false;
  *unix_ms = zone.LocalToUnix(LocalSeconds(c)) * 1000 + c.frac_ms;
  return true;
}

}  // namespace tollguard::replay
