// ExpNeg4 (the four-lane exp used for the decay factors) must give bit for bit what ExpNeg gives, so that
// decisions do not depend on which path computed a factor.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "lib/signals/decay.h"

namespace tollguard::signals {
namespace {

void ExpectSameBits(const float (&in)[4]) {
  float out[4];
  ExpNeg4(in, out);
  for (int k = 0; k < 4; ++k) {
    const float want = ExpNeg(in[k]);
    EXPECT_EQ(0, std::memcmp(&out[k], &want, sizeof(float))) << "x=" << in[k] << " lane " << k << ": " << out[k]
                                                              << " vs " << want;
  }
}

TEST(ExpNeg4Test, EdgeValuesMatchTheScalarPath) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  ExpectSameBits({0.f, -1.f, 1e-9f, 0.5f});
  ExpectSameBits({1.f, 86.9f, 87.f, 87.1f});
  ExpectSameBits({1000.f, nan, -inf, inf});
  ExpectSameBits({1e-30f, 2.f, 126.f, 60.f});
}

TEST(ExpNeg4Test, RandomValuesMatchTheScalarPath) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> wide(0.f, 90.f);
  std::exponential_distribution<float> small(1.f);
  for (int i = 0; i < 200000; ++i) {
    ExpectSameBits({wide(rng), small(rng), small(rng) * 1e-3f, small(rng) * 30.f});
    if (HasFailure()) return;
  }
}

TEST(ExpNeg4Test, AccurateToFewMillionths) {
  // Relative to exp of the float actually passed; the windows only ever look at x up to ~20 (beyond it a
  // factor is below 2e-9: nothing is left of the counter), where float rounding of x*log2(e) stays small.
  double worst = 0;
  for (double x = 0; x < 20; x += 0.000731) {
    const float xf = static_cast<float>(x);
    const double want = std::exp(-static_cast<double>(xf));
    worst = std::max(worst, std::abs(ExpNeg(xf) - want) / want);
  }
  EXPECT_LT(worst, 5e-6);
  EXPECT_LT(ExpNeg(60.f), 1e-25f);
  EXPECT_EQ(ExpNeg(100.f), 0.f);
}

TEST(ExpNeg4Test, DecayFactorsAreTheWindowExponentials) {
  for (const int64_t ms : {1, 90000, 3600000, 86400000}) {
    const DecayFactors d(ms);
    for (int i = 0; i < kWindows; ++i) {
      const double want = std::exp(-1e-3 * static_cast<double>(ms) / kWindowSeconds[i]);
      EXPECT_NEAR(d.f[i], want, 5e-6 * want + 1e-12) << ms << " ms, window " << i;
    }
  }
  const DecayFactors none(0);
  for (int i = 0; i < kWindows; ++i) EXPECT_EQ(none.f[i], 1.f);
}

}  // namespace
}  // namespace tollguard::signals
