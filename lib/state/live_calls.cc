#include "lib/state/live_calls.h"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <utility>
#include <vector>

namespace tollguard::state {

// A call id and its call: one cache line, so a probe reads one line. id 0 marks a free entry (the call
// id 0 has an entry of its own). The mapping starts zeroed: every entry free.
struct alignas(64) live_calls_internal::Entry {
  uint64_t id;
  LiveCall call;
};

namespace {
using live_calls_internal::Entry;
constexpr int kShardShift = 58;  // the top 6 bits of the mixed id pick the shard, the bits below the entry
static_assert(LiveCalls::kShards == 1u << (64 - kShardShift));

// Multiplicative (Fibonacci) hashing after folding the high half in: the product's top bits depend on
// every bit of the id and spread sequential ids evenly. Mix(0) == 0.
inline uint64_t Mix(uint64_t x) { return (x ^ (x >> 32)) * 0x9e3779b97f4a7c15ull; }

// One open-addressing table: mask + 1 entries (a power of two), at most half full, linear probing from
// the home entry (h >> shift) & mask, where h == Mix(id).
struct Table {
  Entry* t;
  uint64_t mask;
  uint32_t shift;

  uint64_t Home(uint64_t h) const { return (h >> shift) & mask; }
  // The entry holding id, or the free entry that ends its run. REQUIRES: id != 0.
  Entry* Probe(uint64_t id, uint64_t h) const {
    for (uint64_t i = Home(h);; i = (i + 1) & mask) {
      if (t[i].id == id || t[i].id == 0) return &t[i];
    }
  }
  // Frees t[i] without a tombstone: each later entry of the run moves back into the hole unless its home
  // lies cyclically in (hole, j], until a free entry ends the run.
  void Erase(uint64_t i) const {
    uint64_t hole = i;
    for (uint64_t j = (i + 1) & mask; t[j].id != 0; j = (j + 1) & mask) {
      const uint64_t home = Home(Mix(t[j].id));
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        t[hole] = t[j];
        hole = j;
      }
    }
    t[hole].id = 0;
  }
  // Erases the calls that started before cutoff_ms, handing each to removed first. An erase moves only
  // later entries of the run back, so re-reading the same index visits every entry (an entry that wraps
  // round to the front was visited already, and stays).
  template <typename Fn>
  void Expire(int64_t cutoff_ms, Fn&& removed) const {
    for (uint64_t i = 0; i <= mask; ++i) {
      while (t[i].id != 0 && t[i].call.start_ms < cutoff_ms) {
        removed(t[i]);
        Erase(i);
      }
    }
  }
};
}  // namespace

uint32_t LiveCalls::ShardOf(uint64_t call_id) { return static_cast<uint32_t>(Mix(call_id) >> kShardShift); }

LiveCalls::LiveCalls(uint32_t capacity) : capacity_(std::max<uint32_t>(capacity, 1)) {
  static_assert(sizeof(Entry) == 64, "a live call and its id fill one cache line");
  // Only the total is capped (at capacity_), so an uneven spread of ids never refuses calls early. A shard
  // table holds 1/8 + 16 calls above the even share before it spills (5 standard deviations at 100,000).
  fair_share_ = capacity_ / kShards;
  remainder_ = capacity_ - kShards * fair_share_;
  const uint64_t share = (uint64_t{capacity_} + kShards - 1) / kShards;
  for (shift_ = 4; (uint64_t{1} << shift_) < 2 * (share + share / 8 + 16); ++shift_) {}
  mask_ = (uint64_t{1} << shift_) - 1;
  home_shift_ = kShardShift - shift_;
  table_limit_ = static_cast<uint32_t>((mask_ + 1) / 2);
  uint32_t spill_bits = 4;
  while ((uint64_t{1} << spill_bits) < 2 * uint64_t{capacity_}) ++spill_bits;
  spill_mask_ = (uint64_t{1} << spill_bits) - 1;
  spill_shift_ = kShardShift - spill_bits;  // the bits below the shard's: spilled ids often share a shard
  spill_limit_ = capacity_;
  const size_t entries = (size_t{kShards} << shift_) + spill_mask_ + 2;
  bytes_ = entries * sizeof(Entry);
  void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  slab_ = static_cast<Entry*>(p);
  spill_table_ = slab_ + (size_t{kShards} << shift_);
  zero_entry_ = spill_table_ + spill_mask_ + 1;
}

LiveCalls::~LiveCalls() { munmap(slab_, bytes_); }

// The cap without a shared counter: the shares (capacity / shards) add up to at most the capacity, so a
// shard below its share has room as long as the calls held above shares (over_) fit in the remainder.
// Otherwise the shards' counts are summed. REQUIRES: s's lock held (for this and the three below).
bool LiveCalls::HasRoom(const Shard& s) const {
  return (s.count.load(std::memory_order_relaxed) < fair_share_ &&
          over_.load(std::memory_order_relaxed) <= remainder_) ||
         Total() < capacity_;
}

void LiveCalls::Grew(Shard& s) {
  const uint32_t n = s.count.load(std::memory_order_relaxed);
  if (n >= fair_share_) over_.fetch_add(1, std::memory_order_relaxed);
  s.count.store(n + 1, std::memory_order_relaxed);
}

void LiveCalls::Shrank(Shard& s) {
  const uint32_t n = s.count.load(std::memory_order_relaxed);
  if (n > fair_share_) over_.fetch_sub(1, std::memory_order_relaxed);
  s.count.store(n - 1, std::memory_order_relaxed);
}

void LiveCalls::SetCount(Shard& s, uint32_t after) {
  const int64_t before = s.count.load(std::memory_order_relaxed);
  const int64_t over = std::max<int64_t>(0, int64_t{after} - fair_share_) - std::max<int64_t>(0, before - fair_share_);
  if (over != 0) over_.fetch_add(over, std::memory_order_relaxed);
  s.count.store(after, std::memory_order_relaxed);
}

uint64_t LiveCalls::Total() const {
  uint64_t n = 0;
  for (const Shard& s : shards_) n += s.count.load(std::memory_order_relaxed);
  return n;
}

uint64_t LiveCalls::size() const { return Total(); }

inline Entry* LiveCalls::TableOf(uint32_t shard) const { return slab_ + (size_t{shard} << shift_); }

void LiveCalls::Prefetch(uint64_t call_id) const {
  const uint64_t h = Mix(call_id);
  const uint64_t g = h >> home_shift_;  // shard << shift_ | home
  __builtin_prefetch(&shards_[h >> kShardShift], 1, 3);
  __builtin_prefetch(slab_ + g, 1, 3);
  __builtin_prefetch(slab_ + ((g & ~mask_) | ((g + 1) & mask_)), 1, 3);  // the next entry, which Remove reads
}

__attribute__((noinline)) void LiveCalls::Lock(const Shard& s) {
  for (SpinBackoff backoff;;) {
    if (!s.locked.exchange(true, std::memory_order_acquire)) return;
    while (s.locked.load(std::memory_order_relaxed)) backoff.Pause();
  }
}

LiveCalls::AddResult LiveCalls::Add(uint64_t call_id, const LiveCall& call) {
  const uint64_t h = Mix(call_id);
  Shard& s = shards_[h >> kShardShift];
  if (s.locked.exchange(true, std::memory_order_acquire)) return AddWaiting(s, call_id, h, call);
  // The common case inline: the home entry is free, the id is not 0, the shard is below its share and
  // spilled nothing.
  Entry* e = slab_ + (h >> home_shift_);
  const uint32_t n = s.count.load(std::memory_order_relaxed);
  if (e->id == 0 && call_id != 0 && s.spilled == 0 && n < fair_share_ &&
      over_.load(std::memory_order_relaxed) <= remainder_) {
    e->id = call_id;
    e->call = call;  // the shard's table holds at most n < fair_share_ < table_limit_
    s.count.store(n + 1, std::memory_order_relaxed);
    Unlock(s);
    return AddResult::kAdded;
  }
  return AddLocked(s, call_id, h, call);
}

bool LiveCalls::Remove(uint64_t call_id, LiveCall* out) {
  const uint64_t h = Mix(call_id);
  Shard& s = shards_[h >> kShardShift];
  if (s.locked.exchange(true, std::memory_order_acquire)) return RemoveWaiting(s, call_id, h, out);
  // The common case inline: the id (not 0) in its home entry, the next entry free (nothing to shift back),
  // the shard not above its share.
  const uint64_t g = h >> home_shift_;  // shard << shift_ | home
  Entry* e = slab_ + g;
  const uint32_t n = s.count.load(std::memory_order_relaxed);
  if (e->id == call_id && call_id != 0 && n <= fair_share_ && slab_[(g & ~mask_) | ((g + 1) & mask_)].id == 0) {
    *out = e->call;
    e->id = 0;
    s.count.store(n - 1, std::memory_order_relaxed);
    Unlock(s);
    return true;
  }
  return RemoveLocked(s, call_id, h, out);
}

__attribute__((noinline)) LiveCalls::AddResult LiveCalls::AddWaiting(Shard& s, uint64_t id, uint64_t h,
                                                                      const LiveCall& call) {
  Lock(s);
  return AddLocked(s, id, h, call);
}

__attribute__((noinline)) bool LiveCalls::RemoveWaiting(Shard& s, uint64_t id, uint64_t h, LiveCall* out) {
  Lock(s);
  return RemoveLocked(s, id, h, out);
}

__attribute__((noinline)) LiveCalls::AddResult LiveCalls::AddLocked(Shard& s, uint64_t id, uint64_t h,
                                                                     const LiveCall& call) {
  AddResult r = AddResult::kAdded;
  const Table tab{TableOf(static_cast<uint32_t>(&s - shards_)), mask_, home_shift_};
  Entry* e = id == 0 ? zero_entry_ : tab.Probe(id, h);
  if (id == 0 ? s.zero != 0 : e->id == id || (s.spilled != 0 && SpillHas(id, h))) {
    r = AddResult::kDuplicate;
  } else if (!HasRoom(s)) {
    r = AddResult::kFull;
  } else if (id != 0 && s.count.load(std::memory_order_relaxed) - s.spilled - s.zero >= table_limit_) {
    r = SpillAdd(s, id, h, call);
  } else {
    e->id = id;  // the id 0's own entry keeps id 0: s.zero says it is live
    e->call = call;
    if (id == 0) s.zero = 1;
    Grew(s);
  }
  Unlock(s);
  return r;
}

__attribute__((noinline)) bool LiveCalls::RemoveLocked(Shard& s, uint64_t id, uint64_t h, LiveCall* out) {
  const Table tab{TableOf(static_cast<uint32_t>(&s - shards_)), mask_, home_shift_};
  bool found = false;
  if (id == 0) {
    found = s.zero != 0;
    if (found) {
      *out = zero_entry_->call;
      s.zero = 0;
      Shrank(s);
    }
  } else if (Entry* e = tab.Probe(id, h); e->id == id) {
    *out = e->call;
    tab.Erase(static_cast<uint64_t>(e - tab.t));
    Shrank(s);
    found = true;
  } else if (s.spilled != 0) {
    found = SpillRemove(s, id, h, out);
  }
  Unlock(s);
  return found;
}

// The spill table. REQUIRES: the lock of the id's shard (so no other thread adds or removes this id).
bool LiveCalls::SpillHas(uint64_t id, uint64_t h) const {
  spill_.mu.lock();
  const bool found = Table{spill_table_, spill_mask_, spill_shift_}.Probe(id, h)->id == id;
  spill_.mu.unlock();
  return found;
}

LiveCalls::AddResult LiveCalls::SpillAdd(Shard& s, uint64_t id, uint64_t h, const LiveCall& call) {
  spill_.mu.lock();
  const bool room = spill_.count < spill_limit_;  // at the limit the whole table holds the capacity
  if (room) {
    Entry* e = Table{spill_table_, spill_mask_, spill_shift_}.Probe(id, h);
    e->id = id;
    e->call = call;
    ++spill_.count;
  }
  spill_.mu.unlock();
  if (!room) return AddResult::kFull;
  ++s.spilled;
  Grew(s);
  return AddResult::kAdded;
}

bool LiveCalls::SpillRemove(Shard& s, uint64_t id, uint64_t h, LiveCall* out) {
  const Table tab{spill_table_, spill_mask_, spill_shift_};
  spill_.mu.lock();
  Entry* e = tab.Probe(id, h);
  const bool found = e->id == id;
  if (found) {
    *out = e->call;
    tab.Erase(static_cast<uint64_t>(e - tab.t));
    --spill_.count;
  }
  spill_.mu.unlock();
  if (found) {
    --s.spilled;
    Shrank(s);
  }
  return found;
}

size_t LiveCalls::ExpireBefore(int64_t cutoff_ms, const std::function<void(uint64_t, const LiveCall&)>& fn) {
  std::vector<std::pair<uint64_t, LiveCall>> expired;
  for (uint32_t i = 0; i < kShards; ++i) {
    Shard& s = shards_[i];
    Lock(s);
    uint32_t gone = 0;
    Table{TableOf(i), mask_, home_shift_}.Expire(cutoff_ms, [&](const Entry& e) {
      expired.emplace_back(e.id, e.call);
      ++gone;
    });
    if (s.zero && zero_entry_->call.start_ms < cutoff_ms) {
      expired.emplace_back(0, zero_entry_->call);
      s.zero = 0;
      ++gone;
    }
    SetCount(s, s.count.load(std::memory_order_relaxed) - gone);
    Unlock(s);
  }
  // The spill table holds calls of any shard: every shard is locked, in order, then the spill. Only a very
  // uneven spread of ids ever puts calls there.
  spill_.mu.lock();
  const bool spilled = spill_.count != 0;
  spill_.mu.unlock();
  if (spilled) {
    for (const Shard& s : shards_) Lock(s);
    spill_.mu.lock();
    uint32_t gone[kShards] = {};
    Table{spill_table_, spill_mask_, spill_shift_}.Expire(cutoff_ms, [&](const Entry& e) {
      expired.emplace_back(e.id, e.call);
      ++gone[ShardOf(e.id)];
      --spill_.count;
    });
    spill_.mu.unlock();
    for (uint32_t i = 0; i < kShards; ++i) {
      shards_[i].spilled -= gone[i];
      SetCount(shards_[i], shards_[i].count.load(std::memory_order_relaxed) - gone[i]);
      Unlock(shards_[i]);
    }
  }
  for (const auto& [id, call] : expired) fn(id, call);
  return expired.size();
}

void LiveCalls::ForEach(const std::function<void(uint64_t, const LiveCall&)>& fn) const {
  for (uint32_t i = 0; i < kShards; ++i) {
    Lock(shards_[i]);
    const Entry* t = TableOf(i);
    for (uint64_t j = 0; j <= mask_; ++j) {
      if (t[j].id != 0) fn(t[j].id, t[j].call);
    }
    if (shards_[i].zero) fn(0, zero_entry_->call);
    Unlock(shards_[i]);
  }
  spill_.mu.lock();
  if (spill_.count != 0) {
    for (uint64_t j = 0; j <= spill_mask_; ++j) {
      if (spill_table_[j].id != 0) fn(spill_table_[j].id, spill_table_[j].call);
    }
  }
  spill_.mu.unlock();
}

}  // namespace tollguard::state
