// Spinning for critical sections of a few dozen nanoseconds: SpinBackoff (the wait, shared by every spin
// loop of the library: the record lock, the live-call stripes) and a test-and-test-and-set Spinlock.
// Thread-safety: that is its job. Never held across a call that can block.
#ifndef TOLLGUARD_LIB_UTIL_SPINLOCK_H_
#define TOLLGUARD_LIB_UTIL_SPINLOCK_H_

#include <atomic>
#include <thread>

namespace tollguard {

// The wait of a spinning thread: a CPU pause per turn, then yielding once the holder is evidently not
// running (preempted), so that a waiter never burns a whole time slice on a 2-core machine.
class SpinBackoff {
 public:
  void Pause() {
    if (spins_++ > 64) {
      std::this_thread::yield();
    } else {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
  }

 private:
  int spins_ = 0;
};

class Spinlock {
 public:
  void lock() {
    for (SpinBackoff backoff;;) {
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
      while (locked_.load(std::memory_order_relaxed)) backoff.Pause();
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace tollguard

#endif  // TOLLGUARD_LIB_UTIL_SPINLOCK_H_
