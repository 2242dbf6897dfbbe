// The other nodes' merged contribution per account, as the hot path reads it: a fixed-size open-addressing
// table (linear probing over at most kProbe slots) written by the sync thread alone and read by routing
// threads through a per-slot seqlock. A read never waits, never allocates, makes no system call: a slot
// that is being rewritten is retried a few times and then taken as absent (the decision is local only).
// When the probe window is full, the slot with the oldest values is reused.
// Thread-safety: Write/Clear from one thread (the sync thread); Read from any number of threads.
#ifndef TOLLGUARD_LIB_CLUSTER_REMOTE_TABLE_H_
#define TOLLGUARD_LIB_CLUSTER_REMOTE_TABLE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "lib/cluster/contribution.h"

namespace tollguard::cluster {

class RemoteTable {
 public:
  static constexpr int kProbe = 8;

  // Room for about `accounts` accounts (slots: the next power of two >= 2 x accounts, at least 64).
  explicit RemoteTable(uint32_t accounts);

  // Sets the account's merged contribution. Writer thread only.
  void Write(uint64_t key, uint32_t check, const Contribution& c);
  // Forgets every account (a node that lost Redis long enough rebuilds from scratch). Writer thread only.
  void Clear();

  // The account's contribution; false when there is none (or the slot stayed busy). Hot path.
  bool Read(uint64_t key, uint32_t check, Contribution* out) const;
  // Asks for the account's home slot's cache lines, so that a later Read does not wait for memory.
  void Prefetch(uint64_t key) const {
    const char* p = reinterpret_cast<const char*>(&slots_[Home(key == 0 ? 1 : key)]);
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
  }

  size_t slots() const { return mask_ + 1; }
  size_t memory_bytes() const { return slots() * sizeof(Slot); }
  uint64_t replaced() const { return replaced_; }

 private:
  static constexpr int kWords = 12;
  struct Payload {  // 96 bytes
    uint64_t key;
    uint32_t check;
    uint16_t live, live_intl;
    int64_t t_ms;
    float v[3 * signals::kWindows + kSpendWindows];
  };
  static_assert(sizeof(Payload) == kWords * 8, "payload is copied as words");
  struct alignas(64) Slot {
    std::atomic<uint32_t> seq{0};
    std::atomic<uint64_t> w[kWords];
  };
  size_t Home(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_); }
  void Store(size_t i, const Payload& p);

  size_t mask_ = 0;
  int shift_ = 64;
  std::unique_ptr<Slot[]> slots_;
  // Writer-side shadow of each slot's identity and time, so that the writer never reads the atomics.
  std::unique_ptr<uint64_t[]> keys_;
  std::unique_ptr<uint32_t[]> checks_;
  std::unique_ptr<int64_t[]> times_;
  uint64_t replaced_ = 0;
};

}  // namespace tollguard::cluster

#endif  // TOLLGUARD_LIB_CLUSTER_REMOTE_TABLE_H_
