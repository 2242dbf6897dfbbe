// Combines the signals of one call into the decision: points per reason, score 0..1000, action, top reason,
// and the maximum duration that keeps the account's spend within budget.
// Thread-safety: pure functions.
#ifndef TOLLGUARD_LIB_SCORE_SCORER_H_
#define TOLLGUARD_LIB_SCORE_SCORER_H_

#include <cstdint>

#include "lib/destination/prefix_table.h"
#include "lib/policy/snapshot.h"
#include "tollguard/tollguard.h"

namespace tollguard::score {

// Everything measured for one call, before weighting.
struct Signals {
  destination::Attrs dest;
  bool international = false;
  // Time in the account's zone.
  bool off_hours = false, night = false, weekend = false, holiday = false;
  // Rates: attempts including this one, decayed windows ~1 m, 10 m, 1 h, 24 h.
  float attempts[4] = {0, 0, 0, 0};
  float intl_1h = 0, high_risk_1h = 0;
  // The account's baseline: 7-day windows of attempts, international and high-risk attempts, and allowed
  // attempts outside business hours (before this attempt).
  float week_attempts = 0, week_intl = 0, week_high_risk = 0, week_off_hours = 0;
  float day_off_hours = 0;
  float recent_alerts = 0;  // alerted or blocked attempts of the account in the last ~hour
  // The tenant's baseline, when the account has a tenant (zeros otherwise).
  float tenant_week_attempts = 0, tenant_day_attempts = 0, tenant_week_off_hours = 0, tenant_day_off_hours = 0;  // allowed off-hours attempts in the last ~24 h (not yet history)
  int live = 0, live_intl = 0;  // live calls before this one
  // Money, micros: booked spend over ~1 h / ~24 h, the live calls' exposure now, the usual daily spend.
  double spend_hour = 0, spend_day = 0, exposure = 0, usual_daily = 0;
  // Patterns.
  int sweep_run = 0, fanout = 0, repeats = 0, diversity = 0;
  // History.
  bool new_destination = false, new_country = false, new_account = false, unusual_volume = false;
  float usual_this_hour = 0;  // the account's usual attempts in this hour of the week
};

// Fills action, score, reasons, top_reason and max_duration_s of *out.
void Decide(const Signals& s, const policy::CompiledProfile& p, tg_decision* out);

// Share of the time/novelty/behaviour points a destination of this tier carries (tier 0: a quarter).
float TierScale(int tier);

}  // namespace tollguard::score

#endif  // TOLLGUARD_LIB_SCORE_SCORER_H_
