#include "lib/cluster/contribution.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tollguard::cluster {

void Contribution::DecayTo(int64_t t) {
  if (t <= t_ms) return;
  const int64_t dt = t - t_ms;
  const signals::DecayFactors df(dt);
  for (int i = 0; i < signals::kWindows; ++i) {
    att[i] *= df.f[i];
    intl[i] *= df.f[i];
    high[i] *= df.f[i];
  }
  for (int i = 0; i < kSpendWindows; ++i) spend[i] = signals::DecayOne(spend[i], dt, kSpendSeconds[i]);
  t_ms = t;
}

void Contribution::Add(const Contribution& o) {
  Contribution other = o;
  const int64_t t = std::max(t_ms, o.t_ms);
  DecayTo(t);
  other.DecayTo(t);
  for (int i = 0; i < signals::kWindows; ++i) {
    att[i] += other.att[i];
    intl[i] += other.intl[i];
    high[i] += other.high[i];
  }
  for (int i = 0; i < kSpendWindows; ++i) spend[i] += other.spend[i];
  live = static_cast<uint16_t>(std::min(65535, live + other.live));
  live_intl = static_cast<uint16_t>(std::min(65535, live_intl + other.live_intl));
}

bool Contribution::Negligible() const {
  if (live || live_intl) return false;
  for (int i = 0; i < signals::kWindows; ++i) {
    if (att[i] >= 1e-3f || intl[i] >= 1e-3f || high[i] >= 1e-3f) return false;
  }
  for (float s : spend) {
    if (s >= 1e-3f) return false;
  }
  return true;
}

Contribution FromEvent(const Event& e) {
  Contribution c;
  c.t_ms = e.rate_t_ms;
  std::copy(e.att, e.att + signals::kWindows, c.att);
  std::copy(e.intl, e.intl + signals::kWindows, c.intl);
  std::copy(e.high, e.high + signals::kWindows, c.high);
  c.DecayTo(e.spend_t_ms);  // the rate windows to the later time; then the spend from its own time
  for (int i = 0; i < kSpendWindows; ++i) {
    c.spend[i] = c.t_ms > e.spend_t_ms ? signals::DecayOne(e.spend[i], c.t_ms - e.spend_t_ms, kSpendSeconds[i])
                                       : e.spend[i];
  }
  c.live = e.live;
  c.live_intl = e.live_intl;
  return c;
}

std::string Encode(const Contribution& c, uint64_t incarnation) {
  char buf[512];
  int n = std::snprintf(buf, sizeof(buf), "1 %" PRIx64 " %" PRId64 " %u %u", incarnation, c.t_ms,
                        static_cast<unsigned>(c.live), static_cast<unsigned>(c.live_intl));
  auto put = [&](float v) {
    if (n > 0 && n < static_cast<int>(sizeof(buf))) n += std::snprintf(buf + n, sizeof(buf) - n, " %.9g", v);
  };
  for (float v : c.att) put(v);
  for (float v : c.intl) put(v);
  for (float v : c.high) put(v);
  for (float v : c.spend) put(v);
  return std::string(buf, n > 0 ? std::min<size_t>(n, sizeof(buf) - 1) : 0);
}

bool Decode(std::string_view text, Contribution* c, uint64_t* incarnation) {
  std::string s(text);  // NUL-terminated for strto*
  const char* p = s.c_str();
  char* end = nullptr;
  errno = 0;
  auto integer = [&](int base, uint64_t* out) {
    const unsigned long long v = std::strtoull(p, &end, base);
    if (end == p || errno) return false;
    p = end;
    *out = v;
    return true;
  };
  uint64_t version = 0, inc = 0, live = 0, live_intl = 0;
  if (!integer(10, &version) || version != 1 || !integer(16, &inc)) return false;
  const long long t = std::strtoll(p, &end, 10);
  if (end == p || errno) return false;
  p = end;
  if (!integer(10, &live) || !integer(10, &live_intl) || live > 65535 || live_intl > 65535) return false;
  float vals[3 * signals::kWindows + kSpendWindows];
  for (float& v : vals) {
    v = std::strtof(p, &end);
    if (end == p || errno || !std::isfinite(v) || v < 0) return false;
    p = end;
  }
  while (*p == ' ') ++p;
  if (*p != 0) return false;
  Contribution out;
  out.t_ms = t;
  out.live = static_cast<uint16_t>(live);
  out.live_intl = static_cast<uint16_t>(live_intl);
  std::copy(vals, vals + 5, out.att);
  std::copy(vals + 5, vals + 10, out.intl);
  std::copy(vals + 10, vals + 15, out.high);
  std::copy(vals + 15, vals + 18, out.spend);
  *c = out;
  *incarnation = inc;
  return true;
}

}  // namespace tollguard::cluster
