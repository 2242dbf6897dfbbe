// The generated dial-plan and calling-code tables (dial_plan_data.inc, from tools/gen_dial_plans.py) and
// the lookups Normalize and MakeDialPlan use. All tables are constexpr: nothing runs at start-up.
#include "lib/number/metadata.h"

#include <algorithm>
#include <cstddef>
#include <iterator>

#include "lib/number/normalizer.h"

namespace tollguard::number::internal {
namespace {

#include "lib/number/dial_plan_data.inc"

constexpr int kCodeSpace = 1000;  // calling codes are 1..999

// Smallest national number length per calling code value, 0 for unassigned values.
// Thread-safety: immutable constexpr data.
struct CodeIndex {
  uint8_t min_national_len[kCodeSpace] = {};
};

constexpr CodeIndex BuildCodeIndex() {
  CodeIndex index{};
  for (const CountryCodeData& c : kCountryCodeData) index.min_national_len[c.cc] = c.min_national_len;
  return index;
}

inline constexpr CodeIndex kCodeIndex = BuildCodeIndex();

constexpr int DecimalLength(int v) { return v >= 100 ? 3 : v >= 10 ? 2 : 1; }

// ITU calling codes are a prefix code: no assigned code starts another one. LookupCountryCode relies on it.
constexpr bool CodesArePrefixFree() {
  for (const CountryCodeData& c : kCountryCodeData) {
    if (c.cc == 0 || c.cc >= kCodeSpace || c.min_national_len == 0) return false;
    int len = DecimalLength(c.cc);
    for (int shorter = 1; shorter < len; ++shorter) {
      int prefix = c.cc;
      for (int k = shorter; k < len; ++k) prefix /= 10;
      if (kCodeIndex.min_national_len[prefix] != 0) return false;
    }
  }
  return true;
}
static_assert(CodesArePrefixFree(), "dial_plan_data.inc: calling codes must be 1..999 and prefix-free");

constexpr bool Less(const char* a, const char* b) {
  while (*a != 0 && *a == *b) ++a, ++b;
  return static_cast<unsigned char>(*a) < static_cast<unsigned char>(*b);
}

constexpr bool RegionsSorted() {
  for (size_t i = 1; i < std::size(kRegionDialData); ++i) {
    if (!Less(kRegionDialData[i - 1].iso, kRegionDialData[i].iso)) return false;
  }
  return true;
}
static_assert(RegionsSorted(), "dial_plan_data.inc: regions must be sorted by ISO code, without duplicates");

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

const RegionDialData* FindRegion(std::string_view iso) {
  const RegionDialData* begin = std::begin(kRegionDialData);
  const RegionDialData* end = std::end(kRegionDialData);
  const RegionDialData* it = std::lower_bound(
      begin, end, iso, [](const RegionDialData& r, std::string_view key) { return std::string_view(r.iso) < key; });
  if (it == end || std::string_view(it->iso) != iso) return nullptr;
  return it;
}

CountryCodeInfo LookupCountryCode(std::string_view digits) {
  CountryCodeInfo info;
  int value = 0;
  const size_t n = std::min<size_t>(digits.size(), 3);
  for (size_t i = 0; i < n; ++i) {
    if (!IsDigit(digits[i])) break;
    value = value * 10 + (digits[i] - '0');
    if (value == 0) break;  // no calling code starts with 0
    if (kCodeIndex.min_national_len[value] != 0) {
      info.len = static_cast<int>(i) + 1;
      info.min_national_len = kCodeIndex.min_national_len[value];
      break;
    }
  }
  return info;
}

int RegionCount() { return static_cast<int>(std::size(kRegionDialData)); }
const RegionDialData& RegionAt(int i) { return kRegionDialData[i]; }
int CountryCodeCount() { return static_cast<int>(std::size(kCountryCodeData)); }
const CountryCodeData& CountryCodeAt(int i) { return kCountryCodeData[i]; }

}  // namespace tollguard::number::internal

namespace tollguard::number {

int CountryCodeLength(std::string_view digits) { return internal::LookupCountryCode(digits).len; }

}  // namespace tollguard::number
