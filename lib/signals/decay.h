// Exponentially decaying counters: sliding-window rates without the reset cliffs of calendar windows.
// A counter with time constant tau holds sum(exp(-(now - t_i) / tau)) over past events; at a steady rate r
// per second it settles at r * tau, so "value > N" means "more than about N events per tau".
// Thread-safety: plain values; the owner (an account record under its shard lock) serializes access.
#ifndef TOLLGUARD_LIB_SIGNALS_DECAY_H_
#define TOLLGUARD_LIB_SIGNALS_DECAY_H_

#include <cmath>
#include <cstdint>
#include <cstring>

namespace tollguard::signals {

// The time constants of the windows, seconds: ~1 minute, 10 minutes, 1 hour, 24 hours, and 7 days (the
// account's baseline: what it usually does, against which the shorter windows are judged).
inline constexpr int kWindows = 5;
inline constexpr float kWindowSeconds[kWindows] = {60.f, 600.f, 3600.f, 86400.f, 7 * 86400.f};
inline constexpr int kWeek = 4;  // index of the 7-day window
inline constexpr float kWindowRates[kWindows] = {1.f / 60.f, 1.f / 600.f, 1.f / 3600.f, 1.f / 86400.f,
                                                  1.f / (7 * 86400.f)};  // 1/tau: a multiply, not a divide

// exp(-x) for x >= 0 to about 1e-5 relative: 2^(-x log2 e) split into an integer power (the float's
// exponent bits) and a degree-5 polynomial for the fraction. A dozen instructions instead of a libm call.
inline float ExpNeg(float x) {
  if (!(x > 0.f)) return 1.f;
  if (x > 87.f) return 0.f;
  const float t = -x * 1.44269504f;           // log2(e); -126 < t < 0
  int32_t n = static_cast<int32_t>(t);        // truncates toward zero: floor(t) for t < 0 ...
  if (static_cast<float>(n) > t) --n;         // ... unless t was not an integer (no libm floor call)
  const float f = t - static_cast<float>(n);  // 0 <= f < 1
  const float p = 1.f + f * (0.69314718f + f * (0.24022650f + f * (0.05550411f + f * (0.00961813f + f * 0.00133336f))));
  int32_t bits;
  std::memcpy(&bits, &p, sizeof(bits));
  bits += n * (1 << 23);  // n >= -126 here: stays a normal float
  float out;
  std::memcpy(&out, &bits, sizeof(out));
  return out;
}

// Decay factors for an elapsed time, computed once per update and shared by every counter of a window.
struct DecayFactors {
  float f[kWindows];
  explicit DecayFactors(int64_t elapsed_ms) {
    const float dt = elapsed_ms > 0 ? static_cast<float>(elapsed_ms) * 1e-3f : 0.f;
    for (int i = 0; i < kWindows; ++i) f[i] = dt == 0.f ? 1.f : ExpNeg(dt * kWindowRates[i]);
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

}  // namespace tollguard::signals

#endif  // TOLLGUARD_LIB_SIGNALS_DECAY_H_
