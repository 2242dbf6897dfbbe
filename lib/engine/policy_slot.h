// Holds the current PolicySnapshot and swaps it without making readers wait: readers announce themselves
// on a per-thread-striped counter of the current epoch parity (two atomic adds, no lock); the writer
// publishes the new snapshot, flips the parity and waits until the old parity's readers have left before
// deleting the old snapshot (a two-phase grace period, as userspace RCU does).
// Thread-safety: Read from any number of threads; Swap from any thread (writers serialize on a mutex).
#ifndef TOLLGUARD_LIB_ENGINE_POLICY_SLOT_H_
#define TOLLGUARD_LIB_ENGINE_POLICY_SLOT_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "lib/policy/snapshot.h"

namespace tollguard::engine {

class PolicySlot {
 public:
  static constexpr int kStripes = 32;

  explicit PolicySlot(std::unique_ptr<policy::PolicySnapshot> initial);
  ~PolicySlot();

  // A read guard: the snapshot stays alive while the guard exists. Keep it short (one decision).
  class Reader {
   public:
    explicit Reader(const PolicySlot& slot);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    const policy::PolicySnapshot& operator*() const { return *snap_; }
    const policy::PolicySnapshot* operator->() const { return snap_; }

   private:
    std::atomic<int64_t>* counter_;
    const policy::PolicySnapshot* snap_;
  };

  // Publishes `next` and deletes the previous snapshot once no reader can hold it. Waits for readers of
  // the old snapshot (microseconds); readers never wait for it.
  void Swap(std::unique_ptr<policy::PolicySnapshot> next);

  // The current snapshot's version, for stats.
  uint64_t version() const;

 private:
  struct alignas(64) Stripe {
    std::atomic<int64_t> count{0};
  };
  static int StripeIndex();

  std::atomic<policy::PolicySnapshot*> current_;
  std::atomic<uint32_t> epoch_{0};
  mutable Stripe stripes_[2][kStripes];
  std::mutex writer_;
};

}  // namespace tollguard::engine

#endif  // TOLLGUARD_LIB_ENGINE_POLICY_SLOT_H_
