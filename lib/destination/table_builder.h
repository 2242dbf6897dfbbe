// Builds a PrefixTable from layers: the libphonenumber-derived default table (region, number type), a carrier
// rate deck (rates), and overrides (action, tier, rate); then applies the policy's risk rules to every entry.
// Thread-safety: a TableBuilder is used by one thread (the loader); the PrefixTable it builds is immutable.
#ifndef TOLLGUARD_LIB_DESTINATION_TABLE_BUILDER_H_
#define TOLLGUARD_LIB_DESTINATION_TABLE_BUILDER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "lib/destination/prefix_table.h"

namespace tollguard::destination {

// The policy's risk rules, as plain data.
struct RiskRules {
  std::string home_region;                         // "JP"
  absl::flat_hash_set<std::string> high_risk;      // ISO alpha-2
  uint8_t high_risk_tier = 2;
  std::vector<std::string> intl_network_codes;     // "881", ...
  uint8_t intl_network_tier = 3;
  uint8_t unknown_range_tier = 2;
  double high_risk_rate_multiplier = 1.0;
  // Indexed by TG_NUMBER_* (0..10); index 11 is UNKNOWN.
  std::array<uint8_t, 12> intl_tier{};
  std::array<uint8_t, 12> domestic_tier{};
  std::array<double, 12> intl_rate{};      // per minute
  std::array<double, 12> domestic_rate{};
};

class TableBuilder {
 public:
  // Room for `more` entries (a loader passes its line count: no regrowth of a million-entry vector).
  void Reserve(size_t more) { entries_.reserve(entries_.size() + more); }
  // Layer 0: region and type for a prefix (the default table).
  void AddRange(std::string_view prefix, std::string_view region, uint8_t type);
  // Layer 1: a carrier rate deck entry.
  void AddRate(std::string_view prefix, double rate_per_minute);
  // Layer 2: an override. tier < 0 leaves the tier; rate <= 0 leaves the rate; action 0 leaves the action.
  void AddOverride(std::string_view prefix, uint8_t action, int tier, double rate);

  // Merges the layers by longest prefix (every prefix of any layer becomes an entry whose attributes come
  // from the longest matching prefix of each layer) and applies `rules`. REQUIRES: prefixes are digits.
  absl::StatusOr<PrefixTable> Build(const RiskRules& rules);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    char prefix[16];  // NUL-padded digits: byte order of the padded arrays is the lexicographic order
    uint64_t key;     // the same order as one integer: digit+1 per nibble, 0-padded, then the layer nibble
    uint8_t len;
    uint8_t layer;    // 0 range, 1 rate, 2 override
    uint8_t type_or_action;
    int8_t tier;
    char region[4];
    double rate;
  };
  void Push(std::string_view prefix, Entry e);
  std::vector<Entry> entries_;
  size_t rejected_ = 0;  // prefixes longer than 15 digits or not digits
};

// Index into RiskRules arrays for a TG_NUMBER_* value.
inline int TypeIndex(uint8_t type) { return type <= 10 ? type : 11; }

}  // namespace tollguard::destination

#endif  // TOLLGUARD_LIB_DESTINATION_TABLE_BUILDER_H_
