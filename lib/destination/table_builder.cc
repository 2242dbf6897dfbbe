#include "lib/destination/table_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tollguard/tollguard.h"

namespace tollguard::destination {
namespace {

struct Layers {  // the effective value of each layer at a prefix, inherited from the longest ancestor
  bool has_range = false, has_rate = false, has_override = false;
  char region[4] = {0};
  uint8_t type = TG_NUMBER_UNKNOWN;
  double rate = 0;
  uint8_t action = 0;
  int8_t tier = -1;
  double override_rate = 0;
};

bool IsPrefixOf(const char* a, uint8_t alen, const char* b, uint8_t blen) {
  return alen <= blen && std::memcmp(a, b, alen) == 0;
}

bool StartsWith(const char* p, uint8_t len, const std::string& code) {
  return code.size() <= len && std::memcmp(p, code.data(), code.size()) == 0;
}

bool IsNanpDomestic(const std::string& home, const char* region) {
  const bool home_nanp_core = home == "US" || home == "CA";
  return home_nanp_core && (std::strcmp(region, "US") == 0 || std::strcmp(region, "CA") == 0);
}

Attrs Compute(const char* prefix, uint8_t len, const Layers& l, const RiskRules& r) {
  Attrs a;
  std::memcpy(a.region, l.region, sizeof(a.region));
  a.type = l.type;
  const int ti = TypeIndex(l.type);
  const bool domestic = l.region[0] != 0 && (r.home_region == l.region || IsNanpDomestic(r.home_region, l.region));
  if (domestic) a.flags |= kDomestic;
  int tier = domestic ? r.domestic_tier[ti] : r.intl_tier[ti];
  double rate = domestic ? r.domestic_rate[ti] : r.intl_rate[ti];
  if (!domestic && l.region[0] != 0 && r.high_risk.contains(l.region)) {
    a.flags |= kHighRiskCountry;
    tier = std::max<int>(tier, r.high_risk_tier);
    rate *= r.high_risk_rate_multiplier;
  }
  for (const std::string& code : r.intl_network_codes) {
    if (StartsWith(prefix, len, code)) {
      a.flags |= kIntlNetwork;
      tier = std::max<int>(tier, r.intl_network_tier);
    }
  }
  if (l.type == TG_NUMBER_UNKNOWN && !domestic) tier = std::max<int>(tier, r.unknown_range_tier);
  if (l.has_rate) {
    rate = l.rate;
    a.flags |= kRateFromDeck;
  }
  if (l.has_override) {
    if (l.tier >= 0) tier = l.tier;
    if (l.override_rate > 0) {
      rate = l.override_rate;
      a.flags |= kRateFromDeck;
    }
    a.action = l.action;
  }
  a.tier = static_cast<uint8_t>(std::clamp(tier, 0, 3));
  const double micros = std::round(rate * 1e6);
  a.rate_micros = !(micros > 0) ? 0 : micros >= 4e9 ? 4000000000u : static_cast<uint32_t>(micros);  // NaN: 0
  return a;
}

// Stable LSD radix sort by Entry::key, 16 bits a pass, of (key, index) pairs -- 16 bytes moved per pass
// instead of a whole entry -- then one gather: the order of std::stable_sort by (prefix, layer) in a
// fraction of its time for a million-row deck (docs/PERFORMANCE.md).
template <typename E>
void SortByKey(std::vector<E>* v) {
  const size_t n = v->size();
  if (n < 2) return;
  struct KeyIndex {
    uint64_t key;
    uint64_t index;
  };
  std::vector<KeyIndex> a(n), b(n);
  for (size_t i = 0; i < n; ++i) a[i] = {(*v)[i].key, i};
  std::vector<uint32_t> count(65536);
  KeyIndex* src = a.data();
  KeyIndex* dst = b.data();
  for (int shift = 0; shift < 64; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (size_t i = 0; i < n; ++i) ++count[(src[i].key >> shift) & 0xffff];
    if (count[(src[0].key >> shift) & 0xffff] == n) continue;  // every key has the same digit here
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (size_t i = 0; i < n; ++i) dst[count[(src[i].key >> shift) & 0xffff]++] = src[i];
    std::swap(src, dst);
  }
  std::vector<E> sorted;
  sorted.reserve(n);
  for (size_t i = 0; i < n; ++i) sorted.push_back((*v)[src[i].index]);
  v->swap(sorted);
}

// The lookup key of a prefix: its digits as nibbles digit+1, the first digit highest (PrefixTable::Slot).
uint64_t LookupKey(const char* prefix, uint8_t len) {
  uint64_t k = 0;
  for (uint8_t i = 0; i < len; ++i) k = (k << 4) | static_cast<uint64_t>(prefix[i] - '0' + 1);
  return k;
}

}  // namespace

void TableBuilder::Push(std::string_view prefix, Entry e) {
  if (prefix.empty() || prefix.size() > 15 ||
      !std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    ++rejected_;
    return;
  }
  std::memset(e.prefix, 0, sizeof(e.prefix));
  std::memcpy(e.prefix, prefix.data(), prefix.size());
  e.len = static_cast<uint8_t>(prefix.size());
  uint64_t key = 0;
  for (size_t i = 0; i < 15; ++i) key = (key << 4) | (i < prefix.size() ? static_cast<uint64_t>(prefix[i] - '0' + 1) : 0);
  e.key = (key << 4) | e.layer;
  entries_.push_back(e);
}

void TableBuilder::AddRange(std::string_view prefix, std::string_view region, uint8_t type) {
  Entry e{};
  e.layer = 0;
  e.type_or_action = type;
  std::memcpy(e.region, region.data(), std::min<size_t>(region.size(), 3));
  Push(prefix, e);
}

void TableBuilder::AddRate(std::string_view prefix, double rate_per_minute) {
  Entry e{};
  e.layer = 1;
  e.rate = rate_per_minute;
  Push(prefix, e);
}

void TableBuilder::AddOverride(std::string_view prefix, uint8_t action, int tier, double rate) {
  Entry e{};
  e.layer = 2;
  e.type_or_action = action;
  e.tier = static_cast<int8_t>(tier < 0 ? -1 : std::min(tier, 3));
  e.rate = rate;
  Push(prefix, e);
}

absl::StatusOr<PrefixTable> TableBuilder::Build(const RiskRules& rules) {
  if (rejected_ > 0) {
    return absl::InvalidArgumentError(absl::StrCat(rejected_, " table prefixes are not 1..15 digits"));
  }
  SortByKey(&entries_);
  struct Frame {
    const char* prefix;
    uint8_t len;
    Layers layers;
    Attrs attrs;
    bool has_attrs;
  };
  std::vector<Frame> stack;
  std::vector<std::pair<uint64_t, Attrs>> emitted;  // lookup key, attributes
  emitted.reserve(entries_.size());
  PrefixTable table;
  for (size_t i = 0; i < entries_.size();) {
    const Entry& head = entries_[i];
    while (!stack.empty() && !IsPrefixOf(stack.back().prefix, stack.back().len, head.prefix, head.len)) {
      stack.pop_back();
    }
    Frame f{head.prefix, head.len, stack.empty() ? Layers{} : stack.back().layers, Attrs{}, false};
    size_t j = i;
    bool override_here = false;
    for (; j < entries_.size() && (entries_[j].key >> 4) == (head.key >> 4); ++j) {
      const Entry& e = entries_[j];
      Layers& l = f.layers;
      if (e.layer == 0) {
        l.has_range = true;
        l.type = e.type_or_action;
        std::memcpy(l.region, e.region, sizeof(l.region));
      } else if (e.layer == 1) {
        l.has_rate = true;
        l.rate = e.rate;
      } else {
        if (!override_here) {  // the longest override wins whole: start from nothing, not from an ancestor's
          l.action = 0;
          l.tier = -1;
          l.override_rate = 0;
        }
        l.has_override = true;
        override_here = true;
        if (e.type_or_action) l.action = e.type_or_action;
        if (e.tier >= 0) l.tier = e.tier;
        if (e.rate > 0) l.override_rate = e.rate;
      }
    }
    f.attrs = Compute(head.prefix, head.len, f.layers, rules);
    // An entry that changes nothing against its nearest ancestor entry is not needed for the match.
    const Frame* parent = nullptr;
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      if (it->has_attrs) {
        parent = &*it;
        break;
      }
    }
    if (parent == nullptr || !(parent->attrs == f.attrs)) {
      f.has_attrs = true;
      emitted.push_back({LookupKey(head.prefix, head.len), f.attrs});
    } else {
      f.has_attrs = true;  // same attributes as the ancestor: still the effective value below it
    }
    stack.push_back(f);
    i = j;
  }
  // One slot per 0.6 of an entry: short probe runs (a miss reads ~2 slots) at 40 bytes per prefix.
  // Probe runs never wrap around: they continue into padding after the home slots, which always ends
  // with an empty slot.
  table.entries_ = emitted.size();
  const size_t n = emitted.size() * 5 / 3 + 16;
  table.home_slots_ = n;
  table.slots_.assign(n + 64, PrefixTable::Slot{});
  constexpr size_t kAhead = 16;  // the slots are random in a table of tens of MB: request them early
  for (size_t i = 0; i < emitted.size(); ++i) {
    if (i + kAhead < emitted.size()) {
      __builtin_prefetch(&table.slots_[PrefixTable::SlotOf(emitted[i + kAhead].first, n)], 1);
    }
    const auto& [key, attrs] = emitted[i];
    size_t p = PrefixTable::SlotOf(key, n);
    while (table.slots_[p].key != 0) ++p;
    if (p + 1 >= table.slots_.size()) table.slots_.resize(p + 2);  // keep an empty slot after every run
    table.slots_[p].key = key;
    table.slots_[p].attrs = attrs;
    table.length_mask_ |= 1u << PrefixTable::LengthOf(key);
  }
  table.slots_.shrink_to_fit();
  return table;
}

}  // namespace tollguard::destination
