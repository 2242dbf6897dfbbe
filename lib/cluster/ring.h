// A bounded multi-producer, single-consumer ring of small POD values: routing threads push, the cluster's
// sync thread pops. Each cell carries a sequence number that says whose turn it is (producer claims a cell
// by advancing the tail with one CAS, fills it, then publishes it by storing the sequence); a full ring
// rejects the push and counts it, it never waits, never allocates, makes no system call.
// Thread-safety: Push from any number of threads; Pop from one thread at a time.
#ifndef TOLLGUARD_LIB_CLUSTER_RING_H_
#define TOLLGUARD_LIB_CLUSTER_RING_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

namespace tollguard::cluster {

template <typename T>
class MpscRing {
  static_assert(std::is_trivially_copyable_v<T>, "ring cells are copied as bytes");

 public:
  // REQUIRES: capacity is a power of two >= 2.
  explicit MpscRing(size_t capacity) : mask_(capacity - 1), cells_(new Cell[capacity]) {
    for (size_t i = 0; i < capacity; ++i) cells_[i].seq.store(i, std::memory_order_relaxed);
  }

  // false when the ring is full (the value is dropped and counted).
  bool Push(const T& value) {
    uint64_t pos = tail_.load(std::memory_order_relaxed);
    for (;;) {
      Cell& c = cells_[pos & mask_];
      const uint64_t seq = c.seq.load(std::memory_order_acquire);
      const int64_t diff = static_cast<int64_t>(seq - pos);
      if (diff == 0) {
        if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          c.value = value;
          c.seq.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return false;
      } else {
        pos = tail_.load(std::memory_order_relaxed);
      }
    }
  }

  // false when empty. REQUIRES: one consumer thread.
  bool Pop(T* out) {
    Cell& c = cells_[head_ & mask_];
    const uint64_t seq = c.seq.load(std::memory_order_acquire);
    if (seq != head_ + 1) return false;  // not yet published (or empty)
    *out = c.value;
    c.seq.store(head_ + mask_ + 1, std::memory_order_release);
    ++head_;
    return true;
  }

  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  size_t capacity() const { return mask_ + 1; }

 private:
  struct alignas(64) Cell {
    std::atomic<uint64_t> seq{0};
    T value{};
  };
  const uint64_t mask_;
  std::unique_ptr<Cell[]> cells_;
  alignas(64) std::atomic<uint64_t> tail_{0};
  alignas(64) std::atomic<uint64_t> dropped_{0};
  alignas(64) uint64_t head_ = 0;  // consumer only
};

}  // namespace tollguard::cluster

#endif  // TOLLGUARD_LIB_CLUSTER_RING_H_
