// LiveCalls: the capacity is the whole table's (never refused early, never exceeded by one thread), with
// per-shard counts and no shared counter; duplicates are duplicates even when full; expiry releases. The
// table agrees with a std::unordered_map under random adds, removes and expiry, whatever the spread of ids
// (sequential, random, all in one shard: the spill table), and id 0 is an id like any other.
#include "lib/state/live_calls.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace tollguard::state {
namespace {

using R = LiveCalls::AddResult;

LiveCall At(int64_t start_ms) {
  LiveCall c;
  c.account_key = 1;
  c.start_ms = start_ms;
  return c;
}

// Every field derived from the id, so a call returned for the wrong id shows.
LiveCall CallFor(uint64_t id, int64_t start_ms) {
  LiveCall c;
  c.account_key = id * 7 + 1;
  c.account_check = static_cast<uint32_t>(id >> 3);
  c.rate_micros = static_cast<uint32_t>(id % 100000);
  c.start_ms = start_ms;
  c.range_key = static_cast<uint32_t>(id >> 32);
  c.country_key = static_cast<uint32_t>(id * 3);
  c.intl = static_cast<uint8_t>(id & 1);
  c.tier = static_cast<uint8_t>(id % 3);
  c.learn = static_cast<uint8_t>((id >> 1) & 1);
  c.reserved = static_cast<uint8_t>(id >> 56);
  c.max_duration_s = static_cast<int32_t>(id % 7200);
  c.tenant_key = ~id;
  c.tenant_check = static_cast<uint32_t>(id * 11);
  return c;
}

bool Same(const LiveCall& a, const LiveCall& b) {
  return a.account_key == b.account_key && a.account_check == b.account_check && a.rate_micros == b.rate_micros &&
         a.start_ms == b.start_ms && a.range_key == b.range_key && a.country_key == b.country_key &&
         a.intl == b.intl && a.tier == b.tier && a.learn == b.learn && a.reserved == b.reserved &&
         a.max_duration_s == b.max_duration_s && a.tenant_key == b.tenant_key && a.tenant_check == b.tenant_check;
}

// The first n ids from `from` on that land in `shard`.
std::vector<uint64_t> OneShardIds(uint32_t shard, size_t n, uint64_t from = 1) {
  std::vector<uint64_t> ids;
  for (uint64_t id = from; ids.size() < n; ++id) {
    if (LiveCalls::ShardOf(id) == shard) ids.push_back(id);
  }
  return ids;
}

using Ref = std::unordered_map<uint64_t, LiveCall>;

// ForEach reports each live id exactly once, with its call; size() agrees.
void ExpectSameSet(const LiveCalls& live, const Ref& ref, const std::string& where) {
  std::map<uint64_t, int> seen;
  live.ForEach([&](uint64_t id, const LiveCall& c) {
    ++seen[id];
    const auto it = ref.find(id);
    if (it == ref.end()) {
      ADD_FAILURE() << where << ": ForEach reports " << id << ", not live";
    } else if (!Same(c, it->second)) {
      ADD_FAILURE() << where << ": ForEach reports another call for " << id;
    }
  });
  EXPECT_EQ(seen.size(), ref.size()) << where;
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << where << ": id " << id << " reported " << n << " times";
  EXPECT_EQ(live.size(), ref.size()) << where;
}

// Random adds (duplicates among them), removes (unknown ids among them), expiries and walks against a
// reference map with the documented cap; phases fill and drain so the cap is both reached and left.
void RunAgainstReference(uint32_t cap, const std::vector<uint64_t>& pool, uint64_t seed, const std::string& name) {
  LiveCalls live(cap);
  Ref ref;
  std::mt19937_64 rng(seed);
  int64_t now = 1000;
  size_t fulls = 0, expired_total = 0;
  const int phase = std::max<int>(1000, 4 * static_cast<int>(cap));  // long enough to fill, or to drain
  for (int step = 0; step < 6 * phase; ++step) {
    const std::string where = name + " cap " + std::to_string(cap) + " step " + std::to_string(step);
    const bool filling = (step / phase) % 2 == 0;  // fill phases: no expiry, so the cap is reached
    const int add_pct = filling ? 700 : 200;
    const uint64_t id = pool[rng() % pool.size()];
    const int op = static_cast<int>(rng() % 1000);
    live.Prefetch(id);
    if (op < add_pct) {
      now += static_cast<int64_t>(rng() % 3);
      const LiveCall c = CallFor(id, now);
      const R want = ref.count(id) ? R::kDuplicate : ref.size() >= cap ? R::kFull : R::kAdded;
      ASSERT_EQ(live.Add(id, c), want) << where << " add " << id;
      if (want == R::kAdded) ref[id] = c;
      if (want == R::kFull) ++fulls;
    } else if (op < 985) {
      LiveCall out;
      const auto it = ref.find(id);
      ASSERT_EQ(live.Remove(id, &out), it != ref.end()) << where << " remove " << id;
      if (it != ref.end()) {
        ASSERT_TRUE(Same(out, it->second)) << where << " remove " << id;
        ref.erase(it);
      }
    } else if (op < 990 && !filling) {  // everything, or the calls before a random instant
      const int64_t cutoff =
          rng() % 4 == 0 ? now + 1 : 1000 + static_cast<int64_t>(rng() % static_cast<uint64_t>(now - 999));
      Ref want;
      for (const auto& [rid, c] : ref) {
        if (c.start_ms < cutoff) want.emplace(rid, c);
      }
      Ref got;
      const size_t n = live.ExpireBefore(cutoff, [&](uint64_t eid, const LiveCall& c) {
        EXPECT_TRUE(got.emplace(eid, c).second) << where << ": expired twice " << eid;
      });
      ASSERT_EQ(n, want.size()) << where;
      ASSERT_EQ(got.size(), want.size()) << where;
      for (const auto& [eid, c] : want) {
        const auto it = got.find(eid);
        ASSERT_TRUE(it != got.end() && Same(it->second, c)) << where << ": not expired " << eid;
        ref.erase(eid);
      }
      expired_total += n;
    } else {
      ExpectSameSet(live, ref, where);
    }
    ASSERT_EQ(live.size(), ref.size()) << where;
  }
  ExpectSameSet(live, ref, name + " end");
  EXPECT_GT(fulls, 0u) << name << " cap " << cap << ": the cap was never reached";
  EXPECT_GT(expired_total, 0u) << name << " cap " << cap << ": nothing ever expired";
}

TEST(LiveCallsTest, AgreesWithAReferenceMapWhateverTheSpreadOfIds) {
  for (const uint32_t cap : {1u, 10u, 200u, 3000u}) {
    std::mt19937_64 rng(cap);
    const size_t n = 3 * cap + 8;
    std::vector<uint64_t> random_ids{0}, sequential{0}, mixed;
    for (size_t i = 0; i < n; ++i) random_ids.push_back(rng());
    for (uint64_t i = 1; i <= n; ++i) sequential.push_back(i);
    const std::vector<uint64_t> one_shard = OneShardIds(5, n);
    std::vector<uint64_t> two_shards = OneShardIds(0, n / 2);  // shard 0 holds id 0 too
    for (uint64_t id : OneShardIds(LiveCalls::kShards - 1, n / 2, uint64_t{1} << 40)) two_shards.push_back(id);
    two_shards.push_back(0);
    mixed = OneShardIds(9, n / 2);
    for (size_t i = 0; i < n / 2; ++i) mixed.push_back(rng() >> (rng() % 64));
    RunAgainstReference(cap, random_ids, cap * 1 + 1, "random");
    RunAgainstReference(cap, sequential, cap * 2 + 1, "sequential");
    RunAgainstReference(cap, one_shard, cap * 3 + 1, "one shard");
    RunAgainstReference(cap, two_shards, cap * 4 + 1, "two shards");
    RunAgainstReference(cap, mixed, cap * 5 + 1, "mixed");
  }
}

TEST(LiveCallsTest, FillsExactlyToCapacityThroughRemovalsAndExpiry) {
  for (const uint32_t cap : {1u, 63u, 640u, 1000u}) {
    LiveCalls live(cap);
    std::mt19937_64 rng(cap);
    std::vector<uint64_t> ids;
    for (uint32_t i = 0; i < cap; ++i) {
      ids.push_back(rng() | 1);
      ASSERT_EQ(live.Add(ids.back(), At(1000)), R::kAdded) << cap << " at " << i;
    }
    EXPECT_EQ(live.size(), cap);
    EXPECT_EQ(live.Add(rng() | 1, At(1000)), R::kFull);
    EXPECT_EQ(live.Add(ids[0], At(1000)), R::kDuplicate);  // F9
    // Free a third, refill it with other ids (other shards than the freed ones, mostly).
    const uint32_t third = cap / 3;
    LiveCall out;
    for (uint32_t i = 0; i < third; ++i) ASSERT_TRUE(live.Remove(ids[i], &out));
    for (uint32_t i = 0; i < third; ++i) {
      ASSERT_EQ(live.Add(rng() | 1, At(2000)), R::kAdded) << cap << " refill " << i;
    }
    EXPECT_EQ(live.size(), cap);
    EXPECT_EQ(live.Add(rng() | 1, At(2000)), R::kFull);
    // Expire the older calls: exactly those go, and their places come back.
    const size_t expired = live.ExpireBefore(1500, [](uint64_t, const LiveCall&) {});
    EXPECT_EQ(expired, cap - third);
    EXPECT_EQ(live.size(), third);
    for (uint32_t i = 0; i < cap - third; ++i) {
      ASSERT_EQ(live.Add(rng() | 1, At(3000)), R::kAdded) << cap << " after expiry " << i;
    }
    EXPECT_EQ(live.Add(rng() | 1, At(3000)), R::kFull);
  }
}

TEST(LiveCallsTest, ConsecutiveIdsSpreadAndFill) {
  LiveCalls live(4096);
  for (uint64_t id = 1; id <= 4096; ++id) ASSERT_EQ(live.Add(id, At(1000)), R::kAdded) << id;
  EXPECT_EQ(live.Add(5000, At(1000)), R::kFull);
  LiveCall out;
  ASSERT_TRUE(live.Remove(17, &out));
  EXPECT_EQ(out.start_ms, 1000);
  EXPECT_FALSE(live.Remove(17, &out));
  EXPECT_EQ(live.Add(5000, At(1000)), R::kAdded);
}

// The whole capacity in one shard: its own table holds shard_table_limit() calls, the spill table the
// rest; full exactly at the capacity, duplicates (spilled ones too) still duplicates, every call found.
TEST(LiveCallsTest, AllIdsInOneShardStillFillExactlyToCapacity) {
  for (const uint32_t cap : {100u, 5000u, 100000u}) {
    LiveCalls live(cap);
    const std::vector<uint64_t> ids = OneShardIds(17, cap + 1);
    ASSERT_GT(cap, live.shard_table_limit());
    for (uint32_t i = 0; i < cap; ++i) {
      ASSERT_EQ(live.Add(ids[i], CallFor(ids[i], 1000 + i % 2)), R::kAdded) << cap << " at " << i;
    }
    EXPECT_EQ(live.size(), cap);
    EXPECT_EQ(live.Add(ids[cap], At(1000)), R::kFull);
    EXPECT_EQ(live.Add(ids[0], At(1000)), R::kDuplicate);        // in the shard's own table
    EXPECT_EQ(live.Add(ids[cap - 1], At(1000)), R::kDuplicate);  // spilled
    EXPECT_EQ(live.Add(1, At(1000)), LiveCalls::ShardOf(1) == 17 ? R::kDuplicate : R::kFull);
    LiveCall out;
    for (uint32_t i = 0; i < cap; i += 2) {  // every other one, from both tables
      ASSERT_TRUE(live.Remove(ids[i], &out)) << cap << " at " << i;
      ASSERT_TRUE(Same(out, CallFor(ids[i], 1000 + i % 2))) << cap << " at " << i;
    }
    EXPECT_EQ(live.size(), cap / 2);
    // The odd ones started at 1001: all expire at 1002, none at 1001.
    EXPECT_EQ(live.ExpireBefore(1001, [](uint64_t, const LiveCall&) {}), 0u);
    size_t walked = 0;
    live.ForEach([&](uint64_t id, const LiveCall& c) { walked += Same(c, CallFor(id, 1001)); });
    EXPECT_EQ(walked, cap / 2);
    EXPECT_EQ(live.ExpireBefore(1002, [](uint64_t, const LiveCall&) {}), cap / 2);
    EXPECT_EQ(live.size(), 0u);
    for (uint32_t i = 0; i < cap; ++i) ASSERT_EQ(live.Add(ids[i], At(5)), R::kAdded) << cap << " again " << i;
    EXPECT_EQ(live.Add(ids[cap], At(5)), R::kFull);
  }
}

TEST(LiveCallsTest, IdZeroIsAnIdLikeAnyOther) {
  LiveCalls live(2);
  EXPECT_EQ(live.Add(0, CallFor(0, 7)), R::kAdded);
  EXPECT_EQ(live.Add(0, At(8)), R::kDuplicate);
  EXPECT_EQ(live.Add(OneShardIds(LiveCalls::ShardOf(0), 1)[0], At(8)), R::kAdded);
  EXPECT_EQ(live.Add(0, At(8)), R::kDuplicate);  // even when full
  EXPECT_EQ(live.Add(12345, At(8)), R::kFull);
  size_t zeros = 0;
  live.ForEach([&](uint64_t id, const LiveCall& c) { zeros += id == 0 && Same(c, CallFor(0, 7)); });
  EXPECT_EQ(zeros, 1u);
  LiveCall out;
  ASSERT_TRUE(live.Remove(0, &out));
  EXPECT_TRUE(Same(out, CallFor(0, 7)));
  EXPECT_FALSE(live.Remove(0, &out));
  EXPECT_EQ(live.Add(0, At(3)), R::kAdded);
  std::vector<uint64_t> expired;
  EXPECT_EQ(live.ExpireBefore(4, [&](uint64_t id, const LiveCall&) { expired.push_back(id); }), 1u);
  EXPECT_EQ(expired, std::vector<uint64_t>{0});
  EXPECT_EQ(live.size(), 1u);
}

// Sequential and strided ids (what switches hand out) spread over the shards within a quarter of the mean.
TEST(LiveCallsTest, SequentialAndStridedIdsSpreadEvenlyOverShards) {
  const uint64_t kPerShard = 1024;
  for (const uint64_t stride : {uint64_t{1}, uint64_t{2}, uint64_t{64}, uint64_t{1000}, uint64_t{1} << 20,
                                uint64_t{1} << 32, (uint64_t{1} << 32) + 1}) {
    std::vector<uint64_t> per(LiveCalls::kShards);
    for (uint64_t i = 1; i <= kPerShard * LiveCalls::kShards; ++i) ++per[LiveCalls::ShardOf(i * stride)];
    for (uint32_t s = 0; s < LiveCalls::kShards; ++s) {
      EXPECT_GE(per[s], kPerShard * 3 / 4) << "stride " << stride << " shard " << s;
      EXPECT_LE(per[s], kPerShard * 5 / 4) << "stride " << stride << " shard " << s;
    }
  }
}

}  // namespace
}  // namespace tollguard::state
