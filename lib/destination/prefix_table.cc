#include "lib/destination/prefix_table.h"

#include <cstring>

namespace tollguard::destination {


void PrefixTable::Prefetch(std::string_view digits) const {
  if (nodes_.empty()) return;
  // The top of the trie is hot; the first node below the country code is the likely miss.
  uint32_t n = 0;
  for (size_t i = 0; i < digits.size() && i < 4; ++i) {
    const unsigned d = static_cast<unsigned>(digits[i] - '0');
    const uint32_t mask = nodes_[n].child_mask;
    if (d > 9 || !((mask >> d) & 1u)) return;
    n = nodes_[n].first_child + static_cast<uint32_t>(__builtin_popcount(mask & ((1u << d) - 1u)));
  }
  __builtin_prefetch(&nodes_[nodes_[n].first_child]);
}

}  // namespace tollguard::destination
