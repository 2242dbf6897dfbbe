// LiveCalls under 2-4 threads: disjoint ids all kept, an id shared by threads added and removed exactly
// once, the cap exceeded by fewer calls than there are threads, expiry and walks racing adds and removes.
// Ids all in one shard too (one lock, the spill table). Run under TSan by tools/test.sh.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "lib/state/live_calls.h"

namespace tollguard::state {
namespace {

using R = LiveCalls::AddResult;

LiveCall CallFor(uint64_t id, int64_t start_ms) {
  LiveCall c;
  c.account_key = id * 7 + 1;
  c.start_ms = start_ms;
  c.tenant_key = ~id;
  return c;
}

std::vector<uint64_t> OneShardIds(uint32_t shard, size_t n) {
  std::vector<uint64_t> ids;
  for (uint64_t id = 1; ids.size() < n; ++id) {
    if (LiveCalls::ShardOf(id) == shard) ids.push_back(id);
  }
  return ids;
}

std::vector<uint64_t> Sequential(size_t n) {
  std::vector<uint64_t> ids;
  for (uint64_t id = 1; id <= n; ++id) ids.push_back(id);
  return ids;
}

enum class Spread { kSequential, kOneShard, kShardPerThread };
const Spread kSpreads[] = {Spread::kSequential, Spread::kOneShard, Spread::kShardPerThread};

// n ids where thread t uses ids[i * threads + t]: sequential, all in one shard, or thread t's all in shard
// 7 * t (the shards spill at once, into the one spill table).
std::vector<uint64_t> IdsFor(Spread spread, size_t n, int threads) {
  if (spread == Spread::kSequential) return Sequential(n);
  if (spread == Spread::kOneShard) return OneShardIds(3, n);
  std::vector<uint64_t> ids(n);
  for (int t = 0; t < threads; ++t) {
    const std::vector<uint64_t> own = OneShardIds(7 * t, n / threads + 1);
    for (size_t i = 0; i * threads + t < n; ++i) ids[i * threads + t] = own[i];
  }
  return ids;
}

template <typename Fn>
void RunThreads(int n, Fn fn) {
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) threads.emplace_back(fn, t);
  for (auto& th : threads) th.join();
}

std::map<uint64_t, LiveCall> Contents(const LiveCalls& live) {
  std::map<uint64_t, LiveCall> m;
  live.ForEach([&](uint64_t id, const LiveCall& c) { EXPECT_TRUE(m.emplace(id, c).second) << "twice: " << id; });
  EXPECT_EQ(m.size(), live.size());
  return m;
}

// Each thread churns its own ids (every thread's id i is in ids[i * threads + t]) and keeps a known
// subset live at the end: the table holds exactly the union, each with its own call.
TEST(LiveCallsConcurrency, DisjointIdsChurnAndKeepExactlyTheirLiveSets) {
  for (const Spread spread : kSpreads) {
    for (const int threads : {2, 4}) {
      const uint32_t per_thread = 1500;
      const size_t n = per_thread * threads;
      const std::vector<uint64_t> ids = IdsFor(spread, n, threads);
      LiveCalls live(per_thread * threads);
      std::vector<std::vector<uint64_t>> kept(threads);
      RunThreads(threads, [&](int t) {
        std::mt19937_64 rng(t);
        std::vector<bool> in(per_thread);
        for (int round = 0; round < 20000; ++round) {
          const uint32_t i = static_cast<uint32_t>(rng() % per_thread);
          const uint64_t id = ids[i * threads + t];
          LiveCall out;
          if (in[i]) {
            EXPECT_TRUE(live.Remove(id, &out)) << id;
            EXPECT_EQ(out.tenant_key, ~id);
          } else {
            EXPECT_EQ(live.Add(id, CallFor(id, round)), R::kAdded) << id;
          }
          in[i] = !in[i];
        }
        for (uint32_t i = 0; i < per_thread; ++i) {
          if (in[i]) kept[t].push_back(ids[i * threads + t]);
        }
      });
      const auto m = Contents(live);
      size_t want = 0;
      for (const auto& k : kept) {
        want += k.size();
        for (uint64_t id : k) {
          const auto it = m.find(id);
          ASSERT_TRUE(it != m.end()) << id << " lost";
          EXPECT_EQ(it->second.account_key, id * 7 + 1);
        }
      }
      EXPECT_EQ(m.size(), want) << "spread " << static_cast<int>(spread) << ", threads " << threads;
    }
  }
}

// All threads add the same ids, then all remove them: each id is added once and removed once.
TEST(LiveCallsConcurrency, SharedIdsAreAddedOnceAndRemovedOnce) {
  for (const Spread spread : kSpreads) {
    const int threads = 4;
    const size_t n = 3000;
    const std::vector<uint64_t> ids = IdsFor(spread, n, threads);  // every thread adds all of them
    LiveCalls live(n);
    std::vector<std::atomic<int>> added(n), removed(n);
    RunThreads(threads, [&](int t) {
      for (size_t k = 0; k < n; ++k) {
        const size_t i = t % 2 ? n - 1 - k : k;  // two threads from each end
        const R r = live.Add(ids[i], CallFor(ids[i], 1));
        EXPECT_NE(r, R::kFull) << ids[i];
        if (r == R::kAdded) added[i].fetch_add(1);
      }
    });
    EXPECT_EQ(live.size(), n);
    RunThreads(threads, [&](int t) {
      LiveCall out;
      for (size_t k = 0; k < n; ++k) {
        const size_t i = t % 2 ? n - 1 - k : k;
        if (live.Remove(ids[i], &out)) removed[i].fetch_add(1);
      }
    });
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(added[i].load(), 1) << ids[i];
      ASSERT_EQ(removed[i].load(), 1) << ids[i];
    }
    EXPECT_EQ(live.size(), 0u);
  }
}

// Threads racing for the last places: the table ends between the capacity (never refused early) and the
// capacity + threads - 1, and every kAdded is in it.
TEST(LiveCallsConcurrency, CapIsExceededByFewerCallsThanThreads) {
  for (const Spread spread : kSpreads) {
    for (const int threads : {2, 3, 4}) {
      for (const uint32_t cap : {1u, 64u, 100u, 1000u}) {
        LiveCalls live(cap);
        const std::vector<uint64_t> ids = IdsFor(spread, 4 * cap, threads);
        std::atomic<size_t> added{0};
        RunThreads(threads, [&](int t) {
          for (size_t i = t; i < ids.size(); i += threads) {
            if (live.Add(ids[i], CallFor(ids[i], 1)) == R::kAdded) added.fetch_add(1);
          }
        });
        EXPECT_GE(live.size(), cap);
        EXPECT_LE(live.size(), cap + threads - 1) << "cap " << cap << ", threads " << threads;
        EXPECT_EQ(live.size(), added.load());
        EXPECT_EQ(Contents(live).size(), added.load());
      }
    }
  }
}

// Adds, removes, expiry and walks at once, near the cap: afterwards added - removed - expired == size,
// and the table still fills to its capacity.
TEST(LiveCallsConcurrency, ExpiryAndWalksRaceAddsAndRemoves) {
  for (const Spread spread : kSpreads) {
    const uint32_t cap = 800;
    const int writers = 3;
    const std::vector<uint64_t> ids = IdsFor(spread, 3 * cap, writers);
    LiveCalls live(cap);
    std::atomic<int64_t> added{0}, removed{0}, expired{0};
    std::atomic<int> done{0};
    RunThreads(writers + 1, [&](int t) {
      if (t == writers) {  // the maintenance thread
        for (int64_t cutoff = 0; done.load() < writers; cutoff += 50) {
          expired.fetch_add(static_cast<int64_t>(live.ExpireBefore(cutoff, [](uint64_t, const LiveCall&) {})));
          live.ForEach([&](uint64_t id, const LiveCall& c) { EXPECT_EQ(c.tenant_key, ~id); });
          std::this_thread::yield();
        }
        return;
      }
      std::mt19937_64 rng(t);
      LiveCall out;
      for (int round = 0; round < 30000; ++round) {
        const uint64_t id = ids[(rng() % cap) * writers + t];  // disjoint per writer
        if (rng() % 2) {
          if (live.Add(id, CallFor(id, round / 10)) == R::kAdded) added.fetch_add(1);
        } else if (live.Remove(id, &out)) {
          removed.fetch_add(1);
        }
      }
      done.fetch_add(1);
    });
    EXPECT_EQ(added.load() - removed.load() - expired.load(), static_cast<int64_t>(live.size()));
    EXPECT_EQ(Contents(live).size(), live.size());
    live.ExpireBefore(INT64_MAX, [](uint64_t, const LiveCall&) {});
    EXPECT_EQ(live.size(), 0u);
    for (uint32_t i = 0; i < cap; ++i) ASSERT_EQ(live.Add(ids[i], CallFor(ids[i], 1)), R::kAdded) << i;
    EXPECT_EQ(live.Add(ids[cap], CallFor(ids[cap], 1)), R::kFull);
  }
}

}  // namespace
}  // namespace tollguard::state
