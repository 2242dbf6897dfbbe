// One node's share of one account, as the other nodes see it: the node's own decaying rate windows, spend
// and live calls for the account, anchored at a time. Decisions add the other nodes' shares to their own
// account record's values (docs/CLUSTER.md, "Consistency model").
// Why a register and not increments: a decaying sum v(t) = sum exp(-(t - t_i)/tau) times exp(t/tau) is
// sum exp(t_i/tau), which only grows; so each node's share is a grow-only counter in those coordinates, owned
// and written by that node alone. Writing it whole (HSET of the node's field) is idempotent, commutes with
// every other node's writes, and a dropped or retried update heals with the next one.
// Thread-safety: plain values.
#ifndef TOLLGUARD_LIB_CLUSTER_CONTRIBUTION_H_
#define TOLLGUARD_LIB_CLUSTER_CONTRIBUTION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/signals/decay.h"
#include "lib/state/account.h"

namespace tollguard::cluster {

inline constexpr int kSpendWindows = 3;  // hour, day, week
using signals::kSpendSeconds;            // the engine's spend windows (lib/signals/decay.h)
static_assert(sizeof(kSpendSeconds) / sizeof(kSpendSeconds[0]) == kSpendWindows, "three spend windows");

// What the hot path hands to the sync thread after it changed an account: the record's values, whole.
// POD, 104 bytes; copied into the event ring.
struct Event {
  uint64_t key = 0;
  uint32_t check = 0;
  uint16_t live = 0, live_intl = 0;
  int64_t rate_t_ms = 0, spend_t_ms = 0;
  float att[signals::kWindows] = {}, intl[signals::kWindows] = {}, high[signals::kWindows] = {};
  float spend[kSpendWindows] = {};
};

// The event of an account record. REQUIRES: the record's lock is held (AccountStore::Handle).
inline Event EventFrom(const state::AccountRecord& r) {
  Event e;
  e.key = r.key;
  e.check = r.key_check;
  e.live = r.live;
  e.live_intl = r.live_intl;
  e.rate_t_ms = r.rate_t_ms;
  e.spend_t_ms = r.spend_t_ms;
  for (int i = 0; i < signals::kWindows; ++i) {
    e.att[i] = r.attempts.v[i];
    e.intl[i] = r.intl.v[i];
    e.high[i] = r.high_risk.v[i];
  }
  e.spend[0] = r.spend_hour;
  e.spend[1] = r.spend_day;
  e.spend[2] = r.spend_week;
  return e;
}

struct Contribution {
  int64_t t_ms = 0;  // every value below is decayed to this time
  float att[signals::kWindows] = {}, intl[signals::kWindows] = {}, high[signals::kWindows] = {};
  float spend[kSpendWindows] = {};
  uint16_t live = 0, live_intl = 0;

  // Decays every value forward to t (never backwards: an earlier t changes nothing).
  void DecayTo(int64_t t);
  // Adds another share: both decayed to the later of the two times. Live calls add.
  void Add(const Contribution& o);
  bool Negligible() const;  // every value below 1e-3 and no live call
};

// The share an event describes (rate and spend windows brought to the later of their two times).
Contribution FromEvent(const Event& e);

// The form stored in Redis (93 bytes, little-endian): version 2, incarnation, t_ms, live, live_intl, then
// the 18 windows. Decode rejects anything else (another version or size, negative or non-finite values).
std::string Encode(const Contribution& c, uint64_t incarnation);
bool Decode(std::string_view text, Contribution* c, uint64_t* incarnation);

}  // namespace tollguard::cluster

#endif  // TOLLGUARD_LIB_CLUSTER_CONTRIBUTION_H_
