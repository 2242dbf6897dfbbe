// AccountStore: lookups, creation, eviction under the cap, collisions, Clear/Restore/ForEach (the record
// lock word never saved or restored as set), and the open-addressing index checked against a reference map
// through random inserts and evictions. Threads: account_store_concurrency_test.cc.
#include "lib/state/account_store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>
#include <map>
#include <random>
#include <set>
#include <string>

namespace tollguard::state {
namespace {

TEST(AccountStoreTest, CreatesFindsAndKeepsRecords) {
  AccountStore store(1000);
  const AccountKey k = HashAccount("alice");
  {
    auto h = store.Acquire(k, 1000, false);
    EXPECT_EQ(h.record(), nullptr);
  }
  {
    auto h = store.Acquire(k, 1000, true);
    ASSERT_NE(h.record(), nullptr);
    EXPECT_TRUE(h.created());
    EXPECT_EQ(h.record()->key, k.key);
    h.record()->live = 7;
  }
  auto h = store.Acquire(k, 2000, false);
  ASSERT_NE(h.record(), nullptr);
  EXPECT_FALSE(h.created());
  EXPECT_EQ(h.record()->live, 7);
  EXPECT_EQ(store.size(), 1u);
}

TEST(AccountStoreTest, SixtyFourBitCollisionIsToldApartByTheCheck) {
  AccountStore store(100);
  const AccountKey a{0x1234, 1}, b{0x1234, 2};
  { store.Acquire(a, 1000, true).record()->live = 3; }
  EXPECT_EQ(store.Acquire(b, 1000, false).record(), nullptr);
  {
    auto h = store.Acquire(b, 1000, true);
    ASSERT_NE(h.record(), nullptr);
    EXPECT_EQ(h.record()->live, 0);  // a fresh record: the newer name took the slot over
  }
  EXPECT_EQ(store.Acquire(a, 1000, false).record(), nullptr);
  EXPECT_EQ(store.size(), 1u);
}

// Many accounts through a small store: the index must agree with a reference of what is resident, every
// resident account must be found with its own data, and evicted ones must not be.
void IndexStaysConsistentThroughEvictions(bool preallocate) {
  constexpr uint32_t kCap = 500;
  AccountStore store(kCap, preallocate);
  std::mt19937_64 rng(7);
  std::set<uint64_t> created;
  for (int i = 0; i < 20000; ++i) {
    const std::string name = "acct" + std::to_string(rng() % 3000);
    const AccountKey k = HashAccount(name);
    auto h = store.Acquire(k, 1000 + i, true);
    ASSERT_NE(h.record(), nullptr);
    if (h.created()) h.record()->first_seen_ms = static_cast<int64_t>(k.check);  // a per-account mark
    EXPECT_EQ(h.record()->first_seen_ms, static_cast<int64_t>(k.check)) << name;
    h.record()->last_seen_ms = 1000 + i;
    created.insert(k.key);
  }
  EXPECT_LE(store.size(), kCap);
  EXPECT_GT(store.evicted(), 0u);
  std::map<uint64_t, int64_t> resident;
  store.ForEach([&](const AccountRecord& r) {
    EXPECT_EQ(r.lock, 0u);  // snapshot copies are taken under the record lock but must not save it
    resident[r.key] = r.first_seen_ms;
  });
  EXPECT_EQ(resident.size(), store.size());
  for (int a = 0; a < 3000; ++a) {
    const AccountKey k = HashAccount("acct" + std::to_string(a));
    auto h = store.Acquire(k, 0, false);
    if (resident.count(k.key)) {
      ASSERT_NE(h.record(), nullptr) << a;
      EXPECT_EQ(h.record()->first_seen_ms, static_cast<int64_t>(k.check));
    } else {
      EXPECT_EQ(h.record(), nullptr) << a;
    }
  }
}
TEST(AccountStoreTest, IndexStaysConsistentThroughEvictions) { IndexStaysConsistentThroughEvictions(false); }
// Preallocated: records placed by hash, found at home without the index when they are there.
TEST(AccountStoreTest, PreallocatedIndexStaysConsistentThroughEvictions) { IndexStaysConsistentThroughEvictions(true); }

TEST(AccountStoreTest, ClearAndRestore) {
  AccountStore store(64);
  AccountRecord saved;
  {
    auto h = store.Acquire(HashAccount("bob"), 5000, true);
    h.record()->active_days = 9;
    h.record()->live = 2;
    saved = *h.record();
    EXPECT_NE(saved.lock, 0u);  // a copy taken under the handle says "locked": Restore must not keep that
  }
  store.Clear();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.Acquire(HashAccount("bob"), 5000, false).record(), nullptr);
  ASSERT_TRUE(store.Restore(saved));
  auto h = store.Acquire(HashAccount("bob"), 5000, false);  // would spin forever on a restored lock word
  ASSERT_NE(h.record(), nullptr);
  EXPECT_EQ(h.record()->active_days, 9);
  EXPECT_EQ(h.record()->live, 0);  // live calls are restored separately
  h.Release();
  EXPECT_FALSE(store.Restore(AccountRecord{}));  // key 0 is never a record
}

// Preallocated, records are resident from construction and placed by hash; below the cap the store keeps
// exactly what the lazy one keeps (the same creations and records for the same sequence).
TEST(AccountStoreTest, PreallocatedStoreIsResidentAndKeepsTheSameAccounts) {
  auto resident = [] {
    long pages = 0, res = 0;
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (f != nullptr) {
      if (std::fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
      std::fclose(f);
    }
    return static_cast<size_t>(res) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
  };
  constexpr uint32_t kCap = 20000;
  const size_t before = resident();
  AccountStore pre(kCap, true);
  EXPECT_GE(resident() - before, size_t{kCap} * sizeof(AccountRecord) * 9 / 10);
  AccountStore lazy(kCap, false);
  EXPECT_GE(pre.memory_bytes(), size_t{kCap} * sizeof(AccountRecord));
  EXPECT_LT(lazy.memory_bytes(), size_t{kCap} * sizeof(AccountRecord) / 10);
  std::mt19937_64 rng(11);
  for (int i = 0; i < 60000; ++i) {
    const AccountKey k = HashAccount("a" + std::to_string(rng() % 12000));  // 60 % of the cap: no eviction
    auto a = lazy.Acquire(k, 1000 + i, true);
    auto b = pre.Acquire(k, 1000 + i, true);
    ASSERT_NE(a.record(), nullptr);
    ASSERT_NE(b.record(), nullptr);
    ASSERT_EQ(a.created(), b.created()) << i;
    ASSERT_EQ(a.record()->first_seen_ms, b.record()->first_seen_ms) << i;
    ASSERT_EQ(b.record()->key, k.key);
    a.record()->last_seen_ms = b.record()->last_seen_ms = 1000 + i;
  }
  EXPECT_EQ(lazy.size(), pre.size());
  EXPECT_EQ(pre.evicted(), 0u);
  size_t n = 0;
  pre.ForEach([&](const AccountRecord& r) {
    EXPECT_NE(r.key, 0u);
    ++n;
  });
  EXPECT_EQ(n, pre.size());
}

}  // namespace
}  // namespace tollguard::state
