// AccountStore under several threads: no lost update while records stay resident, consistent records
// through constant creation, eviction, collisions, snapshots and restores, and a Handle that really excludes
// other threads from its account (and only from its account). Run under ThreadSanitizer by tools/test.sh.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "lib/state/account_store.h"

namespace tollguard::state {
namespace {

constexpr int kThreads = 4;

// Every test runs on a lazy store and on a preallocated one (records placed by hash and found at home
// without the index: a second lock-free path).
class AccountStoreConcurrency : public ::testing::TestWithParam<bool> {};

std::vector<AccountKey> Keys(int n, const std::string& prefix) {
  std::vector<AccountKey> keys;
  for (int i = 0; i < n; ++i) keys.push_back(HashAccount(prefix + std::to_string(i)));
  return keys;
}

// Every thread increments counters in a few hot accounts (mostly creating, sometimes a plain lookup that
// may miss before creation); nothing is evicted, so the counters must add up to the holds the threads
// counted, and each account must have been created exactly once.
TEST_P(AccountStoreConcurrency, NoLostUpdatesWhileResident) {
  AccountStore store(100000, GetParam());
  const std::vector<AccountKey> keys = Keys(64, "hot");
  constexpr int kVisits = 20000;
  std::atomic<uint64_t> holds{0};
  std::atomic<int> creations{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(100 + t);
      uint64_t mine = 0;
      for (int v = 0; v < kVisits; ++v) {
        AccountStore::Handle h = store.Acquire(keys[rng() % keys.size()], 1000 + v, rng() % 8 != 0);
        if (h.record() == nullptr) continue;
        if (h.created()) creations.fetch_add(1);
        ++h.record()->recent[0];
        h.record()->recent[1] += 2;  // a second write in the same hold: a torn hold breaks recent[1] == 2 x recent[0]
        ++mine;
      }
      holds.fetch_add(mine);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(creations.load(), static_cast<int>(keys.size()));
  EXPECT_EQ(store.evicted(), 0u);
  EXPECT_EQ(store.size(), keys.size());
  uint64_t total = 0;
  for (const AccountKey& k : keys) {
    AccountStore::Handle h = store.Acquire(k, 0, false);
    ASSERT_NE(h.record(), nullptr);
    EXPECT_EQ(h.record()->recent[1], 2 * h.record()->recent[0]);
    total += h.record()->recent[0];
  }
  EXPECT_EQ(total, holds.load());
}

// A tiny store and many overlapping accounts (some pairs colliding on the 64-bit key): creation, eviction
// and collision takeovers all the time, a snapshot thread copying and restoring records and now and then
// clearing the store. Under the lock a record is always the requested account's, carries the mark its
// creator wrote, and is nobody else's while held.
TEST_P(AccountStoreConcurrency, RecordsStayConsistentThroughEvictionChurn) {
  AccountStore store(200, GetParam());  // 4 shards of 50
  std::vector<AccountKey> keys = Keys(1000, "churn");
  for (int i = 0; i < 50; ++i) keys.push_back({keys[i].key, keys[i].check ^ 0x5a5a5a5au});  // collisions
  constexpr int kVisits = 20000;
  constexpr uint64_t kShards = 4;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  auto fail = [&] { failures.fetch_add(1, std::memory_order_relaxed); };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(200 + t);
      for (int v = 0; v < kVisits; ++v) {
        const AccountKey& k = keys[rng() % keys.size()];
        AccountStore::Handle h = store.Acquire(k, 1000 + v, rng() % 8 != 0);
        AccountRecord* r = h.record();
        if (r == nullptr) continue;
        if (r->key != k.key || r->key_check != k.check) fail();
        if (h.created()) r->first_seen_ms = static_cast<int64_t>(r->key_check);  // the creator's mark
        if (r->first_seen_ms != static_cast<int64_t>(k.check)) fail();
        r->recent[2] = static_cast<uint64_t>(t + 1);  // owner while held
        for (int spin = 0; spin < 20; ++spin) ++r->recent[0];
        if (r->recent[2] != static_cast<uint64_t>(t + 1)) fail();
        r->recent[2] = 0;
        r->last_seen_ms = 1000 + v;
        if (store.size() > store.capacity() + kShards) fail();
      }
    });
  }
  std::thread snapshots([&] {
    for (int round = 0; !done.load(); ++round) {
      std::vector<AccountRecord> copies;
      copies.reserve(store.capacity() + kShards);
      store.ForEach([&](const AccountRecord& r) {
        if (r.lock != 0 || r.key == 0 || r.first_seen_ms != static_cast<int64_t>(r.key_check)) fail();
        copies.push_back(r);
      });
      for (const AccountRecord& r : copies) store.Restore(r);
      if (round % 16 == 15) store.Clear();
    }
  });
  for (auto& th : threads) th.join();
  done.store(true);
  snapshots.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(store.evicted(), 0u);
  EXPECT_LE(store.size(), store.capacity() + kShards);
  uint64_t resident = 0;
  store.ForEach([&](const AccountRecord&) { ++resident; });
  EXPECT_EQ(resident, store.size());
}

// While one thread holds an account, a second thread asking for it waits and sees the first one's
// write only after the release; other accounts (same shard: a store this small has one) stay available.
TEST_P(AccountStoreConcurrency, HandleExcludesOthersFromItsAccountOnly) {
  AccountStore store(64, GetParam());  // a single shard
  const AccountKey held = HashAccount("held"), other = HashAccount("other");
  { store.Acquire(other, 1000, true); }
  AccountStore::Handle h = store.Acquire(held, 1000, true);
  ASSERT_NE(h.record(), nullptr);
  h.record()->recent[0] = 1;
  std::atomic<bool> got{false};
  std::atomic<uint64_t> seen{0};
  std::thread waiter([&] {
    AccountStore::Handle w = store.Acquire(held, 2000, false);
    seen.store(w.record() ? w.record()->recent[0] : 0);
    got.store(true);
  });
  // Another account of the same shard, existing and new, while the handle is held.
  std::atomic<bool> others_done{false};
  std::thread neighbour([&] {
    { EXPECT_NE(store.Acquire(other, 2000, false).record(), nullptr); }
    { EXPECT_TRUE(store.Acquire(HashAccount("new"), 2000, true).created()); }
    others_done.store(true);
  });
  neighbour.join();
  EXPECT_TRUE(others_done.load());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(got.load()) << "a second thread entered a held account";
  h.record()->recent[0] = 2;
  h.Release();
  waiter.join();
  EXPECT_TRUE(got.load());
  EXPECT_EQ(seen.load(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Stores, AccountStoreConcurrency, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "Preallocated" : "Lazy"; });

}  // namespace
}  // namespace tollguard::state
