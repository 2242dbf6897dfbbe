#include "lib/state/account_store.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

#include "absl/hash/hash.h"

namespace tollguard::state {

struct AccountStore::Shard {
  mutable Spinlock mu;
  absl::flat_hash_map<uint64_t, uint32_t> index;  // key -> slot within this shard
  AccountRecord* slots = nullptr;                 // per_shard_ records inside the slab
  uint32_t used = 0;                              // slots handed out so far (never shrinks)
  std::vector<uint32_t> free;                     // slots freed by Clear
  uint32_t hand = 0;                              // clock hand for eviction
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
    s->index.reserve(per_shard_ + per_shard_ / 2 + 8);
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
    s->index.erase(s->slots[slot].key);
    size_.fetch_sub(1, std::memory_order_relaxed);
    evicted_.fetch_add(1, std::memory_order_relaxed);
  }
  AccountRecord* rec = &s->slots[slot];
  *rec = AccountRecord{};
  rec->key = k.key;
  rec->key_check = k.check;
  rec->first_seen_ms = now_ms;
  rec->last_seen_ms = now_ms;
  rec->rate_t_ms = now_ms;
  rec->spend_t_ms = now_ms;
  s->index.emplace(k.key, slot);
  size_.fetch_add(1, std::memory_order_relaxed);
  return rec;
}

AccountStore::Handle AccountStore::Acquire(const AccountKey& k, int64_t now_ms, bool create) {
  Shard* s = ShardFor(k.key);
  s->mu.lock();
  auto it = s->index.find(k.key);
  if (it != s->index.end()) {
    AccountRecord* rec = &s->slots[it->second];
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
  for (const auto& s : shards_) {
    s->mu.lock();
    for (const auto& [key, slot] : s->index) fn(s->slots[slot]);
    s->mu.unlock();
  }
}

bool AccountStore::Restore(const AccountRecord& rec) {
  if (rec.key == 0) return false;
  Shard* s = ShardFor(rec.key);
  s->mu.lock();
  AccountRecord* dst;
  auto it = s->index.find(rec.key);
  if (it != s->index.end()) {
    dst = &s->slots[it->second];
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
    for (const auto& [key, slot] : s->index) {
      s->slots[slot] = AccountRecord{};
      s->free.push_back(slot);
    }
    size_.fetch_sub(s->index.size(), std::memory_order_relaxed);
    s->index.clear();
    s->index.reserve(per_shard_ + per_shard_ / 2 + 8);
    s->mu.unlock();
  }
}

size_t AccountStore::memory_bytes() const {
  size_t bytes = 0;
  for (const auto& s : shards_) {
    s->mu.lock();
    bytes += static_cast<size_t>(s->used) * sizeof(AccountRecord) + s->index.capacity() * (sizeof(uint64_t) + sizeof(uint32_t) + 1);
    s->mu.unlock();
  }
  return bytes;
}

}  // namespace tollguard::state
