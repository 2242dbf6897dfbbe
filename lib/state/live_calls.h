// Calls begun and not yet ended, by the caller's call id: what tg_call_end needs to release concurrency,
// book spend at the call's rate and teach the account's history. Sharded, bounded, preallocated.
// Thread-safety: any number of threads; each shard has its own lock, held for a map operation only. No
// counter is shared between shards (a shared atomic size cost 2-thread throughput 1.86x -> 1.42x).
#ifndef TOLLGUARD_LIB_STATE_LIVE_CALLS_H_
#define TOLLGUARD_LIB_STATE_LIVE_CALLS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
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
  uint8_t learn = 0;            // 1: the decision allows learning from this call
  uint8_t reserved = 0;
  int32_t max_duration_s = 0;
  uint64_t tenant_key = 0;      // the tenant's record, which learns too; 0: none
  uint32_t tenant_check = 0;
};

class LiveCalls {
 public:
  explicit LiveCalls(uint32_t capacity);
  ~LiveCalls();

  enum class AddResult { kAdded, kDuplicate, kFull };
  AddResult Add(uint64_t call_id, const LiveCall& call);
  // Removes and returns the call; false when the id is not live.
  bool Remove(uint64_t call_id, LiveCall* out);
  // Removes calls that started before cutoff_ms (their end never came); calls fn for each.
  size_t ExpireBefore(int64_t cutoff_ms, const std::function<void(uint64_t, const LiveCall&)>& fn);
  void ForEach(const std::function<void(uint64_t, const LiveCall&)>& fn) const;

  uint64_t size() const;  // the sum of the shards' counts
  uint32_t capacity() const { return capacity_; }

 private:
  struct alignas(64) Shard {  // a cache line of its own: shards are written by different threads
    mutable Spinlock mu;
    std::atomic<uint32_t> count{0};  // calls.size(), written under mu, read by any thread (the cap, size())
    absl::flat_hash_map<uint64_t, LiveCall> calls;
  };
  uint64_t Total() const;
  void SetCount(Shard& s);  // after removals under s.mu: count and over_
  Shard& ShardFor(uint64_t id) const;
  uint32_t capacity_;
  uint32_t fair_share_;  // capacity / shards: a shard below it adds without looking at the others ...
  uint32_t remainder_;   // capacity - shards * fair_share_
  std::vector<std::unique_ptr<Shard>> shards_;
  // ... unless shards hold more than the remainder above their shares: calls above fair shares, summed.
  // Written only by adds and removes above a share (an uneven spread, a nearly full table).
  alignas(64) std::atomic<int64_t> over_{0};
};

}  // namespace tollguard::state

#endif  // TOLLGUARD_LIB_STATE_LIVE_CALLS_H_
