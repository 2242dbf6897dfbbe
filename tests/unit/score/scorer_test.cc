// The scorer as a pure function: tier scaling, overrides, shadow mode, money and duration caps.
#include "lib/score/scorer.h"

#include "gtest/gtest.h"
#include "lib/policy/loader.h"

namespace tollguard::score {
namespace {

const policy::CompiledProfile& DefaultProfile() {
  static const auto snap = [] {
    policy::LoadError err;
    return policy::LoadPolicy(policy::LoadOptions{}, &err);
  }();
  return snap->profiles[0];
}

Signals Abroad(int tier) {
  Signals s;
  s.international = true;
  s.dest.tier = static_cast<uint8_t>(tier);
  s.dest.type = TG_NUMBER_FIXED_LINE;
  s.dest.rate_micros = 100000;
  return s;
}

tg_decision Score(const Signals& s, const policy::CompiledProfile& p = DefaultProfile()) {
  tg_decision d = TG_DECISION_INIT;
  Decide(s, p, &d);
  return d;
}

TEST(ScorerTest, NightMattersMoreForRiskierDestinations) {
  Signals domestic;
  domestic.dest.tier = 0;
  domestic.dest.flags = destination::kDomestic;
  domestic.night = domestic.off_hours = true;
  Signals premium = Abroad(3);
  premium.night = premium.off_hours = true;
  const int night_domestic = Score(domestic).score;
  Signals day_domestic = domestic;
  day_domestic.night = day_domestic.off_hours = false;
  EXPECT_LT(night_domestic - Score(day_domestic).score, 60);
  Signals day_premium = premium;
  day_premium.night = day_premium.off_hours = false;
  EXPECT_GT(Score(premium).score - Score(day_premium).score, 150);
}

TEST(ScorerTest, ReasonsAndTopReasonAreReported) {
  Signals s = Abroad(2);
  s.dest.flags = destination::kHighRiskCountry;
  s.new_country = true;
  s.weekend = s.off_hours = true;
  const tg_decision d = Score(s);
  EXPECT_TRUE(d.reasons & (1ull << TG_REASON_HIGH_RISK_COUNTRY));
  EXPECT_TRUE(d.reasons & (1ull << TG_REASON_NEW_COUNTRY));
  EXPECT_TRUE(d.reasons & (1ull << TG_REASON_WEEKEND));
  EXPECT_EQ(d.top_reason, TG_REASON_HIGH_RISK_COUNTRY);
  EXPECT_EQ(d.action, TG_ACTION_BLOCK);
}

TEST(ScorerTest, AccountThatCallsAtNightGetsFewerTimePoints) {
  Signals s = Abroad(1);
  s.night = s.off_hours = true;
  const int stranger = Score(s).score;
  s.week_attempts = 200;
  s.week_off_hours = 120;  // 60% of last week's calls were off hours
  EXPECT_LT(Score(s).score, stranger - 80);
}

TEST(ScorerTest, TodayDoesNotVouchForItself) {
  Signals s = Abroad(1);
  s.night = s.off_hours = true;
  const int stranger = Score(s).score;
  s.week_attempts = 40;
  s.attempts[3] = 40;      // all of the week's calls were today...
  s.week_off_hours = 40;   // ...at night
  s.day_off_hours = 40;
  EXPECT_EQ(Score(s).score, stranger);
}

TEST(ScorerTest, ShadowModeAlertsInsteadOfBlocking) {
  policy::CompiledProfile p = DefaultProfile();
  p.shadow = true;
  Signals s = Abroad(3);
  s.dest.action = 3;  // deny list
  const tg_decision d = Score(s, p);
  EXPECT_EQ(d.action, TG_ACTION_ALERT);
  EXPECT_EQ(d.score, 1000);
  EXPECT_TRUE(d.reasons & (1ull << TG_REASON_SHADOW_MODE));
}

TEST(ScorerTest, AllowListClearsRiskButNotMoneyLimits) {
  Signals s = Abroad(3);
  s.dest.action = 1;
  s.night = s.off_hours = true;
  EXPECT_EQ(Score(s).score, 0);
  EXPECT_EQ(Score(s).action, TG_ACTION_ALLOW);
  s.spend_hour = 1e9;  // far over budget
  const tg_decision d = Score(s);
  EXPECT_EQ(d.action, TG_ACTION_BLOCK);
  EXPECT_EQ(d.top_reason, TG_REASON_SPEND_HOUR);
}

TEST(ScorerTest, MaxDurationIsTheRemainingBudgetAtThisRate) {
  Signals s = Abroad(1);
  s.dest.rate_micros = 1000000;  // 1.0 per minute
  // Budget 40/h, 10 spent, 5 exposed: 25 left -> 25 minutes, under the 40-unit call cap.
  s.spend_hour = 10e6;
  s.exposure = 5e6;
  const tg_decision d = Score(s);
  EXPECT_EQ(d.action, TG_ACTION_ALLOW);
  EXPECT_NEAR(d.max_duration_s, 25 * 60, 1);
}

TEST(ScorerTest, AlertedCallsAbroadAreCapped) {
  Signals s = Abroad(2);
  s.dest.flags = destination::kHighRiskCountry;
  s.new_country = true;
  const tg_decision d = Score(s);
  ASSERT_EQ(d.action, TG_ACTION_ALERT);
  EXPECT_EQ(d.max_duration_s, DefaultProfile().alert_max_duration_s);
}

TEST(ScorerTest, ConferenceSpreadInBusinessHoursWeighsLess) {
  Signals s = Abroad(2);
  s.dest.flags = destination::kHighRiskCountry;
  s.new_country = true;
  s.live_intl = 10;
  s.attempts[0] = 15;
  const int pump = Score(s).score;
  s.diversity = 6;
  EXPECT_LT(Score(s).score, pump - 100);
  s.weekend = s.off_hours = true;  // not at the weekend
  EXPECT_GT(Score(s).score, pump);
}

}  // namespace
}  // namespace tollguard::score
