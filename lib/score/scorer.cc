#include "lib/score/scorer.h"

#include <algorithm>
#include <cmath>

namespace tollguard::score {
namespace {

// Accumulates points per reason and remembers the heaviest.
struct Tally {
  const policy::CompiledProfile& p;
  float points = 0;
  uint64_t reasons = 0;
  float top_points = 0;
  int top = -1;

  void Fire(int reason, float scale = 1.f) {
    reasons |= 1ull << reason;
    const float w = static_cast<float>(p.weight[reason]) * scale;
    points += w;
    if (w > top_points) {
      top_points = w;
      top = reason;
    }
  }
  // Sets the bit without points (a signal that fired but is subsumed by a heavier one of its group).
  void Mark(int reason) { reasons |= 1ull << reason; }
};

}  // namespace

float TierScale(int tier) {
  static constexpr float kScale[4] = {0.25f, 0.7f, 0.85f, 1.0f};
  return kScale[std::clamp(tier, 0, 3)];
}

// How much the time of day says for this account: an account that routinely calls outside business
// hours (hotels, call centres, firms with partners in other time zones), or at this very hour of the week,
// gets a fraction of the time points.
// Only the days before today count, so a night of fraud cannot vouch for itself. The account's or its
// tenant's habit, whichever is stronger.
float OneTimeFactor(float week, float day, float week_off, float day_off) {
  const float past = week - day;
  if (past < 20.f) return 1.f;
  const float share = std::max(0.f, week_off - day_off) / past;
  return 1.f - 0.8f * std::clamp(share / 0.3f, 0.f, 1.f);
}
float TimeFactor(const Signals& s) {
  return std::min(OneTimeFactor(s.week_attempts, s.attempts[3], s.week_off_hours, s.day_off_hours),
                  OneTimeFactor(s.tenant_week_attempts, s.tenant_day_attempts, s.tenant_week_off_hours,
                                s.tenant_day_off_hours));
}

// A limit that rises with the account's own 7-day average per business hour (40 a week).
float Limit(float fixed, float week_count, float per_hours, float multiplier) {
  if (fixed <= 0) return 0;
  return std::max(fixed, multiplier * week_count / 40.f * per_hours);
}

void Decide(const Signals& s, const policy::CompiledProfile& p, tg_decision* out) {
  Tally t{p};
  const destination::Attrs& d = s.dest;
  const float scale = TierScale(d.tier);
  // Behaviour (rates, patterns) is evidence on its own: it is scaled less by the destination's tier.
  const float bscale = d.tier == 0 ? scale : std::max(scale, 0.85f);

  // Destination.
  if (d.action == 3) t.Fire(TG_REASON_DENY_LIST);
  const float where = s.international ? 1.f : 0.5f;
  if (d.type == TG_NUMBER_PREMIUM_RATE) {
    t.Fire(TG_REASON_PREMIUM_NUMBER, where);
  } else if (d.type == TG_NUMBER_SHARED_COST || d.type == TG_NUMBER_PERSONAL_NUMBER || d.type == TG_NUMBER_UAN) {
    t.Fire(TG_REASON_PREMIUM_NUMBER, 0.5f * where);  // often legitimate business lines; half weight
  }
  if (d.flags & destination::kHighRiskCountry) t.Fire(TG_REASON_HIGH_RISK_COUNTRY);
  if (d.flags & destination::kIntlNetwork) t.Fire(TG_REASON_INTL_NETWORK);
  if (d.type == TG_NUMBER_UNKNOWN && s.international) t.Fire(TG_REASON_UNKNOWN_RANGE);
  // A high rate says something of its own when it is known (rate deck) or not implied by the type.
  if (p.high_rate_micros > 0 && d.rate_micros >= p.high_rate_micros &&
      ((d.flags & destination::kRateFromDeck) || d.type != TG_NUMBER_PREMIUM_RATE)) {
    t.Fire(TG_REASON_HIGH_RATE);
  }
  if (s.international) t.points += p.international_points;

  // Time: the heavier of night / off-hours, plus the heavier of weekend / holiday; scaled by the
  // destination's tier and by how unusual off-hours calling is for this account.
  const bool off_time = !p.always_open && (s.off_hours || s.night || s.weekend || s.holiday);
  const float time_scale = scale * TimeFactor(s);
  if (!p.always_open) {
    const int a = s.night ? TG_REASON_NIGHT : -1;
    const int b = s.off_hours ? TG_REASON_OFF_HOURS : -1;
    if (a >= 0 && b >= 0) {
      if (p.weight[a] >= p.weight[b]) { t.Fire(a, time_scale); t.Mark(b); } else { t.Fire(b, time_scale); t.Mark(a); }
    } else if (a >= 0 || b >= 0) {
      t.Fire(a >= 0 ? a : b, time_scale);
    }
    const int c = s.weekend ? TG_REASON_WEEKEND : -1;
    const int e = s.holiday ? TG_REASON_HOLIDAY : -1;
    if (c >= 0 && e >= 0) {
      if (p.weight[c] >= p.weight[e]) { t.Fire(c, time_scale); t.Mark(e); } else { t.Fire(e, time_scale); t.Mark(c); }
    } else if (c >= 0 || e >= 0) {
      t.Fire(c >= 0 ? c : e, time_scale);
    }
  }

  // A burst to many countries at once in business hours looks like a conference bridge, not a pump:
  // its volume and novelty say less.
  const float spread = !off_time && s.diversity >= 4 ? 0.5f : 1.f;

  // History: a first call to a country is evidence, more so outside business hours.
  if (s.new_account) {
    if (s.international) t.Fire(TG_REASON_NEW_ACCOUNT, scale);
  } else {
    if (s.new_country) {
      t.Fire(TG_REASON_NEW_COUNTRY, scale * spread);
      if (off_time) t.points += p.new_country_off_hours * time_scale;
    }
    // A new range counts on its own only in a country the account knows (in a new country it is implied).
    if (s.new_destination && !s.new_country) t.Fire(TG_REASON_NEW_DESTINATION, scale);
    if (s.new_destination && s.new_country) t.Mark(TG_REASON_NEW_DESTINATION);
    if (s.unusual_volume) t.Fire(TG_REASON_UNUSUAL_VOLUME, scale * spread);
  }

  // Escalation: an account that keeps raising alerts outside business hours is not having a normal night,
  // however often it calls at night (behaviour scale, not damped by the account's habit).
  if (off_time && p.repeated_alerts > 0 && s.recent_alerts >= p.repeated_alerts) {
    t.Fire(TG_REASON_REPEATED_ALERTS, bscale);
  }

  // Rates and patterns, against the account's own baseline where it has one.
  const float m = p.baseline_multiplier;
  if (p.attempts_1m > 0 && s.attempts[0] > p.attempts_1m) t.Fire(TG_REASON_RATE_1M, bscale * spread);
  if (p.attempts_10m > 0 && s.attempts[1] > p.attempts_10m) t.Fire(TG_REASON_RATE_10M, bscale * spread);
  if (s.attempts[2] > Limit(p.attempts_1h, s.week_attempts, 1.f, m) && p.attempts_1h > 0) t.Fire(TG_REASON_RATE_1H, bscale);
  if (s.attempts[3] > Limit(p.attempts_24h, s.week_attempts, 8.f, m) && p.attempts_24h > 0) t.Fire(TG_REASON_RATE_24H, bscale);
  if (s.international && p.intl_attempts_1h > 0 && s.intl_1h > Limit(p.intl_attempts_1h, s.week_intl, 1.f, m)) {
    t.Fire(TG_REASON_INTL_RATE, bscale);
  }
  if (d.tier >= 2 && p.high_risk_attempts_1h > 0 && s.high_risk_1h > Limit(p.high_risk_attempts_1h, s.week_high_risk, 1.f, m)) {
    // To a country the account knows, many calls are business as usual: half the points.
    t.Fire(TG_REASON_HIGH_RISK_RATE, (s.new_country && !s.new_account ? bscale : 0.5f * bscale) * spread);
  }
  if ((p.concurrent_calls > 0 && s.live >= p.concurrent_calls) ||
      (s.international && p.concurrent_intl_calls > 0 && s.live_intl >= p.concurrent_intl_calls)) {
    t.Fire(TG_REASON_CONCURRENCY, bscale * spread);
  }
  if (p.sweep_length > 0 && s.sweep_run + 1 >= p.sweep_length) t.Fire(TG_REASON_SWEEP, bscale);
  if (p.range_fanout > 0 && s.fanout >= p.range_fanout) t.Fire(TG_REASON_RANGE_FANOUT, bscale);
  if (p.repeat_number > 0 && s.repeats >= p.repeat_number) t.Fire(TG_REASON_REPEAT_NUMBER, bscale);

  // Money: budgets grow with the account's usual spend, so a busy legitimate account is not capped at a
  // small tenant's budget. Remaining money sets the maximum duration; none left fires the spend reasons.
  int32_t max_duration = 0;
  if (d.rate_micros > 0 && d.tier >= 1) {
    const double per_s = d.rate_micros / 60.0;
    double remaining = 1e300;
    const double usual = s.usual_daily;
    if (p.spend_hour_micros > 0) {
      const double budget = std::max<double>(p.spend_hour_micros, usual * 0.5);
      const double left = budget - s.spend_hour - s.exposure;
      remaining = std::min(remaining, left);
      if (left < per_s * 60) t.Fire(TG_REASON_SPEND_HOUR);
    }
    if (p.spend_day_micros > 0) {
      const double budget = std::max<double>(p.spend_day_micros, usual * 3.0);
      const double left = budget - s.spend_day - s.exposure;
      remaining = std::min(remaining, left);
      if (left < per_s * 60) t.Fire(TG_REASON_SPEND_DAY);
    }
    if (p.max_call_cost_micros > 0) remaining = std::min<double>(remaining, p.max_call_cost_micros);
    if (remaining < 1e299) {
      const double secs = std::max(remaining, 0.0) / per_s;
      max_duration = static_cast<int32_t>(std::min(secs, 86400.0));
      if (max_duration < 1) max_duration = 1;
    }
    if (p.max_call_duration_s > 0 && (max_duration == 0 || max_duration > p.max_call_duration_s)) {
      max_duration = p.max_call_duration_s;
    }
  }

  // Rounded half up (lround for a non-negative value, without the libm call).
  const float clamped = std::clamp(t.points, 0.f, 1000.f);
  int score = static_cast<int>(clamped);
  if (clamped - static_cast<float>(score) >= 0.5f) ++score;
  if (d.action == 1) {  // allow list: the destination is trusted; only money limits still apply
    const uint64_t money = t.reasons & ((1ull << TG_REASON_SPEND_HOUR) | (1ull << TG_REASON_SPEND_DAY));
    t.reasons = money | (1ull << TG_REASON_ALLOW_LIST);
    score = money ? std::max(score, p.block_score) : 0;
    t.top = money ? (money & (1ull << TG_REASON_SPEND_HOUR) ? TG_REASON_SPEND_HOUR : TG_REASON_SPEND_DAY)
                  : TG_REASON_ALLOW_LIST;
  }
  if (d.action == 3) score = 1000;
  int action = score >= p.block_score ? TG_ACTION_BLOCK : score >= p.alert_score ? TG_ACTION_ALERT : TG_ACTION_ALLOW;
  if (d.action == 2 && action == TG_ACTION_ALLOW) action = TG_ACTION_ALERT;
  if (action == TG_ACTION_BLOCK && p.shadow) {
    action = TG_ACTION_ALERT;
    t.reasons |= 1ull << TG_REASON_SHADOW_MODE;
  }
  out->action = action;
  out->score = score;
  out->reasons = t.reasons;
  out->top_reason = t.top;
  if (action == TG_ACTION_ALERT && d.tier >= 1 && p.alert_max_duration_s > 0 &&
      (max_duration == 0 || max_duration > p.alert_max_duration_s)) {
    max_duration = p.alert_max_duration_s;
  }
  out->max_duration_s = action == TG_ACTION_BLOCK ? 0 : max_duration;
}

}  // namespace tollguard::score
