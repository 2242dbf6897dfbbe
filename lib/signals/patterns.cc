#include "lib/signals/patterns.h"

#include "lib/util/digits.h"

namespace tollguard::signals {
namespace {

// An encoded number: the digits' value in the low 50 bits (15 digits < 2^50), the digit count in bits
// 50..55, the first two digits in bits 56..62. Equal numbers encode equally; numbers of different
// lengths never do (0049... vs 49...).
constexpr uint64_t kValueMask = (uint64_t{1} << 50) - 1;
uint64_t ValueOf(uint64_t n) { return n & kValueMask; }
uint32_t LeadOf(uint64_t n) { return static_cast<uint32_t>(n >> 56) & 0x7f; }
uint64_t RangeOf(uint64_t n) { return (ValueOf(n) / 1000) | (n & ~kValueMask); }  // all but the last 3 digits

uint64_t DigitsValue(std::string_view d) {
  static constexpr uint64_t kPow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  if (d.size() < 8 || d.size() > 16) {
    uint64_t v = 0;
    for (char c : d) v = v * 10 + static_cast<uint64_t>(c - '0');
    return v;
  }
  const uint64_t head = util::Load8(d.data());
  const size_t rest = d.size() - 8;
  if (rest == 0) return util::EightDigitsValue(head);
  uint64_t tail = util::Load8(d.data() + d.size() - 8);  // overlaps head by 8 - rest digits: made '0's
  const uint64_t overlap = (uint64_t{1} << (8 * (8 - rest))) - 1;
  tail = (tail & ~overlap) | (0x3030303030303030ull & overlap);
  return util::EightDigitsValue(head) * kPow10[rest] + util::EightDigitsValue(tail);
}

}  // namespace

uint64_t NumberValue(std::string_view e164) {
  const uint64_t v = DigitsValue(e164);
  uint64_t lead = 0;
  if (e164.size() >= 2) lead = static_cast<uint64_t>((e164[0] - '0') * 10 + (e164[1] - '0'));
  return (v & kValueMask) | (static_cast<uint64_t>(e164.size() & 63) << 50) | (lead << 56);
}

Patterns Observe(const state::AccountRecord& r, uint64_t number) {
  Patterns p;
  const uint64_t last = r.recent[(r.recent_pos + state::kRecentNumbers - 1) % state::kRecentNumbers];
  if (last != 0 && (last & ~kValueMask) == (number & ~kValueMask) &&
      (ValueOf(number) == ValueOf(last) + 1 || ValueOf(number) + 1 == ValueOf(last))) {
    p.sweep_run = r.sweep_run + 1;
  }
  // Same range as RangeOf(n) == RangeOf(number), without a division per entry: the same length and lead
  // bits, and a value within the number's block of 1000.
  const uint64_t tag = number & ~kValueMask;
  const uint64_t block = RangeOf(number) & kValueMask;
  const uint64_t block_start = block * 1000;
  // Leading two-digit prefixes (0..99) as a 128-bit set; distinct numbers of the range, each counted once.
  uint64_t leads[2] = {0, 0};
  const uint32_t own_lead = LeadOf(number);
  leads[own_lead >> 6] |= uint64_t{1} << (own_lead & 63);
  uint64_t in_range[state::kRecentNumbers];
  int n_in_range = 0;
  p.repeats = 1;
  for (int i = 0; i < state::kRecentNumbers; ++i) {
    const uint64_t n = r.recent[i];
    if (n == 0) continue;
    const uint32_t l = LeadOf(n);
    leads[l >> 6] |= uint64_t{1} << (l & 63);
    if (n == number) {
      ++p.repeats;
    } else if ((n & ~kValueMask) == tag && ValueOf(n) - block_start < 1000) {
      bool seen = false;
      for (int k = 0; k < n_in_range; ++k) seen |= in_range[k] == n;
      if (!seen) in_range[n_in_range++] = n;
    }
  }
  p.fanout = 1 + n_in_range;
  p.diversity = __builtin_popcountll(leads[0]) + __builtin_popcountll(leads[1]);
  return p;
}

void RecordNumber(state::AccountRecord& r, uint64_t number, const Patterns& p) {
  r.recent[r.recent_pos % state::kRecentNumbers] = number;
  r.recent_pos = static_cast<uint8_t>((r.recent_pos + 1) % state::kRecentNumbers);
  r.sweep_run = static_cast<uint8_t>(p.sweep_run > 255 ? 255 : p.sweep_run);
}

}  // namespace tollguard::signals
