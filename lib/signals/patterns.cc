#include "lib/signals/patterns.h"

namespace tollguard::signals {

uint64_t NumberValue(std::string_view e164) {
  uint64_t v = 0;
  for (char c : e164) v = v * 10 + static_cast<uint64_t>(c - '0');
  // Keep numbers of different lengths apart (0049... vs 49...): fold the length into the top bits.
  return v | (static_cast<uint64_t>(e164.size()) << 56);
}

Patterns Observe(const state::AccountRecord& r, uint64_t number) {
  Patterns p;
  const uint64_t last = r.recent[(r.recent_pos + state::kRecentNumbers - 1) % state::kRecentNumbers];
  if (last != 0 && (number == last + 1 || number + 1 == last)) p.sweep_run = r.sweep_run + 1;
  const uint64_t range = number / 1000;
  p.fanout = 1;
  p.repeats = 1;
  uint32_t leads[state::kRecentNumbers + 1];
  int n_leads = 0;
  auto lead = [](uint64_t v) {  // the first two digits of an encoded number
    int len = static_cast<int>(v >> 56);
    uint64_t x = v & ((1ull << 56) - 1);
    for (; len > 2; --len) x /= 10;
    return static_cast<uint32_t>(x);
  };
  leads[n_leads++] = lead(number);
  for (int i = 0; i < state::kRecentNumbers; ++i) {
    const uint64_t n = r.recent[i];
    if (n == 0) continue;
    const uint32_t l = lead(n);
    bool seen = false;
    for (int k = 0; k < n_leads; ++k) seen |= leads[k] == l;
    if (!seen) leads[n_leads++] = l;
    if (n == number) {
      ++p.repeats;
    } else if (n / 1000 == range) {
      // Count each distinct number once: only its most recent occurrence.
      bool seen_later = false;
      for (int j = i + 1; j < state::kRecentNumbers; ++j) seen_later |= r.recent[j] == n;
      if (!seen_later) ++p.fanout;
    }
  }
  p.diversity = n_leads;
  return p;
}

void RecordNumber(state::AccountRecord& r, uint64_t number, const Patterns& p) {
  r.recent[r.recent_pos] = number;
  r.recent_pos = static_cast<uint8_t>((r.recent_pos + 1) % state::kRecentNumbers);
  r.sweep_run = static_cast<uint8_t>(p.sweep_run > 255 ? 255 : p.sweep_run);
}

}  // namespace tollguard::signals
