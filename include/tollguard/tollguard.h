/* tollguard: per-call toll-fraud decisions for PBX and SBC call routing.
 *
 * The one public header. C99, no C++ types. ABI rules (docs/ABI.md):
 *   - every struct the caller passes starts with uint32_t struct_size, set by its TG_*_INIT macro;
 *   - fields are only ever appended; a zero field means "absent / old behaviour";
 *   - the library rejects a struct_size below the first version (TG_E_STRUCT_SIZE) and a larger struct whose
 *     unknown tail is not zero (TG_E_STRUCT_TAIL); it never writes past the caller's struct_size;
 *   - strings are pointer + length (tg_str) and need not be NUL-terminated;
 *   - signatures never change: a new behaviour gets a new function (_v2).
 * Thread-safety in one line: a tg_engine may be used from any number of threads at once, except
 * tg_engine_destroy, which must be the last call (docs/threading.md).
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

/* ---------------------------------------------------------------- basic types */

typedef struct tg_str {
  const char* data; /* may be NULL when len == 0 */
  size_t len;
} tg_str;

typedef struct tg_engine tg_engine; /* opaque */

typedef int32_t tg_status;

/* Status codes. Values are stable; new codes are appended. */
enum {
  TG_OK = 0,
  TG_E_INVALID_ARGUMENT = 1,  /* a NULL pointer or a value out of range */
  TG_E_STRUCT_SIZE = 2,       /* struct_size is 0 or below the first version of the struct */
  TG_E_STRUCT_TAIL = 3,       /* a newer caller's struct has non-zero fields this library does not know */
  TG_E_NUMBER_EMPTY = 4,      /* the dialed string has no digits */
  TG_E_NUMBER_CHARS = 5,      /* the dialed string has characters that are not part of a number */
  TG_E_NUMBER_TOO_LONG = 6,   /* more than 15 E.164 digits, or the input is over TG_MAX_DIALED_LEN */
  TG_E_NUMBER_COUNTRY = 7,    /* no assigned country code starts the number */
  TG_E_NUMBER_TOO_SHORT = 8,  /* too few digits after the country code to be a callable number */
  TG_E_POLICY = 9,            /* the policy could not be parsed or is inconsistent (see tg_error) */
  TG_E_IO = 10,               /* a file could not be read or written (see tg_error) */
  TG_E_STATE_CORRUPT = 11,    /* a state snapshot is truncated, corrupt or from another program */
  TG_E_STATE_VERSION = 12,    /* a state snapshot from an incompatible version */
  TG_E_UNKNOWN_CALL = 13,     /* tg_call_end for a call id that is not live (never begun, ended, or blocked) */
  TG_E_TIME = 14,             /* a time is absurd (before 2000, after 2200) or an end before its start */
  TG_E_CAPACITY = 15,         /* a configured capacity (live calls) is exhausted; the decision is still made */
  TG_E_NO_MEMORY = 16,
  TG_E_INTERNAL = 17,
  TG_E_ACCOUNT = 18           /* the account name is empty or longer than TG_MAX_ACCOUNT_LEN */
};

enum { TG_ACTION_ALLOW = 0, TG_ACTION_ALERT = 1, TG_ACTION_BLOCK = 2 };

/* Number types: libphonenumber's PhoneNumberType, same order. */
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

/* Reason bits of tg_decision.reasons (1ull << TG_REASON_*). tg_reason_name() names each. Appended only. */
enum {
  TG_REASON_DENY_LIST = 0,         /* the destination is on the policy's deny list */
  TG_REASON_PREMIUM_NUMBER = 1,    /* premium-rate, shared-cost or similar number type */
  TG_REASON_HIGH_RISK_COUNTRY = 2, /* a country on the high-risk list */
  TG_REASON_INTL_NETWORK = 3,      /* satellite / international networks (+881, +882, +883 ...) */
  TG_REASON_UNKNOWN_RANGE = 4,     /* no known number type for this range (unallocated or unlisted) */
  TG_REASON_HIGH_RATE = 5,         /* per-minute rate above the policy's threshold */
  TG_REASON_OFF_HOURS = 6,         /* outside the account's business hours */
  TG_REASON_NIGHT = 7,             /* night in the account's time zone */
  TG_REASON_WEEKEND = 8,
  TG_REASON_HOLIDAY = 9,           /* a public holiday of the home country, or a policy date */
  TG_REASON_RATE_1M = 10,          /* attempts in the last minute above the limit */
  TG_REASON_RATE_10M = 11,
  TG_REASON_RATE_1H = 12,
  TG_REASON_RATE_24H = 13,
  TG_REASON_INTL_RATE = 14,        /* international attempts per hour above the limit */
  TG_REASON_HIGH_RISK_RATE = 15,   /* high-risk attempts per hour above the limit */
  TG_REASON_CONCURRENCY = 16,      /* live calls above the limit */
  TG_REASON_SPEND_HOUR = 17,       /* spend plus live exposure in the last hour above the budget */
  TG_REASON_SPEND_DAY = 18,
  TG_REASON_SWEEP = 19,            /* consecutive numbers dialed in sequence */
  TG_REASON_RANGE_FANOUT = 20,     /* many distinct numbers in one range */
  TG_REASON_REPEAT_NUMBER = 21,    /* the same number again and again */
  TG_REASON_NEW_DESTINATION = 22,  /* a range this account has not called before */
  TG_REASON_NEW_COUNTRY = 23,      /* a country this account has not called before */
  TG_REASON_NEW_ACCOUNT = 24,      /* the account has little history */
  TG_REASON_UNUSUAL_VOLUME = 25,   /* more calls than usual at this hour of the week */
  TG_REASON_ALLOW_LIST = 26,       /* the destination is on the policy's allow list (not a risk) */
  TG_REASON_SHADOW_MODE = 27,      /* the profile is alert-only: a block was turned into an alert */
  TG_REASON_REPEATED_ALERTS = 28,  /* the account keeps raising alerts outside business hours */
  TG_REASON_COUNT = 29             /* the number of reason bits of this header version (grows) */
};

/* ---------------------------------------------------------------- structs */

#define TG_MAX_DIALED_LEN 256  /* longer dialed strings are TG_E_NUMBER_TOO_LONG */
#define TG_MAX_ACCOUNT_LEN 256 /* longer account names are TG_E_ACCOUNT */

typedef struct tg_engine_options {
  uint32_t struct_size;
  const char* policy_path;  /* NULL: the embedded default policy */
  const char* home_country; /* ISO 3166 alpha-2 of the dial plan, e.g. "JP"; NULL: the policy's */
  const char* timezone;     /* IANA zone for accounts without one, e.g. "Asia/Tokyo"; NULL: the policy's */
  const char* state_path;   /* NULL: no persistence; loaded at create when the file exists */
  uint32_t max_accounts;    /* 0: the policy's limits.max_accounts */
  uint32_t max_live_calls;  /* 0: the policy's limits.max_live_calls */
} tg_engine_options;
#define TG_ENGINE_OPTIONS_INIT {sizeof(tg_engine_options), NULL, NULL, NULL, NULL, 0, 0}
#define TG_ENGINE_OPTIONS_V1_SIZE 48u

typedef struct tg_error {
  uint32_t struct_size;
  int32_t code;      /* a tg_status */
  uint32_t line;     /* 1-based; 0 when not about a place in a file */
  uint32_t column;   /* 1-based; 0 when not about a place in a file */
  char message[256]; /* NUL-terminated, names the file when there is one */
} tg_error;
#define TG_ERROR_INIT {sizeof(tg_error), 0, 0, 0, {0}}
#define TG_ERROR_V1_SIZE 272u

typedef struct tg_call {
  uint32_t struct_size;
  tg_str account;        /* whose history and limits apply: tenant, trunk or extension */
  tg_str dialed;         /* as dialed ("010 53 5 1234567", "+1-876-...", "011..."), or a sip:/tel: URI */
  int64_t start_unix_ms; /* when the call is set up; 0: now */
  uint64_t call_id;      /* the caller's id for tg_call_end; 0: not tracked (no live call, no spend) */
  tg_str tenant;         /* optional: the tenant the account belongs to, whose history also counts (a
                            destination the tenant knows is not new for its extensions). Empty: derived
                            from the account name by the policy's tenant_separator ("acme-101" -> "acme") */
} tg_call;
#define TG_CALL_INIT {sizeof(tg_call), {NULL, 0}, {NULL, 0}, 0, 0, {NULL, 0}}
#define TG_CALL_V1_SIZE 72u
#define TG_CALL_MIN_SIZE 56u /* callers built without `tenant` are accepted */

typedef struct tg_decision {
  uint32_t struct_size;
  int32_t action;         /* TG_ACTION_* */
  int32_t score;          /* 0..1000 */
  int32_t top_reason;     /* TG_REASON_* that weighed most; -1 when none fired */
  uint64_t reasons;       /* bit (1ull << TG_REASON_*) for every reason that fired */
  char e164[16];          /* normalized destination digits without '+', NUL-terminated */
  char country[4];        /* ISO 3166 alpha-2; "001" for non-geographic codes; "" unknown */
  int32_t number_type;    /* TG_NUMBER_* */
  int32_t risk_tier;      /* 0 low .. 3 highest */
  int32_t max_duration_s; /* 0: no cap */
  int64_t rate_micros;    /* per-minute rate in millionths of the currency unit; 0 unknown */
} tg_decision;
#define TG_DECISION_INIT {sizeof(tg_decision), 0, 0, -1, 0, {0}, {0}, TG_NUMBER_UNKNOWN, 0, 0, 0}
#define TG_DECISION_V1_SIZE 64u

/* ---------------------------------------------------------------- functions */

/* Creates an engine: loads the policy (or the embedded default), its tables, and the state snapshot.
 * A missing state file is not an error; a corrupt one is reported in *err and the engine starts empty,
 * unless the policy says state.fail_closed, in which case creation fails with TG_E_STATE_CORRUPT.
 * Thread-safety: any thread. Allocates: yes (tables, account store). Returns: TG_OK and *out, or a status
 * with *out == NULL and *err filled (err may be NULL). */
TG_API tg_status tg_engine_create(const tg_engine_options* options, tg_engine** out, tg_error* err);

/* Destroys an engine. NULL is a no-op. Thread-safety: no other call on this engine may be running or
 * follow. Allocates: no. */
TG_API void tg_engine_destroy(tg_engine* engine);

/* Decides a call without recording anything. Thread-safety: any number of threads. Allocates: no.
 * Returns: TG_OK with *out filled; a TG_E_NUMBER_* status with *out's destination fields empty and
 * action/score from the policy's treatment of invalid numbers; TG_E_INVALID_ARGUMENT etc. */
TG_API tg_status tg_engine_score(const tg_engine* engine, const tg_call* call, tg_decision* out);

/* Optional hint for callers that read a call before they route it (an SBC parsing the INVITE, then
 * authenticating and looking up routes): starts loading the memory that tg_call_begin / tg_engine_score
 * of the same call will read -- the account's (and its tenant's) state, the destination's table slots and,
 * with a call_id, the live-call slot -- so that the decision later finds it in cache. Changes nothing;
 * never waits on a lock; costs about one normalization. Calling it right before the decision gains
 * nothing; docs/PERFORMANCE.md has the measure.
 * Thread-safety: any number of threads. Allocates: no. Returns: TG_OK; TG_E_INVALID_ARGUMENT for a NULL
 * engine or call; TG_E_STRUCT_SIZE / TG_E_ACCOUNT as tg_call_begin would. A malformed number is not an
 * error here (tg_call_begin reports it). */
TG_API tg_status tg_engine_prefetch(const tg_engine* engine, const tg_call* call);

/* Decides a call and records the attempt in the account's history. When the action is not BLOCK and
 * call_id != 0 the call becomes live until tg_call_end; a blocked attempt counts as evidence only.
 * Thread-safety: any number of threads. Allocates: no (the account store is preallocated).
 * Returns: as tg_engine_score; TG_E_CAPACITY when the live-call table is full (the decision is still in *out). */
TG_API tg_status tg_call_begin(tg_engine* engine, const tg_call* call, tg_decision* out);

/* Ends a live call: releases its concurrency slot and books billed_seconds at its rate.
 * end_unix_ms 0: now. Thread-safety: any number of threads. Allocates: no.
 * Returns: TG_OK; TG_E_UNKNOWN_CALL for an id that is not live; TG_E_TIME for an end before the start or a
 * billed time longer than the call (the call is still ended, billing clamped). */
TG_API tg_status tg_call_end(tg_engine* engine, uint64_t call_id, int64_t end_unix_ms, int32_t billed_seconds);

/* Replaces the policy with the one at policy_path (NULL: reload the current path, or the embedded default).
 * Account state and live calls are kept. On error the old policy stays in force and *err says where.
 * Thread-safety: any thread; deciding threads never wait for it. Allocates: yes. */
TG_API tg_status tg_engine_reload(tg_engine* engine, const char* policy_path, tg_error* err);

/* Writes the account state and live calls to path (NULL: the options' state_path) crash-safely:
 * a temporary file in the same folder, fsync, rename, fsync of the folder. The previous snapshot stays
 * intact on any failure. Thread-safety: any thread; deciding threads keep running. Allocates: yes. */
TG_API tg_status tg_engine_save_state(tg_engine* engine, const char* path, tg_error* err);

/* Ends, without billing, every live call that began before older_than_unix_ms (0: now minus the policy's
 * limits.max_call_hours): calls whose end was lost (a crash or restart of the host). Their concurrency and
 * exposure are released. The engine also does this itself at create and at each tg_engine_save_state.
 * *expired (may be NULL) gets the count. Thread-safety: any thread. Allocates: yes (a list of the calls). */
TG_API tg_status tg_engine_expire_calls(tg_engine* engine, int64_t older_than_unix_ms, uint64_t* expired);

/* Counters for monitoring. Thread-safety: any thread. Allocates: no. */
typedef struct tg_engine_stats {
  uint32_t struct_size;
  uint32_t reserved;
  uint64_t accounts;        /* accounts in the store */
  uint64_t live_calls;      /* calls begun and not ended */
  uint64_t decisions;       /* tg_call_begin calls */
  uint64_t blocked;         /* BLOCK decisions of tg_call_begin */
  uint64_t alerted;         /* ALERT decisions of tg_call_begin */
  uint64_t evicted;         /* accounts evicted to stay under max_accounts */
  uint64_t prefixes;        /* entries in the destination table */
  uint64_t policy_version;  /* incremented by each successful reload */
  uint64_t memory_bytes;    /* bytes held by the table and the account store */
} tg_engine_stats;
#define TG_ENGINE_STATS_INIT {sizeof(tg_engine_stats), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
TG_API tg_status tg_engine_get_stats(const tg_engine* engine, tg_engine_stats* out);

/* Static text for a status. Never NULL. Thread-safety: any. Allocates: no. */
TG_API const char* tg_status_string(tg_status status);

/* Static snake_case name of a reason bit ("high_risk_country"), or NULL for an unknown bit. */
TG_API const char* tg_reason_name(int bit);

/* Static name of a number type ("PREMIUM_RATE"), or "UNKNOWN". */
TG_API const char* tg_number_type_name(int32_t number_type);

/* Static name of an action: "allow", "alert", "block"; NULL for another value. */
TG_API const char* tg_action_name(int32_t action);

/* TG_VERSION_NUMBER of the library that is running (the header's may differ). */
TG_API uint32_t tg_version_number(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TOLLGUARD_TOLLGUARD_H_ */
