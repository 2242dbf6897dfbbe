// The engine: one call's path from dialed string to decision, and the state that outlives calls.
//   number/ normalizes -> destination/ matches the prefix -> time/ gives local time -> state/ finds the
//   account -> signals/ measure it -> score/ combines -> state/ records the attempt.
// Thread-safety: Score/Begin/End from any number of threads; Reload and SaveState from any thread at any
// time (deciding threads never wait for them). Destroy after every other call has returned.
#ifndef TOLLGUARD_LIB_ENGINE_ENGINE_H_
#define TOLLGUARD_LIB_ENGINE_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "lib/engine/policy_slot.h"
#include "lib/policy/loader.h"
#include "lib/signals/history.h"
#include "lib/state/account_store.h"
#include "lib/state/live_calls.h"
#include "tollguard/tollguard.h"

namespace tollguard::cluster {
class Node;
}  // namespace tollguard::cluster

namespace tollguard::engine {

struct EngineOptions {
  std::string policy_path;
  std::string home_country;
  std::string timezone;
  std::string state_path;
  uint32_t max_accounts = 0;
  uint32_t max_live_calls = 0;
};

// An error with a place in a file, for tg_error.
struct EngineError {
  tg_status code = TG_OK;
  uint32_t line = 0, column = 0;
  std::string message;
};

class Engine {
 public:
  // Loads the policy and the state snapshot. A corrupt snapshot is reported in *warning (code set) and the
  // engine starts empty, unless the policy is fail-closed: then nullptr with *error.
  static std::unique_ptr<Engine> Create(const EngineOptions& options, EngineError* error, EngineError* warning);
  ~Engine();  // stops the cluster sync thread (if any) before anything else goes

  // The destination part of a decision and the policy's answer for invalid numbers. REQUIRES: call valid.
  // `tenant` empty: derived from the account name by the policy's tenant_separator.
  tg_status Score(std::string_view account, std::string_view dialed, int64_t start_ms, std::string_view tenant,
                  tg_decision* out) const;
  tg_status Begin(std::string_view account, std::string_view dialed, int64_t start_ms, uint64_t call_id,
                  std::string_view tenant, tg_decision* out);
  tg_status End(uint64_t call_id, int64_t end_ms, int32_t billed_seconds);
  // tg_engine_prefetch: requests the account's (and its tenant's) index line, the destination's table
  // slots and the call's live-call slot (call_id != 0). No lock, no wait, no effect on state.
  void Prefetch(std::string_view account, std::string_view dialed, uint64_t call_id, std::string_view tenant) const;

  tg_status Reload(const std::string* policy_path, EngineError* error);
  tg_status SaveState(const std::string* path, EngineError* error);
  tg_status LoadState(const std::string& path, EngineError* error);

  void GetStats(tg_engine_stats* out) const;
  // Ends live calls that began before older_than_ms (0: now - limits.max_call_hours) without billing.
  uint64_t ExpireCalls(int64_t older_than_ms);

 private:
  Engine(const EngineOptions& options, std::unique_ptr<policy::PolicySnapshot> snap, uint32_t max_accounts,
         bool preallocate, uint32_t max_live);
  tg_status Decide(const policy::PolicySnapshot& snap, std::string_view account, std::string_view dialed,
                   int64_t start_ms, uint64_t call_id, std::string_view tenant, bool record, tg_decision* out);

  // What a decision reads from the account's tenant.
  struct TenantView {
    bool known_country = false, known_range = false;
    float week_attempts = 0, day_attempts = 0, week_off_hours = 0, day_off_hours = 0;
    int repeats = 0;  // the number among the tenant's recent ones (several extensions calling one number back)
  };
  TenantView ReadTenant(const state::AccountKey& tkey, int64_t start_ms, const signals::DestinationKeys& keys,
                        uint64_t number);
  void RecordTenant(const state::AccountKey& tkey, int64_t start_ms, bool intl, bool high_risk,
                    bool allowed_off_hours, uint64_t number);

  EngineOptions options_;
  PolicySlot policy_;
  std::atomic<uint64_t> policy_version_{1};
  state::AccountStore accounts_;
  state::LiveCalls live_;
  std::mutex admin_;  // serializes Reload / SaveState / LoadState among themselves
  // Decision counters, striped per thread so that routing threads do not share a written cache line.
  struct alignas(64) Counters {
    std::atomic<uint64_t> decisions{0}, blocked{0}, alerted{0};
  };
  static constexpr int kCounterStripes = 16;
  Counters counters_[kCounterStripes];
  Counters& MyCounters();
  std::unique_ptr<cluster::Node> cluster_;  // cluster mode (docs/CLUSTER.md); null when standalone
};

// Milliseconds since the epoch from the real-time clock (vDSO; no syscall on Linux x86-64).
int64_t NowMs();

}  // namespace tollguard::engine

#endif  // TOLLGUARD_LIB_ENGINE_ENGINE_H_
