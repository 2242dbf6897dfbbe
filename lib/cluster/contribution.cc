#include "lib/cluster/contribution.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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
  // The spend windows (1 h, 24 h, 7 d) are the last three rate windows: the same factors.
  static_assert(kSpendSeconds[0] == signals::kWindowSeconds[2] && kSpendSeconds[1] == signals::kWindowSeconds[3] &&
                    kSpendSeconds[2] == signals::kWindowSeconds[4],
                "spend windows share the rate windows' factors");
  for (int i = 0; i < kSpendWindows; ++i) spend[i] *= df.f[2 + i];
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

namespace {
constexpr uint8_t kEncodingVersion = 2;
constexpr size_t kValues = 3 * signals::kWindows + kSpendWindows;
constexpr size_t kEncodedSize = 1 + 8 + 8 + 2 + 2 + kValues * 4;  // 93 bytes

// The encoded fields in their order, for Encode and Decode alike (C and I may be const).
template <typename C, typename I, typename Fn>
void ForEachEncodedField(C& c, I& incarnation, Fn&& fn) {
  fn(&incarnation, 8);
  fn(&c.t_ms, 8);
  fn(&c.live, 2);
  fn(&c.live_intl, 2);
  fn(c.att, sizeof(c.att));
  fn(c.intl, sizeof(c.intl));
  fn(c.high, sizeof(c.high));
  fn(c.spend, sizeof(c.spend));
}
}  // namespace

// Binary, little-endian (every supported target): version, incarnation, t_ms, live, live_intl, 18 floats.
std::string Encode(const Contribution& c, uint64_t incarnation) {
  std::string out(kEncodedSize, '\0');
  char* p = out.data();
  *p++ = static_cast<char>(kEncodingVersion);
  auto put = [&p](const void* v, size_t n) {
    std::memcpy(p, v, n);
    p += n;
  };
  ForEachEncodedField(c, incarnation, put);
  return out;
}

bool Decode(std::string_view text, Contribution* c, uint64_t* incarnation) {
  if (text.size() != kEncodedSize || static_cast<uint8_t>(text[0]) != kEncodingVersion) return false;
  const char* p = text.data() + 1;
  auto get = [&p](void* v, size_t n) {
    std::memcpy(v, p, n);
    p += n;
  };
  Contribution out;
  uint64_t inc;
  ForEachEncodedField(out, inc, get);
  auto bad = [](const float* v, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(v[i]) || v[i] < 0) return true;
    }
    return false;
  };
  if (bad(out.att, signals::kWindows) || bad(out.intl, signals::kWindows) || bad(out.high, signals::kWindows) ||
      bad(out.spend, kSpendWindows)) {
    return false;
  }
  *c = out;
  *incarnation = inc;
  return true;
}

}  // namespace tollguard::cluster
