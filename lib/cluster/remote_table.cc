#include "lib/cluster/remote_table.h"

#include <algorithm>
#include <cstring>

namespace tollguard::cluster {

RemoteTable::RemoteTable(uint32_t accounts) {
  size_t n = 64;
  int bits = 6;
  while (n < 2ull * accounts) {
    n <<= 1;
    ++bits;
  }
  mask_ = n - 1;
  shift_ = 64 - bits;
  slots_.reset(new Slot[n]);
  keys_.reset(new uint64_t[n]());
  checks_.reset(new uint32_t[n]());
  times_.reset(new int64_t[n]());
  for (size_t i = 0; i < n; ++i) {
    for (auto& w : slots_[i].w) w.store(0, std::memory_order_relaxed);
  }
}

void RemoteTable::Store(size_t i, const Payload& p) {
  uint64_t words[kWords];
  std::memcpy(words, &p, sizeof(words));
  Slot& s = slots_[i];
  const uint32_t seq = s.seq.load(std::memory_order_relaxed);
  s.seq.store(seq + 1, std::memory_order_relaxed);  // odd: being written
  std::atomic_thread_fence(std::memory_order_release);
  for (int k = 0; k < kWords; ++k) s.w[k].store(words[k], std::memory_order_relaxed);
  s.seq.store(seq + 2, std::memory_order_release);
  keys_[i] = p.key;
  checks_[i] = p.check;
  times_[i] = p.t_ms;
}

void RemoteTable::Write(uint64_t key, uint32_t check, const Contribution& c) {
  Payload p;
  p.key = key == 0 ? 1 : key;  // 0 marks an empty slot
  p.check = check;
  p.live = c.live;
  p.live_intl = c.live_intl;
  p.t_ms = c.t_ms;
  float* v = p.v;
  v = std::copy(c.att, c.att + signals::kWindows, v);
  v = std::copy(c.intl, c.intl + signals::kWindows, v);
  v = std::copy(c.high, c.high + signals::kWindows, v);
  std::copy(c.spend, c.spend + kSpendWindows, v);
  const size_t home = Home(p.key);
  size_t victim = home;
  for (int k = 0; k < kProbe; ++k) {
    const size_t i = (home + k) & mask_;
    if (keys_[i] == p.key && checks_[i] == check) return Store(i, p);
    if (keys_[i] == 0) return Store(i, p);
    if (times_[i] < times_[victim]) victim = i;
  }
  ++replaced_;
  Store(victim, p);
}

void RemoteTable::Clear() {
  Payload empty;
  std::memset(&empty, 0, sizeof(empty));
  for (size_t i = 0; i <= mask_; ++i) {
    if (keys_[i] != 0) Store(i, empty);
  }
}

bool RemoteTable::Read(uint64_t key, uint32_t check, Contribution* out) const {
  if (key == 0) key = 1;
  const size_t home = Home(key);
  for (int k = 0; k < kProbe; ++k) {
    const Slot& s = slots_[(home + k) & mask_];
    uint64_t words[kWords];
    bool stable = false;
    for (int attempt = 0; attempt < 4 && !stable; ++attempt) {
      const uint32_t s1 = s.seq.load(std::memory_order_acquire);
      if (s1 & 1) continue;
      for (int w = 0; w < kWords; ++w) words[w] = s.w[w].load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      stable = s.seq.load(std::memory_order_relaxed) == s1;
    }
    if (!stable) continue;  // busy: look further; a miss only makes this decision local
    Payload p;
    std::memcpy(&p, words, sizeof(p));
    if (p.key == 0) return false;
    if (p.key != key || p.check != check) continue;
    out->t_ms = p.t_ms;
    out->live = p.live;
    out->live_intl = p.live_intl;
    const float* v = p.v;
    std::copy(v, v + signals::kWindows, out->att);
    std::copy(v + 5, v + 10, out->intl);
    std::copy(v + 10, v + 15, out->high);
    std::copy(v + 15, v + 18, out->spend);
    return true;
  }
  return false;
}

}  // namespace tollguard::cluster
