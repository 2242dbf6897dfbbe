// Number patterns over an account's recent attempts: sweeps through consecutive numbers, many distinct
// numbers in one range (fan-out), and the same number again and again.
// Thread-safety: functions on an AccountRecord held through AccountStore::Handle (its record lock).
#ifndef TOLLGUARD_LIB_SIGNALS_PATTERNS_H_
#define TOLLGUARD_LIB_SIGNALS_PATTERNS_H_

#include <cstdint>
#include <string_view>

#include "lib/state/account.h"

namespace tollguard::signals {

struct Patterns {
  int sweep_run = 0;  // consecutive +-1 steps ending with this number
  int fanout = 0;     // distinct numbers of this number's range (all but the last 3 digits) among recent + this
  int repeats = 0;    // times this number appears among recent + this
  int diversity = 0;  // distinct two-digit leading prefixes (~countries) among recent + this: a conference
                      // bridge dials many countries at once, a revenue-share pump a few ranges
};

// E.164 digits encoded as an integer: the value, the digit count and the first two digits (patterns.cc).
uint64_t NumberValue(std::string_view e164);

Patterns Observe(const state::AccountRecord& r, uint64_t number);
void RecordNumber(state::AccountRecord& r, uint64_t number, const Patterns& p);

}  // namespace tollguard::signals

#endif  // TOLLGUARD_LIB_SIGNALS_PATTERNS_H_
