// Signals in isolation: decaying windows, number patterns, history learning.
#include <cmath>

#include "gtest/gtest.h"
#include "lib/signals/decay.h"
#include "lib/signals/history.h"
#include "lib/signals/patterns.h"
#include "lib/state/account.h"

namespace tollguard::signals {
namespace {

TEST(DecayTest, SteadyRateSettlesNearRateTimesWindow) {
  Windows w;
  // One attempt every 10 s for two hours: ~6 per minute, ~360 per hour.
  for (int i = 0; i < 720; ++i) {
    w.Decay(DecayFactors(10000));
    w.Add(1);
  }
  EXPECT_NEAR(w.v[0], 6.0, 1.0);
  EXPECT_NEAR(w.v[2], 360.0 * (1 - std::exp(-2.0)), 15.0);
}

TEST(DecayTest, NoResetCliffAtMidnightOrAnyBoundary) {
  Windows w;
  for (int i = 0; i < 20; ++i) w.Add(1);
  w.Decay(DecayFactors(60000));  // one minute later: still most of an hour's count
  EXPECT_GT(w.v[2], 19.0);
  EXPECT_LT(w.v[0], 8.0);
  w.Decay(DecayFactors(-5000));  // time going backwards decays nothing
  EXPECT_GT(w.v[2], 19.0);
}

TEST(PatternsTest, SweepFanoutAndRepeats) {
  state::AccountRecord r;
  Patterns p;
  for (int i = 0; i < 4; ++i) {
    const std::string n = "44207946001" + std::to_string(i);
    p = Observe(r, NumberValue(n));
    RecordNumber(r, NumberValue(n), p);
  }
  EXPECT_EQ(p.sweep_run, 3);
  EXPECT_EQ(p.fanout, 4);
  EXPECT_EQ(p.repeats, 1);
  p = Observe(r, NumberValue("442079460013"));
  EXPECT_EQ(p.repeats, 2);
  EXPECT_EQ(p.sweep_run, 0);  // 13 after 13 is not a step
  EXPECT_EQ(Observe(r, NumberValue("3225551234")).fanout, 1);  // another range
}

TEST(PatternsTest, DiversityCountsCountriesNotNumbers) {
  state::AccountRecord r;
  for (const char* n : {"12125550100", "442079460000", "33142685300", "4930123456"}) {
    RecordNumber(r, NumberValue(n), Observe(r, NumberValue(n)));
  }
  EXPECT_EQ(Observe(r, NumberValue("81312345678")).diversity, 5);
  EXPECT_EQ(Observe(r, NumberValue("12125550101")).diversity, 4);
}

TEST(PatternsTest, NumbersOfDifferentLengthsDoNotCollide) {
  EXPECT_NE(NumberValue("4412345"), NumberValue("04412345"));
}

TEST(HistoryTest, KnownAfterAnsweredCallsOnTwoDaysNotOneNight) {
  state::AccountRecord r;
  const DestinationKeys k = KeysFor("3225551234", 2, "BE");
  const int64_t h0 = 490000;  // hours since the epoch
  for (int i = 0; i < 10; ++i) LearnAnswered(r, k, h0 + i / 4, 2);  // a burst over three hours
  EXPECT_FALSE(IsKnownCountry(r, k.country));
  LearnAnswered(r, k, h0 + 20, 2);  // the next day
  EXPECT_TRUE(IsKnownCountry(r, k.country));
  EXPECT_TRUE(IsKnownRange(r, k.range));
  EXPECT_FALSE(IsKnownCountry(r, KeysFor("5351234567", 2, "CU").country));
}

TEST(HistoryTest, ManyRangesDoNotPushACountryOutOfLearning) {
  state::AccountRecord r;
  const DestinationKeys es = KeysFor("34911234567", 2, "ES");
  LearnAnswered(r, es, 1000, 2);
  for (int i = 0; i < 50; ++i) {
    const std::string n = "49" + std::to_string(300 + i) + "123456";
    LearnAnswered(r, KeysFor(n, 2, "DE"), 1001, 2);
  }
  LearnAnswered(r, es, 1030, 2);
  EXPECT_TRUE(IsKnownCountry(r, es.country));
}

TEST(HistoryTest, UsualVolumeByHourOfWeekAgesWeekly) {
  state::AccountRecord r;
  const int32_t day = 20000;  // a civil day
  for (int i = 0; i < 6; ++i) RecordHour(r, 10, day);
  EXPECT_FLOAT_EQ(UsualAtHour(r, 10), 3.0f);
  EXPECT_FLOAT_EQ(UsualAtHour(r, 11), 0.0f);
  RecordHour(r, 11, day + 14);  // two weeks later: halved twice
  EXPECT_FLOAT_EQ(UsualAtHour(r, 10), 0.5f);
}

}  // namespace
}  // namespace tollguard::signals
