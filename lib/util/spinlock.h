// A test-and-test-and-set spinlock for critical sections of a few dozen nanoseconds (one account record).
// Thread-safety: that is its job. Never held across a call that can block.
#ifndef TOLLGUARD_LIB_UTIL_SPINLOCK_H_
#define TOLLGUARD_LIB_UTIL_SPINLOCK_H_

#include <atomic>
#include <thread>

namespace tollguard {

class Spinlock {
 public:
  void lock() {
    for (int spins = 0;; ++spins) {
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
      while (locked_.load(std::memory_order_relaxed)) {
        if (spins++ > 64) {
          std::this_thread::yield();
        } else {
#if defined(__x86_64__) || defined(__i386__)
          __builtin_ia32_pause();
#endif
        }
      }
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace tollguard

#endif  // TOLLGUARD_LIB_UTIL_SPINLOCK_H_
