// Calls begun and not yet ended, by the caller's call id: what tg_call_end needs to release concurrency,
// book spend at the call's rate and teach the account's history. Sharded, bounded, preallocated.
// Thread-safety: any number of threads; each shard has its own lock, held for one table operation (the
// spill table's lock nests inside it; ExpireBefore takes every shard's lock only when calls spilled). No
// counter is shared between shards (a shared atomic size cost 2-thread throughput 1.86x -> 1.42x).
#ifndef TOLLGUARD_LIB_STATE_LIVE_CALLS_H_
#define TOLLGUARD_LIB_STATE_LIVE_CALLS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "lib/util/spinlock.h"

namespace tollguard::state {

struct LiveCall {
  uint64_t account_key = 0;
  uint32_t account_check = 0;
  uint32_t rate_micros = 0;     // per minute
  int64_t start_ms = 0;
  uint32_t range_key = 0;       // history keys of the destination, learnt when the call is answered
  uint32_t country_key = 0;
  uint8_t intl = 0;
  uint8_t tier = 0;
  uint8_t learn = 0;            // 0: no learning; else the days of answers a destination needs (profile)
  uint8_t reserved = 0;
  int32_t max_duration_s = 0;
  uint64_t tenant_key = 0;      // the tenant's record, which learns too; 0: none
  uint32_t tenant_check = 0;
};

namespace live_calls_internal {
struct Entry;  // a call id and its LiveCall: one cache line (live_calls.cc)
}

// Each shard owns an open-addressing table (linear probing, at most half full, backward-shift deletion,
// one 64-byte entry per call: a probe is one cache line) in one anonymous mapping reserved at construction
// and touched as calls land. A shard whose own table is at its limit (ids spread very unevenly) puts
// further calls in a spill table, shared and locked on its own, that can hold the whole capacity.
// Memory: shard tables of 2.25..4.5 entries per call of capacity, nothing resident before calls land
// (RSS at capacity: 168 B per call at the default 100,000, 268 B at 1,000,000); the spill table reserves
// 2..4 entries per call of address space that only an uneven spread touches (every id in one shard: 170 B
// per call at 100,000). Add and Remove never allocate.
class LiveCalls {
 public:
  static constexpr uint32_t kShards = 64;

  explicit LiveCalls(uint32_t capacity);  // throws std::bad_alloc when the mapping fails
  ~LiveCalls();
  LiveCalls(const LiveCalls&) = delete;
  LiveCalls& operator=(const LiveCalls&) = delete;

  enum class AddResult { kAdded, kDuplicate, kFull };
  // A duplicate id is a duplicate even when the table is full. kFull only when the shards' counts add up
  // to the capacity: never early, whatever the spread of ids; exact for one thread; threads adding at the
  // same instant in the last places may exceed the capacity by fewer calls than there are threads.
  AddResult Add(uint64_t call_id, const LiveCall& call);
  // Removes and returns the call; false when the id is not live.
  bool Remove(uint64_t call_id, LiveCall* out);
  // A hint, no lock: requests the cache lines an Add or Remove of call_id reads first.
  void Prefetch(uint64_t call_id) const;
  // Removes calls that started before cutoff_ms (their end never came); calls fn for each, without locks.
  size_t ExpireBefore(int64_t cutoff_ms, const std::function<void(uint64_t, const LiveCall&)>& fn);
  // fn runs under a shard's lock: it must not call back into this table.
  void ForEach(const std::function<void(uint64_t, const LiveCall&)>& fn) const;

  uint64_t size() const;  // the sum of the shards' counts
  uint32_t capacity() const { return capacity_; }
  static uint32_t ShardOf(uint64_t call_id);  // for tests: ids of one shard
  uint32_t shard_table_limit() const { return table_limit_; }  // calls a shard holds before spilling

 private:
  using Entry = live_calls_internal::Entry;
  struct alignas(64) Shard {  // a cache line of its own: shards are written by different threads
    // The shard's spinlock, test-and-test-and-set as lib/util/spinlock.h; its wait is out of line, so the
    // common Add and Remove save no registers (Spinlock::lock inlines a call to yield).
    mutable std::atomic<bool> locked{false};
    uint8_t zero = 0;                // 1: the call id 0 is live (shard 0 only; it has an entry of its own)
    std::atomic<uint32_t> count{0};  // calls of the shard, written under the lock, read by any thread (the cap)
    uint32_t spilled = 0;            // of which in the spill table (count - spilled - zero: in its own)
  };
  struct alignas(64) Spill {
    Spinlock mu;  // taken under a shard's lock, never the other way round
    uint32_t count = 0;
  };
  bool HasRoom(const Shard& s) const;
  void Grew(Shard& s);
  void Shrank(Shard& s);
  void SetCount(Shard& s, uint32_t after);  // after bulk removals: count and over_
  uint64_t Total() const;
  Entry* TableOf(uint32_t shard) const;
  static void Lock(const Shard& s);
  static void Unlock(const Shard& s) { s.locked.store(false, std::memory_order_release); }
  // Add and Remove beyond their common case: *Locked with the shard's lock held (they release it),
  // *Waiting when the lock was busy.
  AddResult AddLocked(Shard& s, uint64_t id, uint64_t h, const LiveCall& call);
  AddResult AddWaiting(Shard& s, uint64_t id, uint64_t h, const LiveCall& call);
  bool RemoveLocked(Shard& s, uint64_t id, uint64_t h, LiveCall* out);
  bool RemoveWaiting(Shard& s, uint64_t id, uint64_t h, LiveCall* out);
  bool SpillHas(uint64_t id, uint64_t h) const;
  AddResult SpillAdd(Shard& s, uint64_t id, uint64_t h, const LiveCall& call);
  bool SpillRemove(Shard& s, uint64_t id, uint64_t h, LiveCall* out);

  uint32_t capacity_;
  uint32_t fair_share_;   // capacity / shards: a shard below it adds without looking at the others ...
  uint32_t remainder_;    // capacity - shards * fair_share_
  uint32_t shift_;        // log2 of a shard table's entries
  uint32_t home_shift_;   // mixed id >> home_shift_: shard << shift_ | home entry in the shard's table
  uint64_t mask_;         // a shard table's entries - 1
  uint32_t table_limit_;  // half a shard table
  uint32_t spill_limit_;  // the capacity: the spill table is at most half full
  uint64_t spill_mask_;
  uint32_t spill_shift_;  // mixed id >> spill_shift_ & spill_mask_: home entry in the spill table
  Entry* slab_;           // kShards tables, the spill table, the entry of call id 0
  Entry* spill_table_;
  Entry* zero_entry_;
  size_t bytes_;
  Shard shards_[kShards];
  // ... unless shards hold more than the remainder above their shares: calls above fair shares, summed.
  // Written only by adds and removes above a share (an uneven spread, a nearly full table).
  alignas(64) std::atomic<int64_t> over_{0};
  mutable Spill spill_;
};

}  // namespace tollguard::state

#endif  // TOLLGUARD_LIB_STATE_LIVE_CALLS_H_
