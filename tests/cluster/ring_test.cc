#include "lib/cluster/ring.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace tollguard::cluster {
namespace {

struct Item {
  uint32_t producer;
  uint32_t seq;
};

TEST(MpscRingTest, PopsInPushOrderAndDropsWhenFull) {
  MpscRing<Item> ring(4);
  Item out;
  EXPECT_FALSE(ring.Pop(&out));
  for (uint32_t i = 0; i < 4; ++i) EXPECT_TRUE(ring.Push({0, i}));
  EXPECT_FALSE(ring.Push({0, 99}));  // full: dropped, never waits
  EXPECT_EQ(ring.dropped(), 1u);
  for (uint32_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(ring.Pop(&out));
    EXPECT_EQ(out.seq, i);
  }
  EXPECT_FALSE(ring.Pop(&out));
  EXPECT_TRUE(ring.Push({0, 5}));  // room again after the wrap
  ASSERT_TRUE(ring.Pop(&out));
  EXPECT_EQ(out.seq, 5u);
}

TEST(MpscRingTest, ManyProducersLoseNothingThatWasAcceptedAndKeepEachProducersOrder) {
  MpscRing<Item> ring(1024);
  constexpr uint32_t kProducers = 4, kEach = 50000;
  std::atomic<uint32_t> accepted{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> producers;
  for (uint32_t p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (uint32_t i = 0; i < kEach; ++i) {
        if (ring.Push({p, i})) accepted.fetch_add(1);
      }
    });
  }
  std::vector<int64_t> last(kProducers, -1);
  uint32_t popped = 0;
  std::thread consumer([&] {
    Item it;
    for (;;) {
      if (ring.Pop(&it)) {
        ASSERT_LT(it.producer, kProducers);
        ASSERT_GT(static_cast<int64_t>(it.seq), last[it.producer]);  // per-producer order kept
        last[it.producer] = it.seq;
        ++popped;
      } else if (done.load()) {
        while (ring.Pop(&it)) ++popped;
        break;
      }
    }
  });
  for (auto& t : producers) t.join();
  done.store(true);
  consumer.join();
  EXPECT_EQ(popped, accepted.load());
  EXPECT_EQ(accepted.load() + ring.dropped(), kProducers * kEach);
}

}  // namespace
}  // namespace tollguard::cluster
