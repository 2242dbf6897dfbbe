/* FROZEN COPY — do not edit. tests/abi/old_caller_test.c is compiled against this file to play a vendor
 * binary built against an earlier tollguard.h (0.1.0, before tg_call.tenant and TG_REASON_REPEATED_ALERTS
 * were appended), linked against the library of today. If the current library stops working for this
 * caller, the ABI broke (docs/ABI.md). Only the declarations an old caller compiles against are kept;
 * comments are shortened.
 */
#ifndef TOLLGUARD_TOLLGUARD_H_
#define TOLLGUARD_TOLLGUARD_H_

#include <stddef.h>
#include <stdint.h>

#include "tollguard/export.h"
#include "tollguard/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_str {
  const char* data;
  size_t len;
} tg_str;

typedef struct tg_engine tg_engine;

typedef int32_t tg_status;

enum {
  TG_OK = 0,
  TG_E_INVALID_ARGUMENT = 1,
  TG_E_STRUCT_SIZE = 2,
  TG_E_STRUCT_TAIL = 3,
  TG_E_NUMBER_EMPTY = 4,
  TG_E_NUMBER_CHARS = 5,
  TG_E_NUMBER_TOO_LONG = 6,
  TG_E_NUMBER_COUNTRY = 7,
  TG_E_NUMBER_TOO_SHORT = 8,
  TG_E_POLICY = 9,
  TG_E_IO = 10,
  TG_E_STATE_CORRUPT = 11,
  TG_E_STATE_VERSION = 12,
  TG_E_UNKNOWN_CALL = 13,
  TG_E_TIME = 14,
  TG_E_CAPACITY = 15,
  TG_E_NO_MEMORY = 16,
  TG_E_INTERNAL = 17,
  TG_E_ACCOUNT = 18
};

enum { TG_ACTION_ALLOW = 0, TG_ACTION_ALERT = 1, TG_ACTION_BLOCK = 2 };

enum {
  TG_NUMBER_FIXED_LINE = 0,
  TG_NUMBER_MOBILE = 1,
  TG_NUMBER_FIXED_LINE_OR_MOBILE = 2,
  TG_NUMBER_TOLL_FREE = 3,
  TG_NUMBER_PREMIUM_RATE = 4,
  TG_NUMBER_SHARED_COST = 5,
  TG_NUMBER_VOIP = 6,
  TG_NUMBER_PERSONAL_NUMBER = 7,
  TG_NUMBER_PAGER = 8,
  TG_NUMBER_UAN = 9,
  TG_NUMBER_VOICEMAIL = 10,
  TG_NUMBER_UNKNOWN = 99
};

enum {
  TG_REASON_DENY_LIST = 0,
  TG_REASON_PREMIUM_NUMBER = 1,
  TG_REASON_HIGH_RISK_COUNTRY = 2,
  TG_REASON_INTL_NETWORK = 3,
  TG_REASON_UNKNOWN_RANGE = 4,
  TG_REASON_HIGH_RATE = 5,
  TG_REASON_OFF_HOURS = 6,
  TG_REASON_NIGHT = 7,
  TG_REASON_WEEKEND = 8,
  TG_REASON_HOLIDAY = 9,
  TG_REASON_RATE_1M = 10,
  TG_REASON_RATE_10M = 11,
  TG_REASON_RATE_1H = 12,
  TG_REASON_RATE_24H = 13,
  TG_REASON_INTL_RATE = 14,
  TG_REASON_HIGH_RISK_RATE = 15,
  TG_REASON_CONCURRENCY = 16,
  TG_REASON_SPEND_HOUR = 17,
  TG_REASON_SPEND_DAY = 18,
  TG_REASON_SWEEP = 19,
  TG_REASON_RANGE_FANOUT = 20,
  TG_REASON_REPEAT_NUMBER = 21,
  TG_REASON_NEW_DESTINATION = 22,
  TG_REASON_NEW_COUNTRY = 23,
  TG_REASON_NEW_ACCOUNT = 24,
  TG_REASON_UNUSUAL_VOLUME = 25,
  TG_REASON_ALLOW_LIST = 26,
  TG_REASON_SHADOW_MODE = 27,
  TG_REASON_COUNT = 28
};

#define TG_MAX_DIALED_LEN 256
#define TG_MAX_ACCOUNT_LEN 256

typedef struct tg_engine_options {
  uint32_t struct_size;
  const char* policy_path;
  const char* home_country;
  const char* timezone;
  const char* state_path;
  uint32_t max_accounts;
  uint32_t max_live_calls;
} tg_engine_options;
#define TG_ENGINE_OPTIONS_INIT {sizeof(tg_engine_options), NULL, NULL, NULL, NULL, 0, 0}
#define TG_ENGINE_OPTIONS_V1_SIZE 48u

typedef struct tg_error {
  uint32_t struct_size;
  int32_t code;
  uint32_t line;
  uint32_t column;
  char message[256];
} tg_error;
#define TG_ERROR_INIT {sizeof(tg_error), 0, 0, 0, {0}}
#define TG_ERROR_V1_SIZE 272u

typedef struct tg_call {
  uint32_t struct_size;
  tg_str account;
  tg_str dialed;
  int64_t start_unix_ms;
  uint64_t call_id;
} tg_call;
#define TG_CALL_INIT {sizeof(tg_call), {NULL, 0}, {NULL, 0}, 0, 0}
#define TG_CALL_V1_SIZE 56u

typedef struct tg_decision {
  uint32_t struct_size;
  int32_t action;
  int32_t score;
  int32_t top_reason;
  uint64_t reasons;
  char e164[16];
  char country[4];
  int32_t number_type;
  int32_t risk_tier;
  int32_t max_duration_s;
  int64_t rate_micros;
} tg_decision;
#define TG_DECISION_INIT {sizeof(tg_decision), 0, 0, -1, 0, {0}, {0}, TG_NUMBER_UNKNOWN, 0, 0, 0}
#define TG_DECISION_V1_SIZE 64u

TG_API tg_status tg_engine_create(const tg_engine_options* options, tg_engine** out, tg_error* err);
TG_API void tg_engine_destroy(tg_engine* engine);
TG_API tg_status tg_engine_score(const tg_engine* engine, const tg_call* call, tg_decision* out);
TG_API tg_status tg_call_begin(tg_engine* engine, const tg_call* call, tg_decision* out);
TG_API tg_status tg_call_end(tg_engine* engine, uint64_t call_id, int64_t end_unix_ms, int32_t billed_seconds);
TG_API tg_status tg_engine_reload(tg_engine* engine, const char* policy_path, tg_error* err);
TG_API tg_status tg_engine_save_state(tg_engine* engine, const char* path, tg_error* err);

typedef struct tg_engine_stats {
  uint32_t struct_size;
  uint32_t reserved;
  uint64_t accounts;
  uint64_t live_calls;
  uint64_t decisions;
  uint64_t blocked;
  uint64_t alerted;
  uint64_t evicted;
  uint64_t prefixes;
  uint64_t policy_version;
  uint64_t memory_bytes;
} tg_engine_stats;
#define TG_ENGINE_STATS_INIT {sizeof(tg_engine_stats), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
TG_API tg_status tg_engine_get_stats(const tg_engine* engine, tg_engine_stats* out);

TG_API const char* tg_status_string(tg_status status);
TG_API const char* tg_reason_name(int bit);
TG_API const char* tg_number_type_name(int32_t number_type);
TG_API const char* tg_action_name(int32_t action);
TG_API uint32_t tg_version_number(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TOLLGUARD_TOLLGUARD_H_ */
