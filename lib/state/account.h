// The per-account record: everything the engine remembers about one account, in a fixed-size POD that the
// store preallocates and the state snapshot writes byte for byte (versioned by kAccountRecordVersion).
// Thread-safety: a record is read and written only under its own lock word (`lock`, AccountStore).
#ifndef TOLLGUARD_LIB_STATE_ACCOUNT_H_
#define TOLLGUARD_LIB_STATE_ACCOUNT_H_

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "lib/signals/decay.h"

namespace tollguard::state {

inline constexpr uint32_t kAccountRecordVersion = 2;
inline constexpr int kRecentNumbers = 8;
inline constexpr int kLearningRanges = 8;
inline constexpr int kLearningCountries = 4;

// A destination the account is learning (range or country) with the distinct days it was answered on.
struct Learning {
  uint32_t key = 0;      // hash of the range or country; 0 = empty
  uint16_t last_hour = 0;// hour (since the epoch, mod 65536) of the last answered call that counted a day
  uint8_t days = 0;      // answered calls at least 16 hours apart ("days": a night-long burst is one)
  uint8_t calls = 0;     // answered calls, saturating
};

struct AccountRecord {
  // Identity.
  uint64_t key = 0;            // 64-bit hash of the account name; 0 = free slot
  uint32_t key_check = 0;      // an independent 32-bit hash, to tell colliding names apart
  uint32_t binding_version = 0;// policy version of the cached binding below
  uint16_t profile = 0;        // cached AccountBinding
  uint16_t zone = 0;
  uint16_t live = 0;           // live calls
  uint16_t live_intl = 0;      // live international calls
  int64_t first_seen_ms = 0;
  int64_t last_seen_ms = 0;
  // Rate windows, updated on every recorded attempt.
  int64_t rate_t_ms = 0;
  signals::Windows attempts, intl, high_risk;
  float off_hours_week = 0;    // allowed attempts outside business hours, 7-day window (decays with the above)
  float off_hours_day = 0;     // the same, 24-hour window: subtracted so that today does not vouch for itself
  float alerts_hour = 0;       // alerted or blocked attempts, 1-hour window
  // Spend (micros), decayed with tau 1 h, 24 h and 7 days; updated on every booked call.
  int64_t spend_t_ms = 0;
  float spend_hour = 0, spend_day = 0, spend_week = 0;
  // The record's spinlock (AccountStore), in what was padding: only touched with __atomic builtins, never
  // saved set (snapshot copies and Restore leave it out), so version-2 files keep their layout.
  uint32_t lock = 0;
  // Live exposure: sum of per-second rates of live calls and of rate x start.
  double live_rate_per_s = 0;     // micros per second
  double live_rate_start = 0;     // sum(rate_per_s * start_s)
  // Number patterns over recent attempts.
  uint64_t recent[kRecentNumbers] = {};  // E.164 as integers, ring
  uint8_t recent_pos = 0;
  uint8_t sweep_run = 0;                 // consecutive +-1 steps so far
  uint16_t active_days = 0;              // distinct local days with an attempt, saturating
  uint16_t last_active_day = 0;
  uint16_t hour_week = 0;                // week number of the last hour-of-week halving
  // History: mature destinations as Bloom filters, learning progress in a small table.
  uint64_t known_countries[2] = {0, 0};
  uint64_t known_ranges[4] = {0, 0, 0, 0};
  Learning learning_ranges[kLearningRanges];      // separate tables: many ranges never push a country out
  Learning learning_countries[kLearningCountries];
  uint8_t hour_of_week[84] = {};        // 168 four-bit counters of attempts per hour of week, halved weekly
};

static_assert(std::is_trivially_copyable_v<AccountRecord>, "records are copied as bytes");
static_assert(sizeof(AccountRecord) <= 480, "keep the record under 480 bytes (docs/PERFORMANCE.md)");
// Record version 2 layout: the lock word took the padding after spend_week; nothing else moved.
static_assert(offsetof(AccountRecord, spend_week) == 136 && offsetof(AccountRecord, lock) == 140 &&
                  offsetof(AccountRecord, live_rate_per_s) == 144 && sizeof(AccountRecord) == 464,
              "record v2 layout changed: bump kAccountRecordVersion");

}  // namespace tollguard::state

#endif  // TOLLGUARD_LIB_STATE_ACCOUNT_H_
