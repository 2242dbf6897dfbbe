/* The ABI of tollguard.h pinned field by field (docs/ABI.md). tests/c_api/c_api_c11_test.c pins the main
 * offsets and exercises the calls; this file pins everything a compiled caller depends on: the offset, size
 * and type of every field of every public struct, the size macros, the alignment, every enum value, the
 * limits, the version macros, and the TG_*_INIT initializers (checked at run time).
 * Compiling is the test for the _Static_asserts; running checks the initializers and tg_version_number().
 * A failure here means a change that breaks callers built against an earlier header: never edit an assert
 * to make it pass; append the new field and add asserts for it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tollguard/tollguard.h"

#define TG_SAME_TYPE(expr, T) _Generic((expr), T: 1, default: 0)
/* offset, size and type of a field */
#define PIN(S, f, off, T)                                                             \
  _Static_assert(offsetof(S, f) == (off), #S "." #f " moved");                        \
  _Static_assert(sizeof(((S*)0)->f) == sizeof(T), #S "." #f " changed size");         \
  _Static_assert(TG_SAME_TYPE(((S*)0)->f, T), #S "." #f " changed type")
/* the same for arrays, whose element type and length are pinned */
#define PIN_ARRAY(S, f, off, T, n)                                                    \
  _Static_assert(offsetof(S, f) == (off), #S "." #f " moved");                        \
  _Static_assert(sizeof(((S*)0)->f) == sizeof(T) * (n), #S "." #f " changed length"); \
  _Static_assert(TG_SAME_TYPE(((S*)0)->f[0], T), #S "." #f " changed element type")

/* ---- tg_str */
PIN(tg_str, data, 0, const char*);
PIN(tg_str, len, 8, size_t);
_Static_assert(sizeof(tg_str) == 16 && _Alignof(tg_str) == 8, "tg_str");

/* ---- tg_engine_options (v1: 48 bytes; callers with the 40-byte original layout are accepted) */
PIN(tg_engine_options, struct_size, 0, uint32_t);
PIN(tg_engine_options, policy_path, 8, const char*);
PIN(tg_engine_options, home_country, 16, const char*);
PIN(tg_engine_options, timezone, 24, const char*);
PIN(tg_engine_options, state_path, 32, const char*);
PIN(tg_engine_options, max_accounts, 40, uint32_t);
PIN(tg_engine_options, max_live_calls, 44, uint32_t);
_Static_assert(TG_ENGINE_OPTIONS_V1_SIZE == 48, "TG_ENGINE_OPTIONS_V1_SIZE never changes");
_Static_assert(sizeof(tg_engine_options) >= TG_ENGINE_OPTIONS_V1_SIZE, "tg_engine_options shrank");
_Static_assert(_Alignof(tg_engine_options) == 8, "tg_engine_options alignment");

/* ---- tg_error (v1: 272 bytes) */
PIN(tg_error, struct_size, 0, uint32_t);
PIN(tg_error, code, 4, int32_t);
PIN(tg_error, line, 8, uint32_t);
PIN(tg_error, column, 12, uint32_t);
PIN_ARRAY(tg_error, message, 16, char, 256);
_Static_assert(TG_ERROR_V1_SIZE == 272, "TG_ERROR_V1_SIZE never changes");
_Static_assert(sizeof(tg_error) >= TG_ERROR_V1_SIZE, "tg_error shrank");
_Static_assert(_Alignof(tg_error) == 4, "tg_error alignment");

/* ---- tg_call (smallest accepted: 56 bytes, up to call_id; v1 with tenant: 72) */
PIN(tg_call, struct_size, 0, uint32_t);
PIN(tg_call, account, 8, tg_str);
PIN(tg_call, dialed, 24, tg_str);
PIN(tg_call, start_unix_ms, 40, int64_t);
PIN(tg_call, call_id, 48, uint64_t);
PIN(tg_call, tenant, 56, tg_str);
_Static_assert(TG_CALL_MIN_SIZE == 56, "TG_CALL_MIN_SIZE never changes");
_Static_assert(TG_CALL_V1_SIZE == 72, "TG_CALL_V1_SIZE never changes");
_Static_assert(sizeof(tg_call) >= TG_CALL_V1_SIZE, "tg_call shrank");
_Static_assert(_Alignof(tg_call) == 8, "tg_call alignment");

/* ---- tg_decision (v1: 64 bytes) */
PIN(tg_decision, struct_size, 0, uint32_t);
PIN(tg_decision, action, 4, int32_t);
PIN(tg_decision, score, 8, int32_t);
PIN(tg_decision, top_reason, 12, int32_t);
PIN(tg_decision, reasons, 16, uint64_t);
PIN_ARRAY(tg_decision, e164, 24, char, 16);
PIN_ARRAY(tg_decision, country, 40, char, 4);
PIN(tg_decision, number_type, 44, int32_t);
PIN(tg_decision, risk_tier, 48, int32_t);
PIN(tg_decision, max_duration_s, 52, int32_t);
PIN(tg_decision, rate_micros, 56, int64_t);
_Static_assert(TG_DECISION_V1_SIZE == 64, "TG_DECISION_V1_SIZE never changes");
_Static_assert(sizeof(tg_decision) >= TG_DECISION_V1_SIZE, "tg_decision shrank");
_Static_assert(_Alignof(tg_decision) == 8, "tg_decision alignment");

/* ---- tg_engine_stats (v1: 80 bytes) */
PIN(tg_engine_stats, struct_size, 0, uint32_t);
PIN(tg_engine_stats, reserved, 4, uint32_t);
PIN(tg_engine_stats, accounts, 8, uint64_t);
PIN(tg_engine_stats, live_calls, 16, uint64_t);
PIN(tg_engine_stats, decisions, 24, uint64_t);
PIN(tg_engine_stats, blocked, 32, uint64_t);
PIN(tg_engine_stats, alerted, 40, uint64_t);
PIN(tg_engine_stats, evicted, 48, uint64_t);
PIN(tg_engine_stats, prefixes, 56, uint64_t);
PIN(tg_engine_stats, policy_version, 64, uint64_t);
PIN(tg_engine_stats, memory_bytes, 72, uint64_t);
_Static_assert(sizeof(tg_engine_stats) >= 80, "tg_engine_stats shrank");
_Static_assert(_Alignof(tg_engine_stats) == 8, "tg_engine_stats alignment");

/* ---- handles and scalar types */
_Static_assert(TG_SAME_TYPE((tg_status)0, int32_t), "tg_status is int32_t");

/* ---- status codes: values are stable, new codes are appended */
_Static_assert(TG_OK == 0 && TG_E_INVALID_ARGUMENT == 1 && TG_E_STRUCT_SIZE == 2 && TG_E_STRUCT_TAIL == 3, "status");
_Static_assert(TG_E_NUMBER_EMPTY == 4 && TG_E_NUMBER_CHARS == 5 && TG_E_NUMBER_TOO_LONG == 6, "status");
_Static_assert(TG_E_NUMBER_COUNTRY == 7 && TG_E_NUMBER_TOO_SHORT == 8 && TG_E_POLICY == 9 && TG_E_IO == 10, "status");
_Static_assert(TG_E_STATE_CORRUPT == 11 && TG_E_STATE_VERSION == 12 && TG_E_UNKNOWN_CALL == 13, "status");
_Static_assert(TG_E_TIME == 14 && TG_E_CAPACITY == 15 && TG_E_NO_MEMORY == 16 && TG_E_INTERNAL == 17, "status");
_Static_assert(TG_E_ACCOUNT == 18, "status");

/* ---- actions and number types */
_Static_assert(TG_ACTION_ALLOW == 0 && TG_ACTION_ALERT == 1 && TG_ACTION_BLOCK == 2, "actions");
_Static_assert(TG_NUMBER_FIXED_LINE == 0 && TG_NUMBER_MOBILE == 1 && TG_NUMBER_FIXED_LINE_OR_MOBILE == 2, "types");
_Static_assert(TG_NUMBER_TOLL_FREE == 3 && TG_NUMBER_PREMIUM_RATE == 4 && TG_NUMBER_SHARED_COST == 5, "types");
_Static_assert(TG_NUMBER_VOIP == 6 && TG_NUMBER_PERSONAL_NUMBER == 7 && TG_NUMBER_PAGER == 8, "types");
_Static_assert(TG_NUMBER_UAN == 9 && TG_NUMBER_VOICEMAIL == 10 && TG_NUMBER_UNKNOWN == 99, "types");

/* ---- reason bits: appended only; TG_REASON_COUNT only grows */
_Static_assert(TG_REASON_DENY_LIST == 0 && TG_REASON_PREMIUM_NUMBER == 1 && TG_REASON_HIGH_RISK_COUNTRY == 2, "r");
_Static_assert(TG_REASON_INTL_NETWORK == 3 && TG_REASON_UNKNOWN_RANGE == 4 && TG_REASON_HIGH_RATE == 5, "r");
_Static_assert(TG_REASON_OFF_HOURS == 6 && TG_REASON_NIGHT == 7 && TG_REASON_WEEKEND == 8, "r");
_Static_assert(TG_REASON_HOLIDAY == 9 && TG_REASON_RATE_1M == 10 && TG_REASON_RATE_10M == 11, "r");
_Static_assert(TG_REASON_RATE_1H == 12 && TG_REASON_RATE_24H == 13 && TG_REASON_INTL_RATE == 14, "r");
_Static_assert(TG_REASON_HIGH_RISK_RATE == 15 && TG_REASON_CONCURRENCY == 16 && TG_REASON_SPEND_HOUR == 17, "r");
_Static_assert(TG_REASON_SPEND_DAY == 18 && TG_REASON_SWEEP == 19 && TG_REASON_RANGE_FANOUT == 20, "r");
_Static_assert(TG_REASON_REPEAT_NUMBER == 21 && TG_REASON_NEW_DESTINATION == 22 && TG_REASON_NEW_COUNTRY == 23, "r");
_Static_assert(TG_REASON_NEW_ACCOUNT == 24 && TG_REASON_UNUSUAL_VOLUME == 25 && TG_REASON_ALLOW_LIST == 26, "r");
_Static_assert(TG_REASON_SHADOW_MODE == 27 && TG_REASON_REPEATED_ALERTS == 28, "r");
_Static_assert(TG_REASON_COUNT >= 29 && TG_REASON_COUNT <= 64, "TG_REASON_COUNT only grows, and fits in reasons");

/* ---- limits and version */
_Static_assert(TG_MAX_DIALED_LEN == 256 && TG_MAX_ACCOUNT_LEN == 256, "limits");
_Static_assert(TG_VERSION_NUMBER == TG_VERSION_MAJOR * 10000 + TG_VERSION_MINOR * 100 + TG_VERSION_PATCH, "version");

static int failed;
#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      ++failed;                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

static int all_zero(const void* p, size_t from, size_t to) {
  const unsigned char* b = (const unsigned char*)p;
  for (size_t i = from; i < to; ++i) {
    if (b[i] != 0) return 0;
  }
  return 1;
}

int main(void) {
  /* Every initializer sets struct_size to the header's sizeof and everything else to "absent". */
  const tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  const tg_error e = TG_ERROR_INIT;
  const tg_call c = TG_CALL_INIT;
  const tg_decision d = TG_DECISION_INIT;
  const tg_engine_stats s = TG_ENGINE_STATS_INIT;
  CHECK(o.struct_size == sizeof o && o.policy_path == NULL && o.home_country == NULL && o.timezone == NULL &&
        o.state_path == NULL && o.max_accounts == 0 && o.max_live_calls == 0);
  CHECK(e.struct_size == sizeof e && e.code == 0 && e.line == 0 && e.column == 0 && all_zero(e.message, 0, 256));
  CHECK(c.struct_size == sizeof c && c.account.data == NULL && c.account.len == 0 && c.dialed.data == NULL &&
        c.dialed.len == 0 && c.start_unix_ms == 0 && c.call_id == 0 && c.tenant.data == NULL && c.tenant.len == 0);
  CHECK(d.struct_size == sizeof d && d.action == TG_ACTION_ALLOW && d.score == 0 && d.top_reason == -1 &&
        d.reasons == 0 && all_zero(d.e164, 0, 16) && all_zero(d.country, 0, 4) && d.number_type == TG_NUMBER_UNKNOWN &&
        d.risk_tier == 0 && d.max_duration_s == 0 && d.rate_micros == 0);
  CHECK(s.struct_size == sizeof s && all_zero(&s, 4, sizeof s));
  /* The library that runs is the one this header describes (same build). */
  CHECK(tg_version_number() == TG_VERSION_NUMBER);
  printf("layout: %s\n", failed ? "FAILED" : "all fields, sizes, enums and initializers as pinned");
  return failed ? 1 : 0;
}
