#include "lib/cluster/contribution.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace tollguard::cluster {
namespace {

// What one node records for an attempt at t (as the engine does: decay the windows, add one).
void Attempt(state::AccountRecord* r, int64_t t, bool intl) {
  const signals::DecayFactors df(t - r->rate_t_ms);
  r->attempts.Decay(df);
  r->intl.Decay(df);
  r->attempts.Add(1);
  if (intl) r->intl.Add(1);
  r->rate_t_ms = std::max(r->rate_t_ms, t);
}

TEST(ContributionTest, EncodeDecodeRoundTrip) {
  Contribution c;
  c.t_ms = 1700000000123;
  c.att[0] = 1.5f;
  c.att[4] = 1234.25f;
  c.intl[2] = 0.001f;
  c.spend[1] = 5e6f;
  c.live = 7;
  c.live_intl = 2;
  Contribution d;
  uint64_t inc = 0;
  ASSERT_TRUE(Decode(Encode(c, 0xabcdef12345ull), &d, &inc));
  EXPECT_EQ(inc, 0xabcdef12345ull);
  EXPECT_EQ(d.t_ms, c.t_ms);
  EXPECT_EQ(d.live, 7);
  EXPECT_EQ(d.live_intl, 2);
  EXPECT_FLOAT_EQ(d.att[0], 1.5f);
  EXPECT_FLOAT_EQ(d.att[4], 1234.25f);
  EXPECT_FLOAT_EQ(d.intl[2], 0.001f);
  EXPECT_FLOAT_EQ(d.spend[1], 5e6f);
}

TEST(ContributionTest, DecodeRejectsOtherVersionsAndGarbage) {
  Contribution d;
  uint64_t inc;
  Contribution c;
  c.att[1] = 2;
  const std::string good = Encode(c, 1);
  EXPECT_EQ(good.size(), 93u);
  EXPECT_TRUE(Decode(good, &d, &inc));
  std::string other = good;
  other[0] = 1;  // another version
  EXPECT_FALSE(Decode(other, &d, &inc));
  EXPECT_FALSE(Decode(good.substr(0, good.size() - 1), &d, &inc));  // a byte short
  EXPECT_FALSE(Decode(good + "x", &d, &inc));                       // one too many
  EXPECT_FALSE(Decode("", &d, &inc));
  Contribution neg;
  neg.spend[2] = -1;
  EXPECT_FALSE(Decode(Encode(neg, 1), &d, &inc));
  Contribution nan;
  nan.att[0] = std::nanf("");
  EXPECT_FALSE(Decode(Encode(nan, 1), &d, &inc));
}

// The point of the design: calls spread over three nodes, each node's share merged in any order, equal
// what one node seeing every call holds.
TEST(ContributionTest, SharesOfThreeNodesMergedInAnyOrderEqualOneNodeSeeingAllCalls) {
  std::mt19937 rng(7);
  state::AccountRecord all, node[3];
  all.rate_t_ms = all.spend_t_ms = 1000000;
  for (auto& n : node) n.rate_t_ms = n.spend_t_ms = 1000000;
  int64_t t = 1000000;
  std::vector<int64_t> times;
  for (int i = 0; i < 300; ++i) {
    t += std::uniform_int_distribution<int>(1, 5000)(rng);
    times.push_back(t);
    const bool intl = i % 3 == 0;
    Attempt(&all, t, intl);
    Attempt(&node[i % 3], t, intl);
  }
  Contribution shares[3];
  for (int i = 0; i < 3; ++i) shares[i] = FromEvent(EventFrom(node[i]));
  int order[3] = {0, 1, 2};
  const int64_t now = t + 30000;
  do {
    Contribution merged;
    for (int i : order) merged.Add(shares[i]);
    merged.DecayTo(now);
    state::AccountRecord ref = all;
    const signals::DecayFactors df(now - ref.rate_t_ms);
    ref.attempts.Decay(df);
    ref.intl.Decay(df);
    // The engine's own decay (signals::ExpNeg, compounded over hundreds of updates) drifts by up to ~1 %
    // from the exact sum; the merged shares are compared with both at that precision.
    for (int w = 0; w < signals::kWindows; ++w) {
      double exact = 0;
      for (int64_t ti : times) exact += std::exp(-(now - ti) / 1000.0 / signals::kWindowSeconds[w]);
      EXPECT_NEAR(merged.att[w], ref.attempts.v[w], 0.02 * std::max(1.f, ref.attempts.v[w])) << w;
      EXPECT_NEAR(merged.att[w], exact, 0.015 * std::max(1.0, exact)) << w;
      EXPECT_NEAR(merged.intl[w], ref.intl.v[w], 0.02 * std::max(1.f, ref.intl.v[w])) << w;
    }
  } while (std::next_permutation(order, order + 3));
}

TEST(ContributionTest, DecayOnlyGoesForwardAndLiveCallsAdd) {
  Contribution a, b;
  a.t_ms = 10000;
  a.att[0] = 10;
  a.live = 2;
  b.t_ms = 70000;  // one minute later
  b.att[0] = 1;
  b.live = 1;
  b.live_intl = 1;
  a.Add(b);
  EXPECT_EQ(a.t_ms, 70000);
  EXPECT_NEAR(a.att[0], 10 * std::exp(-1.f) + 1, 1e-3);
  EXPECT_EQ(a.live, 3);
  EXPECT_EQ(a.live_intl, 1);
  a.DecayTo(0);  // backwards: nothing
  EXPECT_EQ(a.t_ms, 70000);
  EXPECT_FALSE(a.Negligible());
  Contribution z;
  z.att[0] = 1;
  z.DecayTo(3600 * 1000);
  EXPECT_TRUE(z.Negligible());
}

TEST(ContributionTest, FromEventBringsSpendAndRatesToOneTime) {
  state::AccountRecord r;
  r.key = 5;
  r.rate_t_ms = 1000;
  r.attempts.v[2] = 4;
  r.spend_t_ms = 3601000;  // spend booked an hour after the last attempt
  r.spend_hour = 100;
  r.live = 1;
  const Contribution c = FromEvent(EventFrom(r));
  EXPECT_EQ(c.t_ms, 3601000);
  EXPECT_NEAR(c.att[2], 4 * std::exp(-1.f), 1e-3);  // the 1-hour window decayed by one hour
  EXPECT_FLOAT_EQ(c.spend[0], 100);
  EXPECT_EQ(c.live, 1);
}

}  // namespace
}  // namespace tollguard::cluster
