// The compiled, immutable policy that every decision reads: dial plan, destination table, profiles, zones,
// holidays and account rules. Built by LoadPolicy; swapped atomically by the engine on reload.
// Thread-safety: immutable after construction; read from any number of threads.
#ifndef TOLLGUARD_LIB_POLICY_SNAPSHOT_H_
#define TOLLGUARD_LIB_POLICY_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lib/destination/prefix_table.h"
#include "lib/number/normalizer.h"
#include "lib/policy/cluster_config.h"
#include "lib/time/local_time.h"
#include "tollguard/tollguard.h"

namespace tollguard::policy {

struct CompiledProfile {
  std::string name;
  bool shadow = false;
  bool always_open = false;
  uint8_t start_hour = 8, end_hour = 19;  // business hours [start, end)
  uint8_t weekday_mask = 0x1f;            // bit 0 = Monday
  uint8_t night_start = 22, night_end = 6;
  int32_t alert_score = 350, block_score = 600;
  std::array<int16_t, TG_REASON_COUNT> weight{};  // points per reason bit
  int16_t international_points = 0;               // base points of any international destination
  // Thresholds.
  float attempts_1m = 0, attempts_10m = 0, attempts_1h = 0, attempts_24h = 0;
  float intl_attempts_1h = 0, high_risk_attempts_1h = 0;
  int32_t concurrent_calls = 0, concurrent_intl_calls = 0;
  int32_t sweep_length = 0, range_fanout = 0, repeat_number = 0;
  int32_t new_account_days = 0, learn_min_days = 1;
  float unusual_volume_factor = 0;
  float baseline_multiplier = 0;
  float repeated_alerts = 0;
  int16_t new_country_off_hours = 0;
  // Budget, in micros of the currency unit.
  int64_t spend_hour_micros = 0, spend_day_micros = 0, max_call_cost_micros = 0;
  int32_t max_call_duration_s = 0;
  int32_t alert_max_duration_s = 0;
  uint32_t high_rate_micros = 0;  // risk.high_rate, per minute
};

// Which profile and zone an account uses.
struct AccountBinding {
  uint16_t profile = 0;  // index into profiles
  uint16_t zone = 0;     // index into zones
};

class PolicySnapshot {
 public:
  std::string name;
  std::string source;  // file path, or "<embedded default>"
  uint64_t version = 0;  // set by the engine
  number::DialPlan dial_plan;
  destination::PrefixTable table;
  std::vector<CompiledProfile> profiles;  // [0] is "default"
  std::vector<time::ZoneOffsets> zones;   // [0] is the engine's default zone
  time::HolidayCalendar holidays;
  uint32_t max_accounts = 0, max_live_calls = 0, idle_days = 0, max_call_hours = 12;
  bool state_fail_closed = false;
  bool preallocate_accounts = false;  // limits.preallocate_accounts (read at engine creation only)
  int32_t malformed_action = TG_ACTION_ALERT, short_code_action = TG_ACTION_ALLOW;
  std::string tenant_separators;  // characters; '@' takes the part after it, others the part before
  ClusterConfig cluster;          // the `cluster` section; read at engine create only

  // The tenant of an account name under tenant_separators, or empty. No allocation.
  std::string_view TenantOf(std::string_view account) const;

  // The binding of an account: exact names first, then the longest matching prefix, else default.
  // No allocation.
  AccountBinding Bind(std::string_view account) const;

  absl::flat_hash_map<std::string, AccountBinding> exact_accounts;
  std::vector<std::pair<std::string, AccountBinding>> prefix_accounts;  // longest first
};

}  // namespace tollguard::policy

#endif  // TOLLGUARD_LIB_POLICY_SNAPSHOT_H_
