// The account store: a fixed number of shards, each with its own lock, index and preallocated slots.
// Bounded: at most max_accounts records; creating one in a full shard evicts the least recently seen of a
// few candidates (a clock hand), preferring accounts without live calls. Memory is reserved up front with
// mmap and becomes resident only as accounts arrive, so an idle engine stays small; preallocated
// (limits.preallocate_accounts), every record is resident from construction, on huge pages, and placed by
// hash so that a decision can find it without the index.
// Thread-safety: any number of threads; a Handle holds only its record's own lock word until destroyed.
//
// Locks: each record has a spinlock word inside it (AccountRecord::lock); each shard has a spinlock over
// its index, slot allocation and clock hand. Acquire of an existing account takes no shard lock: it peeks
// at the index (relaxed atomic entries), locks the candidate record and confirms key and check under that
// lock. A record's key and check change only with both its shard's lock and its own lock held, so a
// match under the record lock proves the record is the account's and a shard-locked reader may read them.
// Order: shard lock, then record lock; never the reverse (a fast path that fails unlocks the record
// before it takes the shard lock). REQUIRES of every caller: a thread holds at most one Handle and calls
// no other AccountStore function while it does (the engine releases the account before the tenant), so
// a thread waiting for a record under a shard lock always waits for a holder that needs nothing it has.
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
  // preallocate: commit every record's memory now, on transparent huge pages where the system allows
  // (a cold record then costs no page walk of 4 KiB pages; max_accounts x 464 bytes resident from the
  // start). Otherwise records become resident as accounts arrive, and an idle engine stays small.
  explicit AccountStore(uint32_t max_accounts, bool preallocate = false);
  // The bytes such a store makes resident when it is constructed: its index (16-32 per account) and,
  // preallocated, every record. The engine refuses a capacity whose store would not fit in memory.
  static size_t CommittedBytes(uint32_t max_accounts, bool preallocate);
  ~AccountStore();
  AccountStore(const AccountStore&) = delete;
  AccountStore& operator=(const AccountStore&) = delete;

  struct Shard;
  // A locked record. record() is null when the account does not exist and was not created (then nothing
  // is held).
  class Handle {
   public:
    Handle(Handle&& o) noexcept : rec_(o.rec_), created_(o.created_) { o.rec_ = nullptr; }
    Handle(const Handle&) = delete;
    ~Handle() { Release(); }
    // Unlocks now; record() becomes null.
    void Release() {
      if (rec_) __atomic_store_n(&rec_->lock, 0u, __ATOMIC_RELEASE);
      rec_ = nullptr;
    }
    AccountRecord* record() const { return rec_; }
    bool created() const { return created_; }

   private:
    friend class AccountStore;
    Handle(AccountRecord* rec, bool created) : rec_(rec), created_(created) {}
    AccountRecord* rec_;
    bool created_;
  };

  // Finds the account's record and locks it; with create, makes one (evicting if the shard is full).
  // An existing account costs no shard lock; a missing one, a create or a collision takes it.
  // REQUIRES: k.key != 0 (HashAccount never returns 0); the thread holds no other Handle.
  // Thread-safety: any thread. Allocates: never (slots and index are reserved at construction).
  Handle Acquire(const AccountKey& k, int64_t now_ms, bool create) {
    if (AccountRecord* rec = LockExisting(k)) return Handle(rec, false);
    return AcquireLocked(k, now_ms, create);
  }

  // Starts loading the index line that Acquire(key) will read: a hint, without lock or effect, so that the
  // memory access overlaps with the work done before Acquire (normalizing, the prefix lookup).
  void Prefetch(uint64_t key) const;
  // The second step, once the index line has had time to arrive: requests the account's record lines
  // (lock-free peek at the index; a hint without effect).
  void PrefetchRecord(uint64_t key) const;

  // Calls fn with a copy of every record, each taken under the record's lock (for snapshots); the copy's
  // lock word is 0. fn runs with no lock held. A record replaced during the walk is seen in one state.
  void ForEach(const std::function<void(const AccountRecord&)>& fn) const;
  // Inserts a record read from a snapshot (replacing one with the same key). False when it does not fit.
  bool Restore(const AccountRecord& rec);
  // Drops every record.
  void Clear();

  uint32_t capacity() const { return capacity_; }
  uint64_t size() const { return size_.load(std::memory_order_relaxed); }
  uint64_t evicted() const { return evicted_.load(std::memory_order_relaxed); }
  size_t memory_bytes() const;  // resident estimate: used (or, preallocated, all) records + indexes

 private:
  Shard* ShardFor(uint64_t key) const { return shards_[(key >> 40) & shard_mask_].get(); }
  // The record key's index entry names, without lock and without reading a Shard object (a hint, or a
  // candidate to confirm under its lock), or null: `probes` index positions from its home.
  AccountRecord* Candidate(uint64_t key, int probes) const;
  // Acquire's fast path, without the shard lock: k's record, locked, or null (not seen by a short probe of
  // the index, or the candidate is another account's; then nothing is held).
  AccountRecord* LockExisting(const AccountKey& k) const;
  // Preallocated stores place records by hash: the slot an account's record takes when it is free.
  uint32_t HomeSlot(uint64_t key) const;
  AccountRecord* HomeRecord(uint64_t key) const;
  // REQUIRES: s->mu held, a free slot (key 0) in the shard. The first free one from home.
  uint32_t FreeSlotNear(Shard* s, uint32_t home);
  // Acquire's slow path, through the shard lock: find, create, take over a collision.
  Handle AcquireLocked(const AccountKey& k, int64_t now_ms, bool create);
  // REQUIRES: s->mu held, k not in the index. Returns the new record, locked.
  AccountRecord* Insert(Shard* s, const AccountKey& k, int64_t now_ms);

  uint32_t capacity_;
  uint32_t shard_mask_;
  uint32_t per_shard_;
  // What a decision's fast path needs to address an index line and a record, here rather than behind the
  // Shard pointers: under host cache pressure every pointer followed is a cache miss before the index's
  // own. Shard i's index is index_base_[i << index_shift_ ...], its records slots_[i * per_shard_ ...].
  uint32_t index_shift_ = 0;
  uint64_t* index_base_ = nullptr;
  AccountRecord* slots_ = nullptr;
  std::vector<std::unique_ptr<Shard>> shards_;
  void FreeSlab();

  void* slab_ = nullptr;  // capacity records: mmap (4 KiB pages, lazily resident) or MapHuge (preallocated)
  size_t slab_bytes_ = 0;
  bool preallocated_ = false;
  size_t index_bytes_ = 0;  // every shard's index at index_base_ (MapHuge)
  std::atomic<uint64_t> size_{0};
  std::atomic<uint64_t> evicted_{0};
};

}  // namespace tollguard::state

#endif  // TOLLGUARD_LIB_STATE_ACCOUNT_STORE_H_
