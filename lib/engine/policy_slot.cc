#include "lib/engine/policy_slot.h"

#include <functional>
#include <thread>

namespace tollguard::engine {

int PolicySlot::StripeIndex() {
  // Computed once per thread: a thread keeps its stripe, so its counter line stays in its cache.
  static thread_local const int index =
      static_cast<int>(std::hash<std::thread::id>{}(std::this_thread::get_id()) % kStripes);
  return index;
}

PolicySlot::PolicySlot(std::unique_ptr<policy::PolicySnapshot> initial) : current_(initial.release()) {}

PolicySlot::~PolicySlot() { delete current_.load(); }

PolicySlot::Reader::Reader(const PolicySlot& slot) {
  const uint32_t parity = slot.epoch_.load(std::memory_order_seq_cst) & 1u;
  counter_ = &slot.stripes_[parity][StripeIndex()].count;
  counter_->fetch_add(1, std::memory_order_seq_cst);
  snap_ = slot.current_.load(std::memory_order_seq_cst);
}

PolicySlot::Reader::~Reader() { counter_->fetch_sub(1, std::memory_order_release); }

void PolicySlot::Swap(std::unique_ptr<policy::PolicySnapshot> next) {
  std::lock_guard<std::mutex> lock(writer_);
  policy::PolicySnapshot* old = current_.exchange(next.release(), std::memory_order_seq_cst);
  // Two flips: after each, wait for the readers that entered under the previous parity to leave. A reader
  // that loaded `old` entered under one of the two parities, so after both drains none is left.
  for (int round = 0; round < 2; ++round) {
    const uint32_t before = epoch_.fetch_add(1, std::memory_order_seq_cst) & 1u;
    for (int i = 0; i < kStripes; ++i) {
      while (stripes_[before][i].count.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    }
  }
  delete old;
}

uint64_t PolicySlot::version() const {
  Reader r(*this);
  return r->version;
}

}  // namespace tollguard::engine
