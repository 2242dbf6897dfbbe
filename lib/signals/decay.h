// Exponentially decaying counters: sliding-window rates without the reset cliffs of calendar windows.
// A counter with time constant tau holds sum(exp(-(now - t_i) / tau)) over past events; at a steady rate r
// per second it settles at r * tau, so "value > N" means "more than about N events per tau".
// Thread-safety: plain values; the owner (an account record held through its record lock) serializes access.
#ifndef TOLLGUARD_LIB_SIGNALS_DECAY_H_
#define TOLLGUARD_LIB_SIGNALS_DECAY_H_

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tollguard::signals {

// The time constants of the windows, seconds: ~1 minute, 10 minutes, 1 hour, 24 hours, and 7 days (the
// account's baseline: what it usually does, against which the shorter windows are judged).
inline constexpr int kWindows = 5;
inline constexpr float kWindowSeconds[kWindows] = {60.f, 600.f, 3600.f, 86400.f, 7 * 86400.f};
inline constexpr int kWeek = 4;  // index of the 7-day window
inline constexpr float kWindowRates[kWindows] = {1.f / 60.f, 1.f / 600.f, 1.f / 3600.f, 1.f / 86400.f,
                                                  1.f / (7 * 86400.f)};  // 1/tau: a multiply, not a divide

// exp(-x) for x >= 0 to about 3e-6 relative (tests/unit/signals/exp_neg4_test.cc): 2^(-x log2 e) split
// into the nearest integer power (the float's exponent bits) and a degree-5 Taylor polynomial of 2^f for the
// rest, |f| <= 1/2. A dozen instructions instead of a libm call.
inline float ExpNeg(float x) {
  if (!(x > 0.f)) return 1.f;
  if (x > 87.f) return 0.f;
  const float t = -x * 1.44269504f;           // log2(e); -125.6 < t < 0
  const float h = t + 0.5f;
  int32_t n = static_cast<int32_t>(h);        // truncates toward zero: floor(h) for h < 0 ...
  if (static_cast<float>(n) > h) --n;         // ... unless h was not an integer (no libm floor call)
  const float f = t - static_cast<float>(n);  // -1/2 <= f < 1/2
  const float p = 1.f + f * (0.69314718f + f * (0.24022650f + f * (0.05550411f + f * (0.00961813f + f * 0.00133336f))));
  int32_t bits;
  std::memcpy(&bits, &p, sizeof(bits));
  bits += n * (1 << 23);  // n >= -125 here: stays a normal float
  float out;
  std::memcpy(&out, &bits, sizeof(out));
  return out;
}

#if defined(__SSE2__)
// ExpNeg of four values at once: the same operations in the same order, lane by lane, so the results are
// bit for bit those of ExpNeg (no FMA contraction on the x86-64 baseline).
inline void ExpNeg4(const float* x, float* out) {
  const __m128 v = _mm_loadu_ps(x);
  const __m128 zero = _mm_setzero_ps();
  const __m128 one = _mm_set1_ps(1.f);
  const __m128 positive = _mm_cmpgt_ps(v, zero);             // !(x > 0) (NaN too) gives 1
  const __m128 huge = _mm_cmpgt_ps(v, _mm_set1_ps(87.f));    // x > 87 gives 0
  const __m128 xc = _mm_min_ps(_mm_max_ps(v, zero), _mm_set1_ps(87.f));
  const __m128 t = _mm_mul_ps(_mm_sub_ps(zero, xc), _mm_set1_ps(1.44269504f));
  const __m128 h = _mm_add_ps(t, _mm_set1_ps(0.5f));
  __m128i n = _mm_cvttps_epi32(h);
  n = _mm_add_epi32(n, _mm_castps_si128(_mm_cmpgt_ps(_mm_cvtepi32_ps(n), h)));  // floor: -1 where trunc > h
  const __m128 f = _mm_sub_ps(t, _mm_cvtepi32_ps(n));
  __m128 p = _mm_add_ps(_mm_set1_ps(0.00961813f), _mm_mul_ps(f, _mm_set1_ps(0.00133336f)));
  p = _mm_add_ps(_mm_set1_ps(0.05550411f), _mm_mul_ps(f, p));
  p = _mm_add_ps(_mm_set1_ps(0.24022650f), _mm_mul_ps(f, p));
  p = _mm_add_ps(_mm_set1_ps(0.69314718f), _mm_mul_ps(f, p));
  p = _mm_add_ps(one, _mm_mul_ps(f, p));
  __m128 r = _mm_castsi128_ps(_mm_add_epi32(_mm_castps_si128(p), _mm_slli_epi32(n, 23)));
  r = _mm_or_ps(_mm_and_ps(positive, r), _mm_andnot_ps(positive, one));
  _mm_storeu_ps(out, _mm_andnot_ps(huge, r));
}
#else
inline void ExpNeg4(const float* x, float* out) {
  for (int i = 0; i < 4; ++i) out[i] = ExpNeg(x[i]);
}
#endif

// Decay factors for an elapsed time, computed once per update and shared by every counter of a window.
struct DecayFactors {
  float f[kWindows];
  explicit DecayFactors(int64_t elapsed_ms) {
    const float dt = elapsed_ms > 0 ? static_cast<float>(elapsed_ms) * 1e-3f : 0.f;
    float x[kWindows];
    for (int i = 0; i < kWindows; ++i) x[i] = dt * kWindowRates[i];  // dt 0: ExpNeg(0) is exactly 1
    ExpNeg4(x, f);
    f[4] = ExpNeg(x[4]);
  }
};

// One quantity over the windows.
struct Windows {
  float v[kWindows] = {0, 0, 0, 0, 0};
  void Decay(const DecayFactors& d) {
    for (int i = 0; i < kWindows; ++i) v[i] *= d.f[i];
  }
  void Add(float x) {
    for (int i = 0; i < kWindows; ++i) v[i] += x;
  }
};

// A single decaying value with its own time constant (spend per hour / day / week).
inline float DecayOne(float value, int64_t elapsed_ms, float tau_seconds) {
  if (elapsed_ms <= 0 || value == 0.f) return value;
  return value * ExpNeg(static_cast<float>(elapsed_ms) * (1e-3f / tau_seconds));  // folded when inlined
}

// Spend is kept over 1 hour, 24 hours and 7 days.
inline constexpr float kSpendSeconds[3] = {3600.f, 86400.f, 7 * 86400.f};

// DecayOne of the three spend values at once (one ExpNeg4): bit for bit what three DecayOne calls give.
inline void DecaySpend(float (&v)[3], int64_t elapsed_ms) {
  if (elapsed_ms <= 0) return;
  const float e = static_cast<float>(elapsed_ms);
  const float x[4] = {e * (1e-3f / kSpendSeconds[0]), e * (1e-3f / kSpendSeconds[1]), e * (1e-3f / kSpendSeconds[2]),
                      0.f};
  float f[4];
  ExpNeg4(x, f);
  for (int i = 0; i < 3; ++i) v[i] *= f[i];
}

}  // namespace tollguard::signals

#endif  // TOLLGUARD_LIB_SIGNALS_DECAY_H_
