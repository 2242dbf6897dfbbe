// Signals in isolation: decaying windows, number patterns, history learning.
#include <cmath>

#include <random>
#include <set>
#include <string>
#include <vector>

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

// Fan-out and repeats against a reference on the digit strings: a range is all but the last 3 digits of
// a number of the same length. Numbers near the 1000-blocks' edges, of two lengths, with repeats.
TEST(PatternsTest, FanoutAndRepeatsMatchTheDigitStrings) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    state::AccountRecord r;
    std::vector<std::string> recent;
    std::string n;
    for (int i = 0; i < 12; ++i) {
      const uint64_t base = 44207946000ull + (rng() % 4) * 1000 - 2 + rng() % 4;  // around block edges
      n = std::to_string(base + rng() % 3);
      if (rng() % 4 == 0) n = "0" + n.substr(1);  // same digits but for the lead: another range
      if (rng() % 5 == 0) n += "7";               // one digit longer: another range
      const Patterns p = Observe(r, NumberValue(n));
      std::set<std::string> in_range;
      int repeats = 1;
      for (const std::string& m : recent) {
        if (m == n) {
          ++repeats;
        } else if (m.size() == n.size() && m.compare(0, m.size() - 3, n, 0, n.size() - 3) == 0) {
          in_range.insert(m);
        }
      }
      ASSERT_EQ(p.fanout, 1 + static_cast<int>(in_range.size())) << n;
      ASSERT_EQ(p.repeats, repeats) << n;
      RecordNumber(r, NumberValue(n), p);
      recent.push_back(n);
      if (recent.size() > static_cast<size_t>(state::kRecentNumbers)) recent.erase(recent.begin());
    }
  }
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

// NumberValue reads 8 digits per step (two overlapping loads from 9 to 16 digits): it must equal the
// digit-by-digit value, length and lead for every length, including digits that differ only in the
// overlap and the all-9s case.
TEST(PatternsTest, NumberValueMatchesDigitByDigitForEveryLength) {
  std::mt19937_64 rng(7);
  for (size_t len = 1; len <= 16; ++len) {
    for (int trial = 0; trial < 200; ++trial) {
      std::string d(len, '0');
      for (char& c : d) c = static_cast<char>('0' + rng() % 10);
      if (trial == 0) d.assign(len, '9');
      uint64_t v = 0;
      for (char c : d) v = v * 10 + static_cast<uint64_t>(c - '0');
      const uint64_t lead = len >= 2 ? static_cast<uint64_t>((d[0] - '0') * 10 + (d[1] - '0')) : 0;
      const uint64_t expect = (v & ((uint64_t{1} << 50) - 1)) | (uint64_t{len} << 50) | (lead << 56);
      ASSERT_EQ(NumberValue(d), expect) << d;
    }
  }
  EXPECT_EQ(NumberValue("442079460000") & ((uint64_t{1} << 50) - 1), 442079460000u);
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
