// The account store: a fixed number of shards, each with its own lock, index and preallocated slots.
// Bounded: at most max_accounts records; creating one in a full shard evicts the least recently seen of a
// few candidates (a clock hand), preferring accounts without live calls. Memory is reserved up front with
// mmap and becomes resident only as accounts arrive, so an idle engine stays small.
// Thread-safety: any number of threads; a Handle holds its shard's lock until destroyed.
#ifndef TOLLGUARD_LIB_STATE_ACCOUNT_STORE_H_
#define TOLLGUARD_LIB_STATE_ACCOUNT_STORE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "lib/state/account.h"
#include "lib/util/spinlock.h"

namespace tollguard::state {

// Hashes of an account name: the 64-bit key and an independent 32-bit check.
struct AccountKey {
  uint64_t key;
  uint32_t check;
};
AccountKey HashAccount(std::string_view name);

class AccountStore {
 public:
  explicit AccountStore(uint32_t max_accounts);
  ~AccountStore();
  AccountStore(const AccountStore&) = delete;
  AccountStore& operator=(const AccountStore&) = delete;

  struct Shard;
  // A locked record. record() is null when the account does not exist and was not created.
  class Handle {
   public:
    Handle(Shard* shard, AccountRecord* rec, bool created) : shard_(shard), rec_(rec), created_(created) {}
    Handle(Handle&& o) noexcept : shard_(o.shard_), rec_(o.rec_), created_(o.created_) { o.shard_ = nullptr; }
    Handle(const Handle&) = delete;
    ~Handle();
    // Unlocks now; record() becomes null.
    void Release();
    AccountRecord* record() const { return rec_; }
    bool created() const { return created_; }

   private:
    Shard* shard_;
    AccountRecord* rec_;
    bool created_;
  };

  // Locks the account's shard and finds its record; with create, makes one (evicting if the shard is full).
  // No allocation: slots and index are reserved at construction.
  Handle Acquire(const AccountKey& k, int64_t now_ms, bool create);

  // Starts loading the index line that Acquire(key) will read: a hint, without lock or effect, so that the
  // memory access overlaps with the work done before Acquire (normalizing, the prefix lookup).
  void Prefetch(uint64_t key) const;
  // The second step, once the index line has had time to arrive: requests the account's record lines
  // (lock-free peek at the index; a hint without effect).
  void PrefetchRecord(uint64_t key) const;

  // Calls fn for every record, one shard locked at a time (for snapshots).
  void ForEach(const std::function<void(const AccountRecord&)>& fn) const;
  // Inserts a record read from a snapshot (replacing one with the same key). False when it does not fit.
  bool Restore(const AccountRecord& rec);
  // Drops every record.
  void Clear();

  uint32_t capacity() const { return capacity_; }
  uint64_t size() const { return size_.load(std::memory_order_relaxed); }
  uint64_t evicted() const { return evicted_.load(std::memory_order_relaxed); }
  size_t memory_bytes() const;  // resident estimate: used records + indexes

 private:
  Shard* ShardFor(uint64_t key) const { return shards_[(key >> 40) & shard_mask_].get(); }
  AccountRecord* Insert(Shard* s, const AccountKey& k, int64_t now_ms);

  uint32_t capacity_;
  uint32_t shard_mask_;
  uint32_t per_shard_;
  std::vector<std::unique_ptr<Shard>> shards_;
  void* slab_ = nullptr;  // mmap of capacity records
  size_t slab_bytes_ = 0;
  std::atomic<uint64_t> size_{0};
  std::atomic<uint64_t> evicted_{0};
};

}  // namespace tollguard::state

#endif  // TOLLGUARD_LIB_STATE_ACCOUNT_STORE_H_
