// Per-call latency measurement for the benchmarks: a calibrated TSC clock and a log-linear histogram
// (64 sub-buckets per power of two, so every reported percentile is within ~1.6% of the true sample).
// Thread-safety: Tsc is process-wide and immutable after Calibrate(); a Histogram belongs to one thread.
#ifndef TOLLGUARD_BENCH_LATENCY_H_
#define TOLLGUARD_BENCH_LATENCY_H_

#include <x86intrin.h>

#include <cstdint>
#include <vector>

namespace tollguard::bench {

// Time stamps that bracket a measured region: lfence keeps the region's instructions from leaking out.
inline uint64_t TscBegin() {
  _mm_lfence();
  const uint64_t t = __rdtsc();
  _mm_lfence();
  return t;
}
inline uint64_t TscEnd() {
  unsigned aux;
  const uint64_t t = __rdtscp(&aux);
  _mm_lfence();
  return t;
}

struct Tsc {
  double ns_per_tick = 1.0;  // from a 50 ms comparison with steady_clock
  uint64_t overhead = 0;     // ticks of an empty TscBegin/TscEnd pair (median), subtracted from samples
  // Measures both once; later calls return the cached values. Thread-safe (magic static).
  static const Tsc& Get();
};

class Histogram {
 public:
  static constexpr int kSubBits = 6;
  static constexpr int kSub = 1 << kSubBits;  // 64
  static constexpr int kBuckets = 2 * kSub + 40 * kSub;

  Histogram() : counts_(kBuckets, 0) {}
  void Add(uint64_t ticks) {
    ++counts_[Index(ticks)];
    ++total_;
    if (ticks > max_) max_ = ticks;
  }
  void Merge(const Histogram& o);
  void Clear();
  uint64_t total() const { return total_; }
  // The q-quantile (0 < q <= 1) in ticks: the midpoint of the bucket holding the ceil(q * total)-th sample.
  double QuantileTicks(double q) const;
  double QuantileNs(double q) const { return QuantileTicks(q) * Tsc::Get().ns_per_tick; }
  double MaxNs() const { return static_cast<double>(max_) * Tsc::Get().ns_per_tick; }

 private:
  static int Index(uint64_t v) {
    if (v < 2 * kSub) return static_cast<int>(v);
    const int msb = 63 - __builtin_clzll(v);
    const int shift = msb - kSubBits;  // >= 1
    const int top = static_cast<int>(v >> shift);  // kSub .. 2*kSub-1
    const int idx = 2 * kSub + (shift - 1) * kSub + (top - kSub);
    return idx < kBuckets ? idx : kBuckets - 1;
  }
  static double Mid(int idx);
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t max_ = 0;
};

}  // namespace tollguard::bench

#endif  // TOLLGUARD_BENCH_LATENCY_H_
