// The destination prefix table: longest-prefix match over E.164 digits to a destination's attributes.
// Thread-safety: immutable after TableBuilder::Build; Lookup may run on any number of threads.
#ifndef TOLLGUARD_LIB_DESTINATION_PREFIX_TABLE_H_
#define TOLLGUARD_LIB_DESTINATION_PREFIX_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace tollguard::destination {

enum AttrFlags : uint8_t {
  kDomestic = 1,         // within the home country (same region, or US/CA within NANP)
  kHighRiskCountry = 2,  // region on the policy's high-risk list
  kIntlNetwork = 4,      // satellite / international network code
  kRateFromDeck = 8,     // rate comes from the carrier rate deck, not an estimate
};

// What the table knows of a range. 12 bytes; everything the scorer needs from the destination.
struct Attrs {
  uint32_t rate_micros = 0;  // per-minute rate, millionths of the currency unit
  char region[4] = {0};      // "JP", "001" (non-geographic), "" unknown
  uint8_t type = 99;         // TG_NUMBER_*
  uint8_t tier = 0;          // 0..3, for a call from the home country
  uint8_t action = 0;        // policy::Action: 0 none, 1 ALLOW, 2 ALERT, 3 BLOCK
  uint8_t flags = 0;         // AttrFlags
  bool operator==(const Attrs& o) const {  // inline: the table build compares attributes per entry
    uint64_t a0, b0;
    uint32_t a1, b1;
    std::memcpy(&a0, this, 8);
    std::memcpy(&b0, &o, 8);
    std::memcpy(&a1, reinterpret_cast<const char*>(this) + 8, 4);
    std::memcpy(&b1, reinterpret_cast<const char*>(&o) + 8, 4);
    return a0 == b0 && a1 == b1;
  }
};
static_assert(sizeof(Attrs) == 12, "Attrs is packed into 12 bytes");

// A popcount-compressed 10-ary trie in one array: each node holds a bitmap of present child digits and the
// index of its first child; children of a node are contiguous. Attribute records are deduplicated.
class PrefixTable {
 public:
  struct Node {
    uint16_t child_mask = 0;
    uint16_t reserved = 0;
    uint32_t first_child = 0;
    uint32_t attrs = 0;  // index + 1 into attrs_; 0: no entry ends here
  };
  static_assert(sizeof(Node) == 12, "Node is 12 bytes");

  PrefixTable() = default;

  // Longest prefix of `digits` (ASCII digits) with an entry; nullptr when none. *matched_len gets its length.
  // Hot path: no allocation; one array walk.
  const Attrs* Lookup(std::string_view digits, int* matched_len = nullptr) const {
    if (nodes_.empty()) return nullptr;
    const Node* nodes = nodes_.data();
    uint32_t n = 0;
    uint32_t best = nodes[0].attrs;
    int best_len = 0;
    for (size_t i = 0; i < digits.size(); ++i) {
      const unsigned d = static_cast<unsigned>(digits[i] - '0');
      const uint32_t mask = nodes[n].child_mask;
      if (d > 9 || !((mask >> d) & 1u)) break;
      n = nodes[n].first_child + static_cast<uint32_t>(__builtin_popcount(mask & ((1u << d) - 1u)));
      if (nodes[n].attrs) {
        best = nodes[n].attrs;
        best_len = static_cast<int>(i + 1);
      }
    }
    if (matched_len) *matched_len = best_len;
    return best ? &attrs_[best - 1] : nullptr;
  }

  // Prefetches the first cache lines a Lookup of `digits` touches (optional two-phase use).
  void Prefetch(std::string_view digits) const;

  size_t entries() const { return entries_; }      // prefixes with an entry
  size_t node_count() const { return nodes_.size(); }
  size_t memory_bytes() const { return nodes_.capacity() * sizeof(Node) + attrs_.capacity() * sizeof(Attrs); }

 private:
  friend class TableBuilder;
  std::vector<Node> nodes_;
  std::vector<Attrs> attrs_;
  size_t entries_ = 0;
};

}  // namespace tollguard::destination

#endif  // TOLLGUARD_LIB_DESTINATION_PREFIX_TABLE_H_
