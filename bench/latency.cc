#include "bench/latency.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tollguard::bench {

const Tsc& Tsc::Get() {
  static const Tsc tsc = [] {
    Tsc t;
    // Frequency: ticks over 50 ms of steady_clock (the TSC is invariant here: constant_tsc, nonstop_tsc).
    const auto c0 = std::chrono::steady_clock::now();
    const uint64_t t0 = TscBegin();
    while (std::chrono::steady_clock::now() - c0 < std::chrono::milliseconds(50)) {
    }
    const uint64_t t1 = TscEnd();
    const auto c1 = std::chrono::steady_clock::now();
    const double ns = std::chrono::duration<double, std::nano>(c1 - c0).count();
    t.ns_per_tick = ns / static_cast<double>(t1 - t0);
    // Overhead of the bracket itself: median of many empty pairs.
    std::vector<uint64_t> v(20001);
    for (auto& x : v) {
      const uint64_t a = TscBegin();
      const uint64_t b = TscEnd();
      x = b - a;
    }
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    t.overhead = v[v.size() / 2];
    return t;
  }();
  return tsc;
}

void Histogram::Merge(const Histogram& o) {
  for (int i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
  total_ += o.total_;
  max_ = std::max(max_, o.max_);
}

void Histogram::Clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = 0;
  max_ = 0;
}

double Histogram::Mid(int idx) {
  if (idx < 2 * kSub) return idx;
  const int shift = (idx - 2 * kSub) / kSub + 1;
  const int top = (idx - 2 * kSub) % kSub + kSub;
  const double lower = std::ldexp(static_cast<double>(top), shift);
  return lower + std::ldexp(1.0, shift) / 2 - 0.5;
}

double Histogram::QuantileTicks(double q) const {
  if (total_ == 0) return 0;
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_))));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return Mid(i);
  }
  return static_cast<double>(max_);
}

}  // namespace tollguard::bench
