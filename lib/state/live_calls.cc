#include "lib/state/live_calls.h"

#include <algorithm>

namespace tollguard::state {

namespace {
constexpr uint32_t kShards = 64;

uint64_t Mix(uint64_t x) {
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ull;
  x ^= x >> 27;
  return x;
}
}  // namespace

LiveCalls::LiveCalls(uint32_t capacity) : capacity_(std::max<uint32_t>(capacity, 1)) {
  // Only the total is capped (at capacity_), so an uneven spread of ids never refuses calls early. Each
  // shard reserves twice its even share: beyond that (a very uneven spread) a shard grows its table.
  fair_share_ = capacity_ / kShards;
  remainder_ = capacity_ - kShards * fair_share_;
  const uint32_t reserve = 2 * ((capacity_ + kShards - 1) / kShards) + 8;
  for (uint32_t i = 0; i < kShards; ++i) {
    auto s = std::make_unique<Shard>();
    s->calls.reserve(reserve);
    shards_.push_back(std::move(s));
  }
}

LiveCalls::~LiveCalls() = default;

void LiveCalls::SetCount(Shard& s) {
  const int64_t before = s.count.load(std::memory_order_relaxed);
  const int64_t after = static_cast<int64_t>(s.calls.size());
  const int64_t over = std::max<int64_t>(0, after - fair_share_) - std::max<int64_t>(0, before - fair_share_);
  if (over != 0) over_.fetch_add(over, std::memory_order_relaxed);
  s.count.store(static_cast<uint32_t>(after), std::memory_order_relaxed);
}

uint64_t LiveCalls::Total() const {
  uint64_t n = 0;
  for (const auto& sp : shards_) n += sp->count.load(std::memory_order_relaxed);
  return n;
}

uint64_t LiveCalls::size() const { return Total(); }

LiveCalls::Shard& LiveCalls::ShardFor(uint64_t id) const { return *shards_[Mix(id) % kShards]; }

LiveCalls::AddResult LiveCalls::Add(uint64_t call_id, const LiveCall& call) {
  Shard& s = ShardFor(call_id);
  s.mu.lock();
  AddResult r;
  // A duplicate id is a duplicate even when the table is full (it used to be reported as kFull, i.e.
  // TG_E_CAPACITY, which sent the caller looking for a capacity problem; found by the C API fuzzer).
  // The cap without a shared counter: the shares (capacity / shards) add up to at most the capacity, so
  // a shard below its share has room as long as the calls held above shares (over_) fit in the remainder.
  // Otherwise the shards' counts are summed. Exact for one thread; threads adding at the same instant in
  // the last places may exceed the capacity by fewer calls than there are threads. Never refuses early.
  const uint32_t mine = s.count.load(std::memory_order_relaxed);
  if (s.calls.contains(call_id)) {
    r = AddResult::kDuplicate;
  } else if (!(mine < fair_share_ && over_.load(std::memory_order_relaxed) <= remainder_) &&
             Total() >= capacity_) {
    r = AddResult::kFull;
  } else if (s.calls.try_emplace(call_id, call).second) {
    s.count.store(mine + 1, std::memory_order_relaxed);
    if (mine >= fair_share_) over_.fetch_add(1, std::memory_order_relaxed);
    r = AddResult::kAdded;
  } else {
    r = AddResult::kDuplicate;
  }
  s.mu.unlock();
  return r;
}

bool LiveCalls::Remove(uint64_t call_id, LiveCall* out) {
  Shard& s = ShardFor(call_id);
  s.mu.lock();
  auto it = s.calls.find(call_id);
  const bool found = it != s.calls.end();
  if (found) {
    *out = it->second;
    s.calls.erase(it);
    SetCount(s);
  }
  s.mu.unlock();
  return found;
}

size_t LiveCalls::ExpireBefore(int64_t cutoff_ms, const std::function<void(uint64_t, const LiveCall&)>& fn) {
  std::vector<std::pair<uint64_t, LiveCall>> expired;
  for (auto& sp : shards_) {
    Shard& s = *sp;
    s.mu.lock();
    for (auto it = s.calls.begin(); it != s.calls.end();) {
      if (it->second.start_ms < cutoff_ms) {
        expired.emplace_back(it->first, it->second);
        s.calls.erase(it++);
      } else {
        ++it;
      }
    }
    SetCount(s);
    s.mu.unlock();
  }
  for (const auto& [id, call] : expired) fn(id, call);
  return expired.size();
}

void LiveCalls::ForEach(const std::function<void(uint64_t, const LiveCall&)>& fn) const {
  for (const auto& sp : shards_) {
    sp->mu.lock();
    for (const auto& [id, call] : sp->calls) fn(id, call);
    sp->mu.unlock();
  }
}

}  // namespace tollguard::state
