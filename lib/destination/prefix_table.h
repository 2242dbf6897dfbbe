// The destination prefix table: longest-prefix match over E.164 digits to a destination's attributes.
// Thread-safety: immutable after TableBuilder::Build; Lookup may run on any number of threads.
#ifndef TOLLGUARD_LIB_DESTINATION_PREFIX_TABLE_H_
#define TOLLGUARD_LIB_DESTINATION_PREFIX_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "lib/util/digits.h"

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

// Longest-prefix match by hashing: every stored prefix is a key in one open-addressing table whose slots
// carry the attributes inline. A lookup computes the keys of all the number's prefixes whose length occurs
// in the table, requests all their slots at once, then checks them longest first. The slots' memory
// accesses are independent, so a cold lookup costs about one memory round trip, where a trie walk pays one
// per level below the cached top (docs/PERFORMANCE.md has both measured).
class PrefixTable {
 public:
  struct Slot {
    uint64_t key = 0;  // the prefix as nibbles digit+1, first digit highest; 0: empty slot
    Attrs attrs;
    uint32_t reserved = 0;
  };
  static_assert(sizeof(Slot) == 24, "Slot is 24 bytes");

  PrefixTable() = default;

  // A lookup in two steps, so that the caller can do other work while the slots' lines arrive: Start
  // computes the candidate keys and requests their slots; Finish checks them, longest first.
  struct Pending {
    uint64_t keys[16];
    size_t pos[16];
    int n = 0;
  };
  void Start(std::string_view digits, Pending* p) const {
    p->n = slots_.empty() ? 0 : Candidates(digits, p->keys, p->pos, true);
  }
  const Attrs* Finish(const Pending& p, int* matched_len = nullptr) const {
    if (matched_len) *matched_len = 0;
    const Slot* slots = slots_.data();
    for (int i = p.n - 1; i >= 0; --i) {
      for (size_t at = p.pos[i];; ++at) {  // runs end before the padding does (Build): no wrap-around test
        const uint64_t k = slots[at].key;
        if (k == p.keys[i]) {
          if (matched_len) *matched_len = LengthOf(k);
          return &slots[at].attrs;
        }
        if (k == 0) break;
      }
    }
    return nullptr;
  }

  // Longest prefix of `digits` (ASCII digits; the match stops at the first other byte) with an entry;
  // nullptr when none. *matched_len gets its length. Hot path: no allocation, no lock.
  const Attrs* Lookup(std::string_view digits, int* matched_len = nullptr) const {
    Pending p;
    Start(digits, &p);
    return Finish(p, matched_len);
  }

  // Requests the slots a Lookup of `digits` reads (optional two-phase use).
  void Prefetch(std::string_view digits) const {
    Pending p;
    Start(digits, &p);
  }

  size_t entries() const { return entries_; }  // prefixes with an entry
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  friend class TableBuilder;
  static constexpr int kMaxLen = 15;
  static_assert(sizeof(Pending::keys) / sizeof(uint64_t) >= kMaxLen + 1, "a candidate per length");
  // Home slot in [0, home_slots_): the key times an odd constant (the low digits, which differ most, reach
  // the high bits) scaled to the range by its high half.
  static size_t SlotOf(uint64_t key, size_t n) {
    const uint64_t h = key * 0x9e3779b97f4a7c15ull;
    return static_cast<size_t>((static_cast<unsigned __int128>(h) * n) >> 64);
  }
  static int LengthOf(uint64_t key) { return (64 - __builtin_clzll(key) + 3) / 4; }
  // Keys and home slots of the prefixes of `digits` whose lengths occur in the table, shortest first;
  // each slot's line is requested when `prefetch`. Returns how many.
  int Candidates(std::string_view digits, uint64_t* keys, size_t* pos, bool prefetch) const {
    const size_t len = digits.size() < static_cast<size_t>(kMaxLen) ? digits.size() : kMaxLen;
    int n = 0;
    if (len >= 8) {
      // Usually all digits: the whole number as nibbles from two (overlapping) 8-byte loads, then one
      // shift per candidate length instead of a step per digit.
      const uint64_t head = util::Load8(digits.data()), tail = util::Load8(digits.data() + len - 8);
      if (util::EightDigits(head) && util::EightDigits(tail)) {
        const size_t rest = len - 8;  // digits after the first 8, taken from the tail's last nibbles
        const uint64_t low = util::EightDigitsNibbles(tail) & ((uint64_t{1} << (4 * rest)) - 1);
        const uint64_t all = (static_cast<uint64_t>(util::EightDigitsNibbles(head)) << (4 * rest)) | low;
        for (uint32_t m = length_mask_ & ((2u << len) - 1); m != 0; m &= m - 1) {
          const int l = __builtin_ctz(m);  // l >= 1: length 0 is never stored
          keys[n] = all >> (4 * (len - static_cast<size_t>(l)));
          pos[n] = SlotOf(keys[n], home_slots_);
          if (prefetch) __builtin_prefetch(&slots_[pos[n]]);
          ++n;
        }
        return n;
      }
    }
    uint64_t key = 0;  // short, or a non-digit somewhere: the match stops at it
    for (size_t i = 0; i < len; ++i) {
      const unsigned d = static_cast<unsigned>(digits[i] - '0');
      if (d > 9) break;
      key = (key << 4) | (d + 1);
      if ((length_mask_ >> (i + 1)) & 1u) {
        keys[n] = key;
        pos[n] = SlotOf(key, home_slots_);
        if (prefetch) __builtin_prefetch(&slots_[pos[n]]);
        ++n;
      }
    }
    return n;
  }
  std::vector<Slot> slots_;   // home_slots_ slots, then empty padding that every probe run ends in
  size_t home_slots_ = 0;
  uint32_t length_mask_ = 0;  // bit L: some prefix has L digits
  size_t entries_ = 0;
};

}  // namespace tollguard::destination

#endif  // TOLLGUARD_LIB_DESTINATION_PREFIX_TABLE_H_
