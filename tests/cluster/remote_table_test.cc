#include "lib/cluster/remote_table.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "gtest/gtest.h"

namespace tollguard::cluster {
namespace {

Contribution Filled(float v, int64_t t) {
  Contribution c;
  c.t_ms = t;
  for (auto& x : c.att) x = v;
  for (auto& x : c.intl) x = v;
  for (auto& x : c.high) x = v;
  for (auto& x : c.spend) x = v;
  c.live = static_cast<uint16_t>(v);
  c.live_intl = static_cast<uint16_t>(v);
  return c;
}

TEST(RemoteTableTest, ReadsWhatWasWrittenAndTellsAccountsApart) {
  RemoteTable t(100);
  Contribution out;
  EXPECT_FALSE(t.Read(42, 7, &out));
  t.Write(42, 7, Filled(3, 1000));
  ASSERT_TRUE(t.Read(42, 7, &out));
  EXPECT_EQ(out.t_ms, 1000);
  EXPECT_EQ(out.live, 3);
  EXPECT_FLOAT_EQ(out.att[4], 3.f);
  EXPECT_FLOAT_EQ(out.spend[2], 3.f);
  EXPECT_FALSE(t.Read(42, 8, &out));  // same key, other check: another account
  t.Write(42, 7, Filled(5, 2000));    // overwrite in place
  ASSERT_TRUE(t.Read(42, 7, &out));
  EXPECT_EQ(out.live, 5);
  t.Clear();
  EXPECT_FALSE(t.Read(42, 7, &out));
}

TEST(RemoteTableTest, FullProbeWindowReusesTheOldestSlot) {
  RemoteTable t(32);  // 64 slots
  // Many accounts: every one is findable until the probe windows fill, then the oldest are replaced.
  for (uint64_t k = 1; k <= 64; ++k) t.Write(k * 0x100000001ull, 1, Filled(1, static_cast<int64_t>(k)));
  Contribution out;
  int found = 0;
  for (uint64_t k = 1; k <= 64; ++k) found += t.Read(k * 0x100000001ull, 1, &out);
  EXPECT_EQ(static_cast<uint64_t>(found) + t.replaced(), 64u);
  EXPECT_GT(found, 32);
  // The newest write is always readable.
  t.Write(999, 1, Filled(2, 100000));
  ASSERT_TRUE(t.Read(999, 1, &out));
  EXPECT_EQ(out.live, 2);
}

TEST(RemoteTableTest, ReadersNeverSeeATornSlot) {
  RemoteTable t(16);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 1; !stop.load(); i = i % 1000 + 1) t.Write(77, 1, Filled(static_cast<float>(i), i));
  });
  int64_t reads = 0, tries = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  // Reads under a writer that rewrites the slot without pause; a busy slot may be reported absent (the
  // decision is then local), but what is returned is always one whole write.
  while (reads < 20000 && std::chrono::steady_clock::now() < deadline) {
    ++tries;
    Contribution c;
    if (!t.Read(77, 1, &c)) continue;
    ++reads;
    const float v = static_cast<float>(c.t_ms);
    ASSERT_EQ(c.live, static_cast<uint16_t>(v));
    for (float x : c.att) ASSERT_EQ(x, v);
    for (float x : c.spend) ASSERT_EQ(x, v);
  }
  stop.store(true);
  writer.join();
  EXPECT_GT(reads, 0) << tries << " tries";
}

}  // namespace
}  // namespace tollguard::cluster
