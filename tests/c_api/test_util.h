// Helpers for C API tests: calls from std::string, decision formatting.
#ifndef TOLLGUARD_TESTS_C_API_TEST_UTIL_H_
#define TOLLGUARD_TESTS_C_API_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tollguard/tollguard.h"

namespace tgtest {

// 2026-11-24 (Tuesday, a working day) 10:00 in Asia/Tokyo; 2026-11-28 (Saturday) 02:00.
inline constexpr int64_t kWeekday10Jst = 1795482000000LL;
inline constexpr int64_t kSaturday02Jst = 1795798800000LL;
inline constexpr int64_t kHourMs = 3600000LL;
inline constexpr int64_t kDayMs = 86400000LL;

// The strings must outlive the call struct (string_view: literals and named strings, not temporaries).
inline tg_call Call(std::string_view account, std::string_view dialed, int64_t ms, uint64_t id = 0) {
  tg_call c = TG_CALL_INIT;
  c.account = {account.data(), account.size()};
  c.dialed = {dialed.data(), dialed.size()};
  c.start_unix_ms = ms;
  c.call_id = id;
  return c;
}

inline bool Has(const tg_decision& d, int reason) { return (d.reasons >> reason) & 1u; }

inline std::string Reasons(const tg_decision& d) {
  std::string s;
  for (int i = 0; i < TG_REASON_COUNT; ++i) {
    if (Has(d, i)) s += std::string(s.empty() ? "" : ",") + tg_reason_name(i);
  }
  return s;
}

// An engine with the embedded default policy, JP, Asia/Tokyo unless told otherwise.
struct EngineHolder {
  tg_engine* e = nullptr;
  tg_error err = TG_ERROR_INIT;
  tg_status status = TG_OK;
  explicit EngineHolder(const char* country = "JP", const char* tz = "Asia/Tokyo", const char* policy = nullptr,
                        const char* state = nullptr) {
    tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
    o.home_country = country;
    o.timezone = tz;
    o.policy_path = policy;
    o.state_path = state;
    status = tg_engine_create(&o, &e, &err);
  }
  ~EngineHolder() { tg_engine_destroy(e); }
  tg_decision Begin(const std::string& account, const std::string& dialed, int64_t ms, uint64_t id = 0,
                    tg_status* st = nullptr) {
    tg_call c = Call(account, dialed, ms, id);
    tg_decision d = TG_DECISION_INIT;
    tg_status s = tg_call_begin(e, &c, &d);
    if (st) *st = s;
    return d;
  }
  tg_decision Score(const std::string& account, const std::string& dialed, int64_t ms, tg_status* st = nullptr) {
    tg_call c = Call(account, dialed, ms, 0);
    tg_decision d = TG_DECISION_INIT;
    tg_status s = tg_engine_score(e, &c, &d);
    if (st) *st = s;
    return d;
  }
  tg_engine_stats Stats() {
    tg_engine_stats s = TG_ENGINE_STATS_INIT;
    tg_engine_get_stats(e, &s);
    return s;
  }
};

}  // namespace tgtest

#endif  // TOLLGUARD_TESTS_C_API_TEST_UTIL_H_
