#include "bench/lean_prototype.h"

#include <emmintrin.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "absl/time/time.h"
#include "bench/naive_baseline.h"
#include "bench/world.h"
#include "lib/policy/loader.h"
#include "lib/util/csv.h"
#include "lib/util/digits.h"
#include "tollguard/tollguard.h"

namespace tollguard::bench {
namespace {

// The default policy's weights and thresholds, as the naive baseline copies them (a subset).
constexpr int kAlertScore = 350, kBlockScore = 600;
constexpr float kSpendPerHour = 40;
constexpr int32_t kAlertMaxDurationS = 1200, kMaxCallS = 12 * 3600;
constexpr int kLiveBits = 16;  // live-call slots: 2^16, at most half of them used

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "[lean] %s\n", what.c_str());
  std::abort();
}

// Calls fn(fields) for each CSV row whose first field starts with a digit and that has >= 3 fields: the rows
// the naive baseline reads from both the default table and the deck (the header and comments are skipped).
void ForEachRow(std::string_view csv, const std::function<void(const std::vector<CsvField>&)>& fn) {
  CsvReader reader(csv);
  std::vector<CsvField> f;
  absl::Status err;
  while (reader.Next(&f, &err)) {
    if (!err.ok()) Die(std::string(err.message()));
    if (f.size() < 3 || f[0].text.empty() || f[0].text[0] < '0' || f[0].text[0] > '9') continue;
    fn(f);
  }
}

// Every quoted value on the policy's lines "key: ..." (top level or nested; '#' comments skipped).
std::vector<std::string> QuotedValues(std::string_view text, std::string_view key) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t eol = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(std::min(eol + 1, text.size()));
    line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
    if (line.substr(0, key.size()) != key || line.substr(key.size(), 1) != ":") continue;
    line = line.substr(0, line.find('#'));
    for (size_t q = line.find('"'); q != std::string_view::npos; q = line.find('"', q + 1)) {
      const size_t e = line.find('"', q + 1);
      if (e == std::string_view::npos) break;
      out.emplace_back(line.substr(q + 1, e - q - 1));
      q = e;
    }
  }
  return out;
}

// 2^-x in 4 lanes for x >= 0, within ~2e-4 relative (x clamped at 120): 2^-x = 2^-i * 2^-f with x = i + f,
// the fraction by a degree-5 polynomial, the integer part subtracted from the exponent bits.
inline __m128 ExpNeg4(__m128 x) {
  x = _mm_min_ps(x, _mm_set1_ps(120.f));
  const __m128i i = _mm_cvttps_epi32(x);  // toward zero: floor for x >= 0
  const __m128 g = _mm_sub_ps(_mm_cvtepi32_ps(i), x);  // -f, in (-1, 0]
  __m128 p = _mm_set1_ps(0.00133336f);
  for (const float c : {0.00961813f, 0.05550411f, 0.24022651f, 0.69314718f, 1.f}) {
    p = _mm_add_ps(_mm_mul_ps(p, g), _mm_set1_ps(c));
  }
  return _mm_castsi128_ps(_mm_sub_epi32(_mm_castps_si128(p), _mm_slli_epi32(i, 23)));
}
// 2^y for |y| < 126 (same polynomial, on [0, 1)).
inline float Exp2(float y) {
  int i = static_cast<int>(y);
  i -= y < static_cast<float>(i);  // floor
  const float f = y - static_cast<float>(i);
  const float p =
      1.f + f * (0.69314718f + f * (0.24022651f + f * (0.05550411f + f * (0.00961813f + f * 0.00133336f))));
  uint32_t bits;
  std::memcpy(&bits, &p, 4);
  bits += static_cast<uint32_t>(i) << 23;
  float r;
  std::memcpy(&r, &bits, 4);
  return r;
}
constexpr float kLog2eOverHourMs = 1.44269504f / 3600e3f;
// log2(e) / tau for the windows of 1 m, 10 m, 1 h and 24 h (ms).
const __m128 kLog2eOverTauMs = _mm_setr_ps(1.44269504f / 60e3f, 1.44269504f / 600e3f, 1.44269504f / 3600e3f,
                                           1.44269504f / 86400e3f);

constexpr size_t kHugePage = size_t{2} << 20;

inline uint64_t HashKey(uint64_t key) { return (key + 1) * 0x9e3779b97f4a7c15ull; }

}  // namespace

template <typename T>
void LeanPrototype::Block<T>::Allocate(size_t n, bool huge) {
  std::free(p_);
  const size_t bytes = std::max<size_t>(kHugePage, (n * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage);
  p_ = static_cast<T*>(std::aligned_alloc(kHugePage, bytes));
  if (!p_) Die("out of memory");
  if (huge) madvise(p_, bytes, MADV_HUGEPAGE);  // advice only
  std::memset(static_cast<void*>(p_), 0, bytes);
  n_ = n;
}

// The naive baseline's prefix table, built the same way (default table, then deck rows in file order, each
// inheriting its longest existing prefix's attributes), and its search: successively shorter prefixes.
struct LeanPrototype::Reference {
  std::unordered_map<std::string, NaiveAttrs> prefixes;
  const NaiveAttrs* Lookup(const std::string& e164) const {
    for (size_t len = std::min<size_t>(e164.size(), 15); len > 0; --len) {
      auto it = prefixes.find(e164.substr(0, len));
      if (it != prefixes.end()) return &it->second;
    }
    return nullptr;
  }
};

LeanPrototype::LeanPrototype(std::string_view default_table, std::string_view policy_text,
                             const std::string& deck_path, size_t max_accounts, const World* check,
                             LeanOptions options)
    : options_(options) {
  // Policy: the lists the naive baseline copies by hand, read from the policy text instead.
  const std::vector<std::string> high_risk_list = QuotedValues(policy_text, "high_risk_countries");
  const std::vector<std::string> home = QuotedValues(policy_text, "home_country");
  const std::vector<std::string> zone = QuotedValues(policy_text, "timezone");
  if (high_risk_list.empty() || home.size() != 1 || zone.size() != 1) Die("policy: no high-risk list, home or zone");
  const std::set<std::string> high_risk(high_risk_list.begin(), high_risk_list.end());
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(zone[0], &tz)) Die("cannot load time zone " + zone[0]);
  // Computed once: right for a zone without daylight saving time, such as the world's Asia/Tokyo.
  utc_offset_s_ = tz.At(absl::Now()).offset;

  // The naive baseline's table semantics.
  Reference ref;
  ref.prefixes.reserve(2 << 20);
  ForEachRow(default_table, [&](const std::vector<CsvField>& f) {
    NaiveAttrs a;
    a.country = std::string(f[1].text);
    const std::string_view type = f[2].text;
    a.premium = type == "PREMIUM_RATE" || type == "SHARED_COST" || type == "PERSONAL_NUMBER";
    a.tier = a.premium ? 3 : a.country == home[0] ? 0 : high_risk.count(a.country) ? 2 : 1;
    a.rate = a.premium ? 2.0 : a.country == home[0] ? 0.03 : 0.10;
    ref.prefixes[std::string(f[0].text)] = a;
  });
  std::string deck;
  if (absl::Status s = policy::ReadFile(deck_path, &deck); !s.ok()) Die(std::string(s.message()));
  ForEachRow(deck, [&](const std::vector<CsvField>& f) {
    const std::string prefix(f[0].text);
    NaiveAttrs a;
    if (const NaiveAttrs* parent = ref.Lookup(prefix)) a = *parent;
    a.rate = std::atof(std::string(f[2].text).c_str());
    ref.prefixes[prefix] = a;
  });
  std::string().swap(deck);

  // Countries by index, 0 for none.
  std::map<std::string, uint8_t> country_index;
  for (const auto& [p, a] : ref.prefixes) country_index[a.country] = 0;
  country_index.erase("");
  if (country_index.size() > 255) Die("more than 255 countries");
  countries_.push_back("");
  for (auto& [c, i] : country_index) {
    i = static_cast<uint8_t>(countries_.size());
    countries_.push_back(c);
  }
  auto pack = [&](const NaiveAttrs& a, size_t len) {
    Attrs p;
    p.rate = static_cast<float>(a.rate);
    p.country = a.country.empty() ? 0 : country_index[a.country];
    p.flags = static_cast<uint8_t>(std::clamp(a.tier, 0, 3) | (a.premium ? kPremium : 0) |
                                   (high_risk.count(a.country) ? kHighRisk : 0) | (a.country != home[0] ? kIntl : 0));
    p.longer = 0;
    p.len = static_cast<uint8_t>(len);
    return p;
  };

  // Group the digit-only prefixes by length (others can never match a normalized number).
  std::vector<std::vector<std::pair<uint64_t, Attrs>>> by_len(kMaxPrefixDigits + 1);
  for (const auto& [p, a] : ref.prefixes) {
    if (p.empty() || p.find_first_not_of("0123456789") != std::string::npos) continue;
    if (p.size() > kMaxPrefixDigits) Die("prefix " + p + " is longer than 14 digits");
    by_len[p.size()].emplace_back(std::stoull(p), pack(a, p.size()));
    ++prefixes_;
  }
  // Direct entries: shorter prefixes first, so that a longer one overwrites the ranges it covers. A start
  // no prefix covers gets the naive baseline's attributes for an unknown range.
  const NaiveAttrs unknown{1.0, "", 2, false};
  direct_.Allocate(1000000, options_.huge_pages);
  std::fill(direct_.data(), direct_.data() + direct_.size(), pack(unknown, 0));
  uint64_t pow10[kDirectDigits + 1] = {1};
  for (int i = 1; i <= kDirectDigits; ++i) pow10[i] = pow10[i - 1] * 10;
  for (int len = 1; len <= kDirectDigits; ++len) {
    for (const auto& [v, a] : by_len[len]) {
      const uint64_t span = pow10[kDirectDigits - len];
      std::fill(direct_.data() + v * span, direct_.data() + (v + 1) * span, a);
    }
  }
  for (int len = kDirectDigits + 1; len <= kMaxPrefixDigits; ++len) {
    LongTable& t = long_[len - kDirectDigits - 1];
    t.count = by_len[len].size();
    int bits = 4;
    while ((size_t{1} << bits) < 2 * t.count) ++bits;
    t.shift = 64 - bits;
    t.slots.Allocate(size_t{1} << bits, options_.huge_pages);
    const size_t mask = t.slots.size() - 1;
    uint64_t div = 1;
    for (int i = kDirectDigits; i < len; ++i) div *= 10;
    for (const auto& [v, a] : by_len[len]) {
      size_t i = HashKey(v) >> t.shift;
      while (t.slots[i].key != 0) i = (i + 1) & mask;
      t.slots[i] = {v + 1, a};
      direct_[v / div].longer |= static_cast<uint8_t>(1u << (len - kDirectDigits - 1));
    }
    if (t.count) nonempty_ |= 1u << (len - kDirectDigits - 1);
  }
  by_len.clear();
  by_len.shrink_to_fit();

  if (check) Verify(*check, ref);

  // Accounts: a power of two of lines at <= 0.7 load, faulted in now (a decision never touches a new page).
  int bits = 6;
  while (static_cast<double>(max_accounts) > 0.7 * static_cast<double>(size_t{1} << bits)) ++bits;
  max_accounts_ = static_cast<size_t>(0.7 * static_cast<double>(size_t{1} << bits));
  line_shift_ = 64 - bits;
  line_mask_ = (uint64_t{1} << bits) - 1;
  lines_.Allocate(size_t{1} << bits, options_.huge_pages);
  live_.assign(size_t{1} << kLiveBits, LiveSlot{0, 0, 0});
  live_shift_ = 64 - kLiveBits;
}

LeanPrototype::~LeanPrototype() = default;

size_t LeanPrototype::prefix_bytes() const {
  size_t b = direct_.bytes();
  for (const LongTable& t : long_) b += t.slots.bytes();
  return b;
}

size_t LeanPrototype::account_bytes() const { return lines_.bytes(); }

// A sample of the world's destinations (and variants of them that share 1..n leading digits, then random
// digits: misses at every depth) through Normalize + Find, against the world's E.164 and Reference::Lookup.
void LeanPrototype::Verify(const World& w, const Reference& ref) const {
  const size_t n = w.n_dests();
  const size_t step = std::max<size_t>(1, n / 100000);
  std::mt19937_64 rng(7);
  uint64_t pref[16];
  size_t checked = 0;
  auto compare = [&](const std::string& e164, const Attrs& got) {
    const NaiveAttrs* want = ref.Lookup(e164);
    const NaiveAttrs u{1.0, "", 2, false};
    const NaiveAttrs& x = want ? *want : u;
    if (static_cast<float>(x.rate) != got.rate || x.country != countries_[got.country] ||
        std::clamp(x.tier, 0, 3) != (got.flags & 3) || x.premium != ((got.flags & kPremium) != 0)) {
      Die("lookup of " + e164 + ": naive " + x.country + " tier " + std::to_string(x.tier) + " rate " +
          std::to_string(x.rate) + ", lean " + countries_[got.country] + " tier " + std::to_string(got.flags & 3) +
          " rate " + std::to_string(got.rate) + " (prefix of " + std::to_string(got.len) + " digits)");
    }
    ++checked;
  };
  for (size_t i = 0; i < n; i += step) {
    const std::string e164(w.e164(static_cast<uint32_t>(i)));
    const int len = Normalize(w.dialed(static_cast<uint32_t>(i)), pref);
    if (len != static_cast<int>(e164.size()) || pref[len] != std::stoull(e164)) {
      Die("normalize " + std::string(w.dialed(static_cast<uint32_t>(i))) + ": want " + e164 + ", got " +
          std::to_string(len) + " digits " + (len ? std::to_string(pref[len]) : ""));
    }
    compare(e164, Find(pref, len));
    std::string v = e164;
    for (size_t k = 1 + rng() % e164.size(); k < v.size(); ++k) v[k] = static_cast<char>('0' + rng() % 10);
    const std::string plus = "+" + v;
    const int vlen = Normalize(plus, pref);
    if (vlen != static_cast<int>(v.size())) Die("normalize " + plus);
    compare(v, Find(pref, vlen));
  }
  std::fprintf(stderr, "[lean] %zu lookups agree with the naive baseline's\n", checked);
}

// Digits of the E.164 form, without allocating: '+' or the international prefix 010, else the national trunk
// 0 (or nothing) in front of a Japanese number; separators - space ( ) . are skipped, anything else fails.
// A string of 8-16 digits after its prefix is checked and copied as two words (SWAR). pref[i] = the value of the first i digits, for
// i = 6 .. n. Returns the digit count n (7..15), or 0.
int LeanPrototype::Normalize(std::string_view dialed, uint64_t* pref) {
  const char* p = dialed.data();
  const char* const end = p + dialed.size();
  if (p == end) return 0;
  char dig[32];  // 2 + 16 digits, or 15 and 8 of padding, at most
  int n = 0;
  if (*p == '+') {
    ++p;
  } else if (end - p >= 3 && p[0] == '0' && p[1] == '1' && p[2] == '0') {
    p += 3;
  } else {
    p += *p == '0';
    dig[0] = '8', dig[1] = '1', n = 2;
  }
  const size_t rest = static_cast<size_t>(end - p);
  uint64_t w0, w1;
  if (rest >= 8 && rest <= 16 && util::EightDigits(w0 = util::Load8(p)) &&
      util::EightDigits(w1 = util::Load8(end - 8))) {
    // Only digits (the usual case): two overlapping words cover them.
    std::memcpy(dig + n, &w0, 8);
    std::memcpy(dig + n + rest - 8, &w1, 8);
    n += static_cast<int>(rest);
    if (n > 15) return 0;
  } else {
    for (; p < end; ++p) {
      if (static_cast<unsigned>(static_cast<unsigned char>(*p) - '0') < 10) {
        if (n == 15) return 0;
        dig[n++] = *p;
      } else if (*p != '-' && *p != ' ' && *p != '(' && *p != ')' && *p != '.') {
        return 0;
      }
    }
  }
  if (n < 7) return 0;
  std::memcpy(dig + n, "00000000", 8);
  uint64_t v = util::EightDigitsValue(util::Load8(dig));  // the first 8 (7 and a padding 0 when n = 7)
  pref[6] = v / 100, pref[7] = v / 10, pref[8] = v;
  for (int i = 8; i < n; ++i) {
    v = v * 10 + static_cast<unsigned>(dig[i] - '0');
    pref[i + 1] = v;
  }
  return n;
}

LeanPrototype::Attrs LeanPrototype::Find(const uint64_t* pref, int n) const {
  // The candidate slot of every nonempty table of 7 .. n digits is fetched along with the direct entry, not
  // after it: one memory latency instead of two (on the 1M world, p50 -40 ns cold, -60 ns hot) for a few
  // lines fetched in vain. The entry's `longer` bits then say which of them to probe.
  const uint32_t lengths = (1u << (n - kDirectDigits)) - 1;
  for (uint32_t b = lengths & nonempty_; b; b &= b - 1) {
    const int k = __builtin_ctz(b);
    __builtin_prefetch(&long_[k].slots[HashKey(pref[kDirectDigits + 1 + k]) >> long_[k].shift]);
  }
  const Attrs d = direct_[pref[kDirectDigits]];
  const uint32_t m = d.longer & lengths;
  if (m == 0) return d;
  for (uint32_t b = m; b;) {  // longest first
    const int k = 31 - __builtin_clz(b);
    b ^= 1u << k;
    const LongTable& t = long_[k];
    const uint64_t key = pref[kDirectDigits + 1 + k] + 1;
    const size_t mask = t.slots.size() - 1;
    for (size_t i = HashKey(key - 1) >> t.shift; t.slots[i].key != 0; i = (i + 1) & mask) {
      if (t.slots[i].key == key) return t.slots[i].attrs;
    }
  }
  return d;
}

// The name as two 8-byte words that, with its length, identify it: overlapping loads from both ends.
bool LeanPrototype::MakeKey(std::string_view name, Key* k) {
  const size_t n = name.size();
  const char* p = name.data();
  if (n == 0 || n > 16) return false;
  if (n >= 8) {
    k->w0 = util::Load8(p);
    k->w1 = util::Load8(p + n - 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    k->w0 = a | uint64_t{b} << 32;
    k->w1 = 0;
  } else {
    k->w0 = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
            static_cast<unsigned char>(p[n - 1]) << 16;
    k->w1 = 0;
  }
  k->len = static_cast<uint8_t>(n);
  uint64_t h = k->w0 * 0x9e3779b97f4a7c15ull ^ (k->w1 * 0xc2b2ae3d27d4eb4full + n);
  h ^= h >> 29;
  k->hash = h * 0xbf58476d1ce4e5b9ull;
  return true;
}

void LeanPrototype::Decay(Line* l, int64_t now_ms) {
  const int64_t dt = now_ms - l->last_ms;
  if (dt <= 0) return;  // a call that starts before the last one did: decay only forward
  l->last_ms = now_ms;
  const __m128 f = ExpNeg4(_mm_mul_ps(_mm_set1_ps(static_cast<float>(dt)), kLog2eOverTauMs));
  _mm_storeu_ps(l->win, _mm_mul_ps(_mm_loadu_ps(l->win), f));
  l->spend_hour *= _mm_cvtss_f32(_mm_shuffle_ps(f, f, _MM_SHUFFLE(2, 2, 2, 2)));  // the hour's factor
}

LeanPrototype::Line* LeanPrototype::FindOrInsert(const Key& k, int64_t now_ms) {
  for (uint64_t i = k.hash >> line_shift_;; i = (i + 1) & line_mask_) {
    Line* l = &lines_[i];
    if (l->klen == k.len && l->k0 == k.w0 && l->k1 == k.w1) return l;
    if (l->klen == 0) {
      if (accounts_ >= max_accounts_) return nullptr;  // the lines are 0.7 full
      l->k0 = k.w0, l->k1 = k.w1, l->klen = k.len;
      l->last_ms = now_ms;
      ++accounts_;
      return l;
    }
  }
}

int LeanPrototype::Begin(std::string_view account, std::string_view dialed, int64_t start_ms, uint64_t call_id,
                         LeanDecision* out) {
  // The account's home line first: its miss overlaps normalization and the prefix lookup.
  Key k;
  if (!MakeKey(account, &k)) return 2;
  __builtin_prefetch(&lines_[k.hash >> line_shift_], 1, 3);
  uint64_t pref[16];
  const int n = Normalize(dialed, pref);
  if (n == 0) {
    out->action = TG_ACTION_ALERT;
    out->score = kAlertScore;
    out->max_duration_s = kAlertMaxDurationS;
    return 1;
  }
  const Attrs a = Find(pref, n);
  // Local time by arithmetic.
  const int64_t local_s = start_ms / 1000 + utc_offset_s_;
  const int64_t day = local_s / 86400;
  const int hour = static_cast<int>((local_s - day * 86400) / 3600);
  const int wday = static_cast<int>((day + 4) % 7);  // 1970-01-01 was a Thursday; 0 = Sunday
  Line* l = FindOrInsert(k, start_ms);
  if (!l) return 2;
  Decay(l, start_ms);
  for (float& c : l->win) c += 1;
  // Score: the default policy's weights; time-of-day weights scaled by tier as the engine does.
  const int tier = a.flags & 3;
  int score = 0;
  if (a.flags & kIntl) score += 60;
  if (a.flags & kPremium) score += 200;
  if (a.flags & kHighRisk) score += 200;
  if (a.rate > 0.8f) score += 100;
  const bool weekend = wday == 0 || wday == 6;
  const bool off_hours = weekend || hour < 8 || hour >= 19;
  const bool night = hour >= 22 || hour < 6;
  score += ((off_hours ? 100 : 0) + (night ? 200 : 0) + (weekend ? 120 : 0)) * (tier == 0 ? 1 : tier == 1 ? 2 : 4) / 4;
  if (l->win[0] > 10) score += 150;
  if (l->win[1] > 40) score += 150;
  if (l->win[2] > 120) score += 100;
  if (l->win[3] > 800) score += 100;
  if (l->live >= 30) score += 250;
  const float exposure = l->spend_hour + l->live_rate;
  if (exposure > kSpendPerHour) score += 600;
  out->score = std::min(score, 1000);
  out->action = score >= kBlockScore ? TG_ACTION_BLOCK : score >= kAlertScore ? TG_ACTION_ALERT : TG_ACTION_ALLOW;
  out->rate = a.rate;
  out->country = a.country;
  int32_t max_s = kMaxCallS;
  if (a.rate > 0) max_s = static_cast<int32_t>(std::clamp((kSpendPerHour - exposure) * 60.f / a.rate, 0.f, float{kMaxCallS}));
  if (out->action == TG_ACTION_ALERT) max_s = std::min(max_s, kAlertMaxDurationS);
  out->max_duration_s = out->action == TG_ACTION_BLOCK ? 0 : max_s;
  // Record a connecting call as live.
  if (out->action == TG_ACTION_BLOCK || call_id == 0) return 0;
  if (2 * (live_count_ + 1) > live_.size()) return 3;
  const size_t mask = live_.size() - 1;
  size_t i = (call_id * 0x9e3779b97f4a7c15ull) >> live_shift_;
  while (live_[i].id != 0) i = (i + 1) & mask;
  live_[i] = {call_id, static_cast<uint32_t>(l - lines_.data()), a.rate};
  ++live_count_;
  ++l->live;
  l->live_rate += a.rate;
  return 0;
}

// Linear probing's deletion without tombstones: later entries of the cluster move back into the hole when
// their home slot allows it.
void LeanPrototype::EraseLive(size_t j) {
  const size_t mask = live_.size() - 1;
  size_t hole = j;
  for (size_t k = (j + 1) & mask; live_[k].id != 0; k = (k + 1) & mask) {
    const size_t home = (live_[k].id * 0x9e3779b97f4a7c15ull) >> live_shift_;
    if (((k - home) & mask) >= ((k - hole) & mask)) {
      live_[hole] = live_[k];
      hole = k;
    }
  }
  live_[hole].id = 0;
  --live_count_;
}

int LeanPrototype::End(uint64_t call_id, int64_t end_ms, int billed_seconds) {
  if (call_id == 0) return 1;
  const size_t mask = live_.size() - 1;
  size_t i = (call_id * 0x9e3779b97f4a7c15ull) >> live_shift_;
  while (live_[i].id != call_id) {
    if (live_[i].id == 0) return 1;
    i = (i + 1) & mask;
  }
  const LiveSlot s = live_[i];
  EraseLive(i);
  Line* l = &lines_[s.line];
  if (--l->live == 0) {
    l->live_rate = 0;  // no drift from float sums
  } else {
    l->live_rate -= s.rate;
  }
  // Spent at end_ms: booked at the line's last_ms, scaled up by the decay it would have had since then (exact
  // for an exponential decay; the windows are not touched).
  const float ahead = static_cast<float>(std::clamp<int64_t>(end_ms - l->last_ms, -86400000, 86400000));
  l->spend_hour += s.rate * static_cast<float>(billed_seconds) / 60.f * Exp2(ahead * kLog2eOverHourMs);
  return 0;
}

}  // namespace tollguard::bench
