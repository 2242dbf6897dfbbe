// LiveCalls: the capacity is the whole table's (never refused early, never exceeded by one thread), with
// per-shard counts and no shared counter; duplicates are duplicates even when full; expiry releases.
#include "lib/state/live_calls.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace tollguard::state {
namespace {

LiveCall At(int64_t start_ms) {
  LiveCall c;
  c.account_key = 1;
  c.start_ms = start_ms;
  return c;
}

TEST(LiveCallsTest, FillsExactlyToCapacityThroughRemovalsAndExpiry) {
  for (const uint32_t cap : {1u, 63u, 640u, 1000u}) {
    LiveCalls live(cap);
    std::mt19937_64 rng(cap);
    std::vector<uint64_t> ids;
    for (uint32_t i = 0; i < cap; ++i) {
      ids.push_back(rng() | 1);
      ASSERT_EQ(live.Add(ids.back(), At(1000)), LiveCalls::AddResult::kAdded) << cap << " at " << i;
    }
    EXPECT_EQ(live.size(), cap);
    EXPECT_EQ(live.Add(rng() | 1, At(1000)), LiveCalls::AddResult::kFull);
    EXPECT_EQ(live.Add(ids[0], At(1000)), LiveCalls::AddResult::kDuplicate);  // F9
    // Free a third, refill it with other ids (other shards than the freed ones, mostly).
    const uint32_t third = cap / 3;
    LiveCall out;
    for (uint32_t i = 0; i < third; ++i) ASSERT_TRUE(live.Remove(ids[i], &out));
    for (uint32_t i = 0; i < third; ++i) {
      ASSERT_EQ(live.Add(rng() | 1, At(2000)), LiveCalls::AddResult::kAdded) << cap << " refill " << i;
    }
    EXPECT_EQ(live.size(), cap);
    EXPECT_EQ(live.Add(rng() | 1, At(2000)), LiveCalls::AddResult::kFull);
    // Expire the older calls: exactly those go, and their places come back.
    const size_t expired = live.ExpireBefore(1500, [](uint64_t, const LiveCall&) {});
    EXPECT_EQ(expired, cap - third);
    EXPECT_EQ(live.size(), third);
    for (uint32_t i = 0; i < cap - third; ++i) {
      ASSERT_EQ(live.Add(rng() | 1, At(3000)), LiveCalls::AddResult::kAdded) << cap << " after expiry " << i;
    }
    EXPECT_EQ(live.Add(rng() | 1, At(3000)), LiveCalls::AddResult::kFull);
  }
}

TEST(LiveCallsTest, ConsecutiveIdsSpreadAndFill) {
  LiveCalls live(4096);
  for (uint64_t id = 1; id <= 4096; ++id) ASSERT_EQ(live.Add(id, At(1000)), LiveCalls::AddResult::kAdded) << id;
  EXPECT_EQ(live.Add(5000, At(1000)), LiveCalls::AddResult::kFull);
  LiveCall out;
  ASSERT_TRUE(live.Remove(17, &out));
  EXPECT_EQ(out.start_ms, 1000);
  EXPECT_FALSE(live.Remove(17, &out));
  EXPECT_EQ(live.Add(5000, At(1000)), LiveCalls::AddResult::kAdded);
}

}  // namespace
}  // namespace tollguard::state
