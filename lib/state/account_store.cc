#include "lib/state/account_store.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <new>

#include "lib/util/huge_pages.h"

namespace tollguard::state {

namespace {

// The record lock: test-and-test-and-set on AccountRecord::lock, with lib/util/spinlock.h's backoff. The spin is
// out of line so that the uncontended path (one exchange) needs no saved registers in Acquire.
[[gnu::noinline]] void LockRecordContended(AccountRecord* r) {
  for (SpinBackoff backoff;;) {
    while (__atomic_load_n(&r->lock, __ATOMIC_RELAXED) != 0) backoff.Pause();
    if (__atomic_exchange_n(&r->lock, 1u, __ATOMIC_ACQUIRE) == 0) return;
  }
}

inline void LockRecord(AccountRecord* r) {
  if (__atomic_exchange_n(&r->lock, 1u, __ATOMIC_ACQUIRE) != 0) LockRecordContended(r);
}

void UnlockRecord(AccountRecord* r) { __atomic_store_n(&r->lock, 0u, __ATOMIC_RELEASE); }

// A lock-free candidate for k is held by another thread: waits for it, then confirms it is k's record.
// Returns it locked, or null with nothing held.
[[gnu::noinline]] AccountRecord* LockAndConfirm(AccountRecord* rec, const AccountKey& k) {
  LockRecordContended(rec);
  if (rec->key == k.key && rec->key_check == k.check) return rec;
  UnlockRecord(rec);
  return nullptr;
}

bool TryLockRecord(AccountRecord* r) {
  return __atomic_load_n(&r->lock, __ATOMIC_RELAXED) == 0 && __atomic_exchange_n(&r->lock, 1u, __ATOMIC_ACQUIRE) == 0;
}

// Copies every field but the lock word, which only the lock functions touch (and atomically): a plain
// whole-record assignment would unlock the destination or copy a "locked" word.
void CopyPayload(AccountRecord* dst, const AccountRecord& src) {
  constexpr size_t kLock = offsetof(AccountRecord, lock);
  constexpr size_t kTail = kLock + sizeof(src.lock);
  char* d = reinterpret_cast<char*>(dst);
  const char* s = reinterpret_cast<const char*>(&src);
  std::memcpy(d, s, kLock);
  std::memcpy(d + kTail, s + kTail, sizeof(AccountRecord) - kTail);
}

// Makes *rec a fresh record of k. REQUIRES: rec's lock and its shard's lock held.
void InitRecord(AccountRecord* rec, const AccountKey& k, int64_t now_ms) {
  AccountRecord fresh;
  fresh.key = k.key;
  fresh.key_check = k.check;
  fresh.first_seen_ms = fresh.last_seen_ms = fresh.rate_t_ms = fresh.spend_t_ms = now_ms;
  CopyPayload(rec, fresh);
}

}  // namespace

void PrefetchRecord(const AccountRecord* rec) {
  const char* p = reinterpret_cast<const char*>(rec);
  for (size_t off = 0; off < sizeof(AccountRecord); off += 64) __builtin_prefetch(p + off, 1, 3);
  __builtin_prefetch(p + sizeof(AccountRecord) - 1, 1, 3);  // the last line, when the record straddles one more
}

// Without the shard lock: the slot of the first entry with key's tag within `probes` positions of its
// home in the index `entries` (mask + 1 entries), or -1. A candidate only: a racing insert or
// backward-shift delete may show a stale entry or hide the right one, but every entry names a slot inside
// the shard. Entries are written with relaxed atomic stores for this reader; the caller confirms the key
// under the record's lock (or uses it as a hint).
int64_t PeekEntries(const uint64_t* entries, size_t mask, uint64_t key, int probes) {
  const uint32_t tag = static_cast<uint32_t>(key);
  size_t i = tag & mask;
  for (int probe = 0; probe < probes; ++probe, i = (i + 1) & mask) {
    const uint64_t e = __atomic_load_n(&entries[i], __ATOMIC_RELAXED);
    if (e == 0) return -1;
    if ((e >> 32) == tag) return static_cast<int64_t>(static_cast<uint32_t>(e) - 1);
  }
  return -1;
}

// The index of a shard: open addressing with linear probing over 8-byte entries, (low 32 bits of the key)
// << 32 | (slot + 1), 0 = empty; the home position comes from the same 32 bits, so an entry can be moved
// without its record. At most 2/3 full. A lookup reads one index line and the record it points to (whose
// full key confirms the match) -- against three lines for a flat_hash_map<uint64_t, uint32_t>.
// Deletion shifts the following entries back (no tombstones).
class AccountIndex {
 public:
  // Entries for max_entries keys: the power of two at least 1.5 times as many (at most 2/3 full when the
  // shard is full; 8 entries share a line, so even a miss reads about one line). Twice as many cost 32
  // bytes per account at 1.1M accounts (a full extra power of two) for no measurable gain.
  static size_t SizeFor(uint32_t max_entries) {
    size_t n = 16;
    while (n < static_cast<size_t>(max_entries) + max_entries / 2 + 1) n <<= 1;
    return n;
  }
  // `zeroed` holds SizeFor(max_entries) zero entries (the store's index region).
  void Init(uint64_t* zeroed, size_t n) {
    entries_ = zeroed;
    size_ = n;
    mask_ = n - 1;
    count_ = 0;
  }
  // Position of key's entry, or -1. `slots` confirms the full key. The candidate record's cache lines are
  // all requested before its key is compared, so the record arrives in one round trip, not one per line.
  int64_t Find(uint64_t key, const AccountRecord* slots) const {
    const uint32_t tag = static_cast<uint32_t>(key);
    for (size_t i = tag & mask_;; i = (i + 1) & mask_) {
      const uint64_t e = entries_[i];
      if (e == 0) return -1;
      if ((e >> 32) != tag) continue;
      const AccountRecord* rec = &slots[static_cast<uint32_t>(e) - 1];
      PrefetchRecord(rec);
      if (rec->key == key) return static_cast<int64_t>(i);
    }
  }
  uint32_t SlotAt(int64_t pos) const { return static_cast<uint32_t>(entries_[static_cast<size_t>(pos)]) - 1; }
  void Insert(uint64_t key, uint32_t slot) {
    const uint32_t tag = static_cast<uint32_t>(key);
    size_t i = tag & mask_;
    while (entries_[i] != 0) i = (i + 1) & mask_;
    Store(i, (static_cast<uint64_t>(tag) << 32) | (static_cast<uint64_t>(slot) + 1));
    ++count_;
  }
  void Erase(int64_t pos) {
    size_t hole = static_cast<size_t>(pos);
    for (size_t j = (hole + 1) & mask_;; j = (j + 1) & mask_) {
      const uint64_t e = entries_[j];
      if (e == 0) break;
      const size_t home = static_cast<uint32_t>(e >> 32) & mask_;
      // The entry may fill the hole unless its home lies cyclically in (hole, j].
      if (((j - home) & mask_) >= ((j - hole) & mask_)) {
        Store(hole, e);
        hole = j;
      }
    }
    Store(hole, 0);
    --count_;
  }
  void Clear() {
    for (size_t i = 0; i < size_; ++i) Store(i, 0);
    count_ = 0;
  }
  template <typename Fn>
  void ForEachSlot(Fn&& fn) const {
    for (size_t i = 0; i < size_; ++i) {
      const uint64_t e = entries_[i];
      if (e != 0) fn(static_cast<uint32_t>(e) - 1);
    }
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  size_t memory_bytes() const { return size_ * sizeof(uint64_t); }

 private:
  void Store(size_t i, uint64_t e) { __atomic_store_n(&entries_[i], e, __ATOMIC_RELAXED); }

  uint64_t* entries_ = nullptr;  // size_ entries in the store's index region
  size_t size_ = 0;
  size_t mask_ = 0;
  size_t count_ = 0;
};

struct AccountStore::Shard {
  mutable Spinlock mu;
  AccountIndex index;              // key -> slot within this shard
  AccountRecord* slots = nullptr;  // per_shard_ records inside the slab
  uint32_t used = 0;               // slots handed out so far (never shrinks)
  std::vector<uint32_t> free;      // slots freed by Clear
  uint32_t hand = 0;               // clock hand for eviction
  uint32_t free_cursor = 0;        // preallocated: where FreeSlotNear's scan for a free slot resumes
};

AccountKey HashAccount(std::string_view name) {
  // Two independent hashes: abseil's (seeded per process? no: absl::Hash is not stable across processes,
  // so a fixed FNV-1a/Murmur mix is used, the keys are persisted in state snapshots).
  uint64_t h = 1469598103934665603ull;
  uint32_t c = 2166136261u;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(name.data());
  size_t i = 0;
#pragma GCC unroll 4
  for (; i < name.size(); ++i) {  // unrolled: the loop's own compare and branch were a third of the cost
    h = (h ^ p[i]) * 1099511628211ull;
    c = (c ^ p[i]) * 16777619u;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  if (h == 0) h = 1;  // 0 marks a free slot
  c ^= static_cast<uint32_t>(name.size());
  c ^= c >> 16;
  c *= 0x85ebca6bu;
  c ^= c >> 13;
  return {h, c};
}

void AccountStore::Prefetch(uint64_t key) const {
  const size_t shard = (key >> 40) & shard_mask_;
  const size_t mask = (size_t{1} << index_shift_) - 1;
  __builtin_prefetch(index_base_ + (shard << index_shift_) + (static_cast<uint32_t>(key) & mask), 0, 3);
  if (preallocated_) state::PrefetchRecord(HomeRecord(key));  // where the record most likely is
}

AccountRecord* AccountStore::HomeRecord(uint64_t key) const {
  const size_t shard = (key >> 40) & shard_mask_;
  return slots_ + shard * per_shard_ + HomeSlot(key);
}

uint32_t AccountStore::HomeSlot(uint64_t key) const {
  return static_cast<uint32_t>((((key >> 8) & 0xffffffffull) * per_shard_) >> 32);
}

uint32_t AccountStore::FreeSlotNear(Shard* s, uint32_t home) {
  uint32_t p = home;
  for (int i = 0; i < 16; ++i) {  // near home: a later account may find its own home free
    if (s->slots[p].key == 0) return p;
    if (++p == per_shard_) p = 0;
  }
  for (;;) {  // a cursor over the shard: amortized, each occupied slot is passed once per lap
    p = s->free_cursor;
    if (++s->free_cursor == per_shard_) s->free_cursor = 0;
    if (s->slots[p].key == 0) return p;
  }
}

AccountRecord* AccountStore::Candidate(uint64_t key, int probes) const {
  const size_t shard = (key >> 40) & shard_mask_;
  const int64_t slot =
      PeekEntries(index_base_ + (shard << index_shift_), (size_t{1} << index_shift_) - 1, key, probes);
  return slot < 0 ? nullptr : slots_ + shard * per_shard_ + static_cast<size_t>(slot);
}

// A stale entry fetches the wrong lines: a hint only.
void AccountStore::PrefetchRecord(uint64_t key) const {
  if (const AccountRecord* rec = Candidate(key, 4)) state::PrefetchRecord(rec);
}

namespace {

// How a store of max_accounts is laid out: shards (a power of two, at most 256), records per shard, index
// entries per shard.
struct Geometry {
  uint32_t shards = 1, per_shard = 0;
  size_t index_n = 0;
  explicit Geometry(uint32_t max_accounts) {
    const uint32_t capacity = std::max<uint32_t>(max_accounts, 1);
    while (shards < 256 && shards * 64 < capacity) shards <<= 1;
    per_shard = (capacity + shards - 1) / shards;
    index_n = AccountIndex::SizeFor(per_shard);
  }
  size_t slab_bytes() const { return static_cast<size_t>(per_shard) * shards * sizeof(AccountRecord); }
  size_t index_bytes() const { return index_n * shards * sizeof(uint64_t); }
};

}  // namespace

size_t AccountStore::CommittedBytes(uint32_t max_accounts, bool preallocate) {
  const Geometry g(max_accounts);
  return g.index_bytes() + (preallocate ? g.slab_bytes() : 0);
}

AccountStore::AccountStore(uint32_t max_accounts, bool preallocate) {
  const Geometry g(max_accounts);
  capacity_ = std::max<uint32_t>(max_accounts, 1);
  const uint32_t shards = g.shards;
  shard_mask_ = shards - 1;
  per_shard_ = g.per_shard;
  slab_bytes_ = g.slab_bytes();
  if (preallocate) {
    // On huge pages, and written once now: a decision must never be the one that faults in (and zeroes)
    // a 2 MiB page (docs/RELIABILITY.md F10).
    slab_ = MapHuge(slab_bytes_);
    if (slab_ == nullptr) throw std::bad_alloc();
    std::memset(slab_, 0, slab_bytes_);
    preallocated_ = true;
  } else {
    slab_ = mmap(nullptr, slab_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (slab_ == MAP_FAILED) throw std::bad_alloc();
  }
  // All shards' indexes in one region on huge pages: a lookup reads one random index line, and with 4 KiB
  // pages it also paid a page walk for it.
  const size_t index_n = g.index_n;
  index_bytes_ = g.index_bytes();
  uint64_t* const index_mem = static_cast<uint64_t*>(MapHuge(index_bytes_));
  if (index_mem == nullptr) {
    FreeSlab();
    throw std::bad_alloc();
  }
  // Fault the whole index in now, at creation: a decision must never be the first to touch a page (a
  // huge-page fault zeroes 2 MiB and may compact memory first: milliseconds, seen in the cluster test).
  std::memset(index_mem, 0, index_bytes_);
  index_base_ = index_mem;
  while ((size_t{1} << index_shift_) < index_n) ++index_shift_;  // SizeFor gives a power of two
  slots_ = static_cast<AccountRecord*>(slab_);
  shards_.reserve(shards);
  for (uint32_t i = 0; i < shards; ++i) {
    auto s = std::make_unique<Shard>();
    s->slots = static_cast<AccountRecord*>(slab_) + static_cast<size_t>(i) * per_shard_;
    s->index.Init(index_mem + static_cast<size_t>(i) * index_n, index_n);
    if (preallocated_) {
      s->used = per_shard_;  // every slot is available; free ones have key 0 (Insert, ForEach, eviction)
    } else {
      s->free.reserve(per_shard_);
    }
    shards_.push_back(std::move(s));
  }
}

void AccountStore::FreeSlab() {
  if (preallocated_) {
    UnmapHuge(slab_, slab_bytes_);
  } else {
    munmap(slab_, slab_bytes_);
  }
}

AccountStore::~AccountStore() {
  FreeSlab();
  UnmapHuge(index_base_, index_bytes_);
}

AccountRecord* AccountStore::Insert(Shard* s, const AccountKey& k, int64_t now_ms) {
  uint32_t slot;
  // The cap is on the whole store: a shard with free slots still evicts when the store is full (unless
  // it holds nothing to evict; then the store exceeds its cap by at most one account per shard).
  const bool store_full = size_.load(std::memory_order_relaxed) >= capacity_ && !s->index.empty();
  if (preallocated_ && !store_full && s->index.size() < per_shard_) {
    // Records by hash: at the account's home slot when it is free, else at a free one nearby. A decision
    // requests the home record's lines with the index line and, when the record is there, confirms it
    // without waiting for the index (LockExisting): one memory round trip instead of two.
    slot = FreeSlotNear(s, HomeSlot(k.key));
    LockRecord(&s->slots[slot]);  // a stale peek or a home check may hold it for a moment
  } else if (!store_full && !s->free.empty()) {
    slot = s->free.back();
    s->free.pop_back();
    LockRecord(&s->slots[slot]);  // a stale index peek may hold it for a moment
  } else if (!store_full && s->used < per_shard_) {
    slot = s->used++;
    LockRecord(&s->slots[slot]);
  } else {
    // Full: look at the next few slots on the clock and evict the least recently seen, preferring
    // accounts without live calls. Keys are stable under the shard lock; the other fields are read under
    // a try-lock, and a record locked at this instant is skipped (it is being decided for right now).
    const uint32_t span = s->used;  // slots in use (some may be free after Clear: key 0, never chosen first)
    const uint32_t scan = std::min<uint32_t>(span, 8);
    AccountRecord* best = nullptr;  // kept locked (try-locks only: this never waits holding two records)
    int64_t best_seen = std::numeric_limits<int64_t>::max();
    bool best_live = true;
    for (uint32_t i = 0; i < scan; ++i) {
      AccountRecord* r = &s->slots[(s->hand + i) % span];
      if (r->key == 0 || !TryLockRecord(r)) continue;
      const bool live = r->live > 0;
      if (best == nullptr || (best_live && !live) || (live == best_live && r->last_seen_ms < best_seen)) {
        if (best != nullptr) UnlockRecord(best);
        best = r;
        best_seen = r->last_seen_ms;
        best_live = live;
      } else {
        UnlockRecord(r);
      }
    }
    s->hand = (s->hand + scan) % span;
    if (best == nullptr) {  // every candidate free or busy: wait for the first account of the shard
      for (uint32_t c = 0; c < span; ++c) {
        if (s->slots[c].key != 0) {
          best = &s->slots[c];
          LockRecord(best);  // its holder needs nothing this thread holds
          break;
        }
      }
    }
    slot = static_cast<uint32_t>(best - s->slots);
    const int64_t victim = s->index.Find(s->slots[slot].key, s->slots);
    if (victim >= 0) {
      s->index.Erase(victim);
      size_.fetch_sub(1, std::memory_order_relaxed);
      evicted_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  AccountRecord* rec = &s->slots[slot];
  InitRecord(rec, k, now_ms);
  s->index.Insert(k.key, slot);  // published only once the record is initialized (and still locked)
  size_.fetch_add(1, std::memory_order_relaxed);
  return rec;
}

AccountRecord* AccountStore::LockExisting(const AccountKey& k) const {
  // No shard lock: a concurrent shift may move the entry, so the probes are bounded and a miss is never
  // trusted; a match under the record lock is (keys change only under that lock). Every call out of it
  // is a tail call, so it saves no registers.
  if (preallocated_) {
    // The home slot first, without the index: a match under its lock is the account's record (one record
    // per key). Busy or another account's: the index, as below.
    AccountRecord* home = HomeRecord(k.key);
    if (TryLockRecord(home)) {
      if (home->key == k.key && home->key_check == k.check) return home;
      UnlockRecord(home);
    }
  }
  AccountRecord* rec = Candidate(k.key, 16);
  if (rec == nullptr) return nullptr;
  state::PrefetchRecord(rec);  // all its lines in one round trip
  if (__atomic_exchange_n(&rec->lock, 1u, __ATOMIC_ACQUIRE) != 0) return LockAndConfirm(rec, k);
  if (rec->key == k.key && rec->key_check == k.check) return rec;
  UnlockRecord(rec);  // before the shard lock: the order is shard, then record
  return nullptr;
}

AccountStore::Handle AccountStore::AcquireLocked(const AccountKey& k, int64_t now_ms, bool create) {
  Shard* s = ShardFor(k.key);
  for (;;) {
    AccountRecord* rec = nullptr;
    bool created = false;
    s->mu.lock();
    const int64_t pos = s->index.Find(k.key, s->slots);
    if (pos >= 0) {
      rec = &s->slots[s->index.SlotAt(pos)];
      if (!TryLockRecord(rec)) {
        // Held by a decision (typically one that has just created it): wait without the shard lock, so
        // the shard's other accounts stay available, then confirm as the fast path does.
        s->mu.unlock();
        if (LockAndConfirm(rec, k) != nullptr) return Handle(rec, false);
        continue;  // evicted, cleared or taken over meanwhile: look again
      }
      if (rec->key_check != k.check) {
        if (create) {  // a 64-bit collision between two names: the newer name takes the slot over
          InitRecord(rec, k, now_ms);
          created = true;
        } else {
          UnlockRecord(rec);
          rec = nullptr;
        }
      }
    } else if (create) {
      rec = Insert(s, k, now_ms);
      created = true;
    }
    s->mu.unlock();
    return Handle(rec, created);
  }
}

void AccountStore::ForEach(const std::function<void(const AccountRecord&)>& fn) const {
  // Walks the slab, not the index (records never move in the slab; the index shifts entries), one
  // record lock at a time, so a routing thread waits at most for one 464-byte copy.
  AccountRecord copy;  // lock word stays 0: CopyPayload leaves it out
  for (const auto& s : shards_) {
    s->mu.lock();
    const uint32_t used = s->used;
    s->mu.unlock();
    for (uint32_t slot = 0; slot < used; ++slot) {
      AccountRecord* r = &s->slots[slot];
      LockRecord(r);
      const bool present = r->key != 0;
      if (present) CopyPayload(&copy, *r);
      UnlockRecord(r);
      if (present) fn(copy);
    }
  }
}

bool AccountStore::Restore(const AccountRecord& rec) {
  if (rec.key == 0) return false;
  Shard* s = ShardFor(rec.key);
  s->mu.lock();
  AccountRecord* dst = nullptr;
  const int64_t pos = s->index.Find(rec.key, s->slots);
  if (pos >= 0) {
    dst = &s->slots[s->index.SlotAt(pos)];
    LockRecord(dst);
  } else if (s->index.size() < per_shard_) {  // a free slot in the shard: restoring never evicts
    dst = Insert(s, {rec.key, rec.key_check}, rec.last_seen_ms);
  }
  if (dst != nullptr) {
    AccountRecord r = rec;  // its lock word is ignored: CopyPayload leaves dst's (held) lock alone
    r.binding_version = 0;  // bind again under this process's policy
    r.live = 0;  // live calls are restored separately
    r.live_intl = 0;
    r.live_rate_per_s = 0;
    r.live_rate_start = 0;
    CopyPayload(dst, r);
    UnlockRecord(dst);
  }
  s->mu.unlock();
  return dst != nullptr;
}

void AccountStore::Clear() {
  const AccountRecord empty{};
  for (auto& s : shards_) {
    s->mu.lock();
    s->index.ForEachSlot([&](uint32_t slot) {
      AccountRecord* r = &s->slots[slot];
      LockRecord(r);  // waits for a Handle on it
      CopyPayload(r, empty);
      UnlockRecord(r);
      if (!preallocated_) s->free.push_back(slot);  // preallocated, a free slot is one with key 0
    });
    size_.fetch_sub(s->index.size(), std::memory_order_relaxed);
    s->index.Clear();
    s->mu.unlock();
  }
}

size_t AccountStore::memory_bytes() const {
  size_t records = 0, index = 0;
  for (const auto& s : shards_) {
    s->mu.lock();
    records += static_cast<size_t>(s->used) * sizeof(AccountRecord);
    index += s->index.memory_bytes();
    s->mu.unlock();
  }
  return (preallocated_ ? slab_bytes_ : records) + index;  // preallocated: every record is resident
}

}  // namespace tollguard::state
