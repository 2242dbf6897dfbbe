#include "lib/state/account_store.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>


namespace tollguard::state {

void PrefetchRecord(const AccountRecord* rec) {
  const char* p = reinterpret_cast<const char*>(rec);
  for (size_t off = 0; off < sizeof(AccountRecord); off += 64) __builtin_prefetch(p + off, 1, 3);
  __builtin_prefetch(p + sizeof(AccountRecord) - 1, 1, 3);  // the last line, when the record straddles one more
}

// The index of a shard: open addressing with linear probing over 8-byte entries, (low 32 bits of the key)
// << 32 | (slot + 1), 0 = empty; the home position comes from the same 32 bits, so an entry can be moved
// without its record. At most half full. A lookup reads one index line and the record it points to (whose
// full key confirms the match) -- against three lines for a flat_hash_map<uint64_t, uint32_t>.
// Deletion shifts the following entries back (no tombstones).
class AccountIndex {
 public:
  void Init(uint32_t max_entries) {
    size_t n = 16;
    while (n < 2 * static_cast<size_t>(max_entries)) n <<= 1;
    mask_ = n - 1;
    entries_.assign(n, 0);
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
  // The index line that Find(key) reads first.
  const void* HomeAddress(uint64_t key) const { return &entries_[static_cast<uint32_t>(key) & mask_]; }
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
    for (size_t i = 0; i < entries_.size(); ++i) Store(i, 0);
    count_ = 0;
  }
  // Without the shard lock: requests the lines of the record key's entry points to, if one is found
  // within a few probes. A hint only -- a racing writer may make it fetch the wrong record, never an
  // address outside the slab. Entries are written with relaxed atomic stores for this reader.
  void PrefetchRecordOf(uint64_t key, const AccountRecord* slots) const {
    const uint32_t tag = static_cast<uint32_t>(key);
    size_t i = tag & mask_;
    for (int probe = 0; probe < 4; ++probe, i = (i + 1) & mask_) {
      const uint64_t e = __atomic_load_n(&entries_[i], __ATOMIC_RELAXED);
      if (e == 0) return;
      if ((e >> 32) == tag) {
        PrefetchRecord(&slots[static_cast<uint32_t>(e) - 1]);
        return;
      }
    }
  }
  template <typename Fn>
  void ForEachSlot(Fn&& fn) const {
    for (uint64_t e : entries_) {
      if (e != 0) fn(static_cast<uint32_t>(e) - 1);
    }
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  size_t memory_bytes() const { return entries_.size() * sizeof(uint64_t); }

 private:
  void Store(size_t i, uint64_t e) { __atomic_store_n(&entries_[i], e, __ATOMIC_RELAXED); }

  std::vector<uint64_t> entries_;
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
};

AccountKey HashAccount(std::string_view name) {
  // Two independent hashes: abseil's (seeded per process? no: absl::Hash is not stable across processes,
  // so a fixed FNV-1a/Murmur mix is used, the keys are persisted in state snapshots).
  uint64_t h = 1469598103934665603ull;
  uint32_t c = 2166136261u;
  for (unsigned char ch : name) {
    h = (h ^ ch) * 1099511628211ull;
    c = (c ^ ch) * 16777619u;
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

void AccountStore::Prefetch(uint64_t key) const { __builtin_prefetch(ShardFor(key)->index.HomeAddress(key), 0, 3); }

void AccountStore::PrefetchRecord(uint64_t key) const {
  const Shard* s = ShardFor(key);
  s->index.PrefetchRecordOf(key, s->slots);
}

AccountStore::Handle::~Handle() { Release(); }

void AccountStore::Handle::Release() {
  if (shard_) shard_->mu.unlock();
  shard_ = nullptr;
  rec_ = nullptr;
}

AccountStore::AccountStore(uint32_t max_accounts) {
  capacity_ = std::max<uint32_t>(max_accounts, 1);
  uint32_t shards = 1;
  while (shards < 256 && shards * 64 < capacity_) shards <<= 1;
  shard_mask_ = shards - 1;
  per_shard_ = (capacity_ + shards - 1) / shards;
  slab_bytes_ = static_cast<size_t>(per_shard_) * shards * sizeof(AccountRecord);
  slab_ = mmap(nullptr, slab_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (slab_ == MAP_FAILED) throw std::bad_alloc();
  shards_.reserve(shards);
  for (uint32_t i = 0; i < shards; ++i) {
    auto s = std::make_unique<Shard>();
    s->slots = static_cast<AccountRecord*>(slab_) + static_cast<size_t>(i) * per_shard_;
    s->index.Init(per_shard_);
    s->free.reserve(per_shard_);
    shards_.push_back(std::move(s));
  }
}

AccountStore::~AccountStore() {
  if (slab_ && slab_ != MAP_FAILED) munmap(slab_, slab_bytes_);
}

AccountRecord* AccountStore::Insert(Shard* s, const AccountKey& k, int64_t now_ms) {
  uint32_t slot;
  // The cap is on the whole store: a shard with free slots still evicts when the store is full (unless
  // it holds nothing to evict; then the store exceeds its cap by at most one account per shard).
  const bool store_full = size_.load(std::memory_order_relaxed) >= capacity_ && !s->index.empty();
  if (!store_full && !s->free.empty()) {
    slot = s->free.back();
    s->free.pop_back();
  } else if (!store_full && s->used < per_shard_) {
    slot = s->used++;
  } else {
    // Full: look at the next few slots on the clock and evict the least recently seen, preferring
    // accounts without live calls.
    const uint32_t span = s->used;  // slots in use (some may be free after Clear: key 0, never chosen first)
    const uint32_t scan = std::min<uint32_t>(span, 8);
    uint32_t best = s->hand % span;
    int64_t best_seen = std::numeric_limits<int64_t>::max();
    bool best_live = true;
    for (uint32_t i = 0; i < scan; ++i) {
      const uint32_t c = (s->hand + i) % span;
      const AccountRecord& r = s->slots[c];
      if (r.key == 0) continue;
      const bool live = r.live > 0;
      if ((best_live && !live) || (live == best_live && r.last_seen_ms < best_seen)) {
        best = c;
        best_seen = r.last_seen_ms;
        best_live = live;
      }
    }
    s->hand = (s->hand + scan) % span;
    slot = best;
    if (s->slots[slot].key == 0) {  // nothing evictable in the scanned window: take a free slot if any
      for (uint32_t c = 0; c < span; ++c) {
        if (s->slots[c].key != 0) { slot = c; break; }
      }
    }
    const int64_t victim = s->index.Find(s->slots[slot].key, s->slots);
    if (victim >= 0) {
      s->index.Erase(victim);
      size_.fetch_sub(1, std::memory_order_relaxed);
      evicted_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  AccountRecord* rec = &s->slots[slot];
  *rec = AccountRecord{};
  rec->key = k.key;
  rec->key_check = k.check;
  rec->first_seen_ms = now_ms;
  rec->last_seen_ms = now_ms;
  rec->rate_t_ms = now_ms;
  rec->spend_t_ms = now_ms;
  s->index.Insert(k.key, slot);
  size_.fetch_add(1, std::memory_order_relaxed);
  return rec;
}

AccountStore::Handle AccountStore::Acquire(const AccountKey& k, int64_t now_ms, bool create) {
  Shard* s = ShardFor(k.key);
  s->mu.lock();
  const int64_t pos = s->index.Find(k.key, s->slots);
  if (pos >= 0) {
    AccountRecord* rec = &s->slots[s->index.SlotAt(pos)];
    if (rec->key_check == k.check) return Handle(s, rec, false);
    // A 64-bit collision between two names: the newer name takes the slot over.
    if (!create) return Handle(s, nullptr, false);
    *rec = AccountRecord{};
    rec->key = k.key;
    rec->key_check = k.check;
    rec->first_seen_ms = rec->last_seen_ms = rec->rate_t_ms = rec->spend_t_ms = now_ms;
    return Handle(s, rec, true);
  }
  if (!create) return Handle(s, nullptr, false);
  return Handle(s, Insert(s, k, now_ms), true);
}

void AccountStore::ForEach(const std::function<void(const AccountRecord&)>& fn) const {
  // Walks the slab, not the index (records never move in the slab; the index shifts entries), and holds a
  // shard's lock for 16 records at a time: a snapshot of a full shard (thousands of records) would
  // otherwise keep a routing thread waiting for a few hundred microseconds. Each record is copied whole
  // under the lock; a record replaced between two batches is seen in one of its states.
  constexpr uint32_t kBatch = 16;  // 7.4 KB of stack; about a microsecond under the lock
  AccountRecord batch[kBatch];
  for (const auto& s : shards_) {
    for (uint32_t next = 0;;) {
      uint32_t n = 0;
      s->mu.lock();
      const uint32_t used = s->used;
      for (; next < used && n < kBatch; ++next) {
        if (s->slots[next].key != 0) batch[n++] = s->slots[next];
      }
      s->mu.unlock();
      for (uint32_t i = 0; i < n; ++i) fn(batch[i]);
      if (next >= used) break;
    }
  }
}

bool AccountStore::Restore(const AccountRecord& rec) {
  if (rec.key == 0) return false;
  Shard* s = ShardFor(rec.key);
  s->mu.lock();
  AccountRecord* dst;
  const int64_t pos = s->index.Find(rec.key, s->slots);
  if (pos >= 0) {
    dst = &s->slots[s->index.SlotAt(pos)];
  } else if (!s->free.empty() || s->used < per_shard_) {
    dst = Insert(s, {rec.key, rec.key_check}, rec.last_seen_ms);
  } else {
    s->mu.unlock();
    return false;
  }
  *dst = rec;
  dst->binding_version = 0;  // bind again under this process's policy
  dst->live = 0;  // live calls are restored separately
  dst->live_intl = 0;
  dst->live_rate_per_s = 0;
  dst->live_rate_start = 0;
  s->mu.unlock();
  return true;
}

void AccountStore::Clear() {
  for (auto& s : shards_) {
    s->mu.lock();
    s->index.ForEachSlot([&](uint32_t slot) {
      s->slots[slot] = AccountRecord{};
      s->free.push_back(slot);
    });
    size_.fetch_sub(s->index.size(), std::memory_order_relaxed);
    s->index.Clear();
    s->mu.unlock();
  }
}

size_t AccountStore::memory_bytes() const {
  size_t bytes = 0;
  for (const auto& s : shards_) {
    s->mu.lock();
    bytes += static_cast<size_t>(s->used) * sizeof(AccountRecord) + s->index.memory_bytes();
    s->mu.unlock();
  }
  return bytes;
}

}  // namespace tollguard::state
