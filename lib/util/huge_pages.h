// Memory on transparent huge pages for the large arrays a cold decision reads at random (the account
// store's index and, preallocated, its records): with 4 KiB pages each such read also pays a page walk,
// which in a virtual machine is itself several dependent memory reads. (The prefix table's slots stay on
// the heap: huge pages for them were measured twice without a change, docs/PERFORMANCE.md.)
// MapHuge returns a 2 MiB-aligned anonymous mapping advised MADV_HUGEPAGE (advice only: where THP is off
// the pages are 4 KiB ones, and nothing else changes). Nothing is touched here: callers that must never
// fault a huge page in a decision write the memory once right away (docs/RELIABILITY.md F10).
// Thread-safety: pure functions.
#ifndef TOLLGUARD_LIB_UTIL_HUGE_PAGES_H_
#define TOLLGUARD_LIB_UTIL_HUGE_PAGES_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace tollguard {

inline constexpr size_t kHugePage = size_t{2} << 20;

// `bytes` rounded up to whole 4 KiB pages: the length MapHuge maps and UnmapHuge expects.
inline size_t HugeMappedBytes(size_t bytes) { return (bytes + 4095) & ~size_t{4095}; }

// A mapping of HugeMappedBytes(bytes) starting on a 2 MiB boundary, or nullptr. Unreserved (MAP_NORESERVE):
// pages become resident when first written.
inline void* MapHuge(size_t bytes) {
  const size_t len = HugeMappedBytes(bytes);
  void* map = mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
  if (map == MAP_FAILED) return nullptr;
  const uintptr_t start = reinterpret_cast<uintptr_t>(map);
  const uintptr_t base = (start + kHugePage - 1) & ~(kHugePage - 1);
  // Give back the unaligned head and the tail beyond the rounded length.
  if (base > start) munmap(map, base - start);
  const uintptr_t end = start + len + kHugePage;
  if (end > base + len) munmap(reinterpret_cast<void*>(base + len), end - (base + len));
  madvise(reinterpret_cast<void*>(base), len, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(base);
}

inline void UnmapHuge(void* p, size_t bytes) {
  if (p != nullptr) munmap(p, HugeMappedBytes(bytes));
}

}  // namespace tollguard

#endif  // TOLLGUARD_LIB_UTIL_HUGE_PAGES_H_
