/* C11 test of the public header and library: layouts pinned with _Static_assert, the main calls, and the
 * versioned-struct rules, from plain C as a firmware engineer would call them. Prints "N passed, N failed". */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollguard/tollguard.h"

/* Layouts of version 1: these never change (docs/ABI.md). */
_Static_assert(sizeof(tg_str) == 16, "tg_str");
_Static_assert(offsetof(tg_engine_options, policy_path) == 8, "options.policy_path");
_Static_assert(offsetof(tg_engine_options, state_path) == 32, "options.state_path");
_Static_assert(offsetof(tg_engine_options, max_accounts) == 40, "options.max_accounts");
_Static_assert(sizeof(tg_engine_options) == TG_ENGINE_OPTIONS_V1_SIZE, "tg_engine_options");
_Static_assert(sizeof(tg_error) == TG_ERROR_V1_SIZE, "tg_error");
_Static_assert(offsetof(tg_error, message) == 16, "tg_error.message");
_Static_assert(offsetof(tg_call, account) == 8, "call.account");
_Static_assert(offsetof(tg_call, dialed) == 24, "call.dialed");
_Static_assert(offsetof(tg_call, start_unix_ms) == 40, "call.start_unix_ms");
_Static_assert(offsetof(tg_call, call_id) == 48, "call.call_id");
_Static_assert(offsetof(tg_call, tenant) == 56, "call.tenant");
_Static_assert(sizeof(tg_call) == TG_CALL_V1_SIZE, "tg_call");
_Static_assert(offsetof(tg_decision, reasons) == 16, "decision.reasons");
_Static_assert(offsetof(tg_decision, e164) == 24, "decision.e164");
_Static_assert(offsetof(tg_decision, country) == 40, "decision.country");
_Static_assert(offsetof(tg_decision, number_type) == 44, "decision.number_type");
_Static_assert(offsetof(tg_decision, rate_micros) == 56, "decision.rate_micros");
_Static_assert(sizeof(tg_decision) == TG_DECISION_V1_SIZE, "tg_decision");
_Static_assert(sizeof(tg_engine_stats) == 80, "tg_engine_stats");

static int passed, failed;
#define CHECK(cond)                                                        \
  do {                                                                     \
    if (cond) {                                                            \
      ++passed;                                                            \
    } else {                                                               \
      ++failed;                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

static tg_call make_call(const char* account, const char* dialed, int64_t ms, uint64_t id) {
  tg_call c = TG_CALL_INIT;
  c.account.data = account;
  c.account.len = strlen(account);
  c.dialed.data = dialed;
  c.dialed.len = strlen(dialed);
  c.start_unix_ms = ms;
  c.call_id = id;
  return c;
}

int main(int argc, char** argv) {
  const int64_t weekday_10_jst = 1795482000000LL; /* 2026-11-24 (Tue) 10:00 Asia/Tokyo */
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  tg_engine* e = NULL;
  tg_error err = TG_ERROR_INIT;
  (void)argc;
  (void)argv;

  CHECK(tg_version_number() == TG_VERSION_NUMBER);
  CHECK(strcmp(tg_status_string(TG_OK), "ok") == 0);
  CHECK(tg_status_string(12345) != NULL);
  CHECK(strcmp(tg_reason_name(TG_REASON_NIGHT), "night") == 0);
  CHECK(tg_reason_name(-1) == NULL && tg_reason_name(TG_REASON_COUNT) == NULL);
  CHECK(strcmp(tg_action_name(TG_ACTION_BLOCK), "block") == 0);

  o.home_country = "JP";
  o.timezone = "Asia/Tokyo";
  CHECK(tg_engine_create(&o, &e, &err) == TG_OK && e != NULL);
  if (e == NULL) return 1;

  {
    /* Sapporo, dialed nationally, is domestic: allowed with the destination filled. */
    tg_call c = make_call("acme", "011-123-4567", weekday_10_jst, 1);
    tg_decision d = TG_DECISION_INIT;
    CHECK(tg_call_begin(e, &c, &d) == TG_OK);
    CHECK(strcmp(d.e164, "81111234567") == 0);
    CHECK(strcmp(d.country, "JP") == 0);
    CHECK(d.number_type == TG_NUMBER_FIXED_LINE);
    CHECK(d.action == TG_ACTION_ALLOW);
    CHECK(tg_call_end(e, 1, weekday_10_jst + 60000, 55) == TG_OK);
    CHECK(tg_call_end(e, 1, weekday_10_jst + 60000, 55) == TG_E_UNKNOWN_CALL);
  }
  {
    /* A premium number abroad scores high and names the reason. */
    tg_call c = make_call("acme", "+44 909 879 0000", weekday_10_jst, 2);
    tg_decision d = TG_DECISION_INIT;
    CHECK(tg_engine_score(e, &c, &d) == TG_OK);
    CHECK(d.number_type == TG_NUMBER_PREMIUM_RATE);
    CHECK((d.reasons >> TG_REASON_PREMIUM_NUMBER) & 1u);
    CHECK(d.action != TG_ACTION_ALLOW);
  }
  {
    /* Versioned structs: too small, unknown non-zero tail, zero tail accepted. */
    struct {
      tg_call call;
      uint64_t future_field;
    } bigger;
    tg_decision d = TG_DECISION_INIT;
    tg_call c = make_call("acme", "0312345678", weekday_10_jst, 0);
    c.struct_size = 8;
    CHECK(tg_engine_score(e, &c, &d) == TG_E_STRUCT_SIZE);
    memset(&bigger, 0, sizeof bigger);
    bigger.call = make_call("acme", "0312345678", weekday_10_jst, 0);
    bigger.call.struct_size = (uint32_t)sizeof bigger;
    CHECK(tg_engine_score(e, &bigger.call, &d) == TG_OK);
    bigger.future_field = 7;
    CHECK(tg_engine_score(e, &bigger.call, &d) == TG_E_STRUCT_TAIL);
  }
  {
    /* An old caller's smaller decision struct is never written past its size. */
    unsigned char buf[sizeof(tg_decision) + 16];
    tg_decision* d = (tg_decision*)(void*)buf;
    tg_call c = make_call("acme", "0312345678", weekday_10_jst, 0);
    memset(buf, 0xAB, sizeof buf);
    d->struct_size = (uint32_t)sizeof(tg_decision);
    CHECK(tg_engine_score(e, &c, d) == TG_OK);
    CHECK(buf[sizeof(tg_decision)] == 0xAB && buf[sizeof buf - 1] == 0xAB);
  }
  {
    /* Garbage numbers get distinct statuses; NULL arguments are rejected. */
    tg_decision d = TG_DECISION_INIT;
    tg_call c = make_call("acme", "hello", weekday_10_jst, 0);
    CHECK(tg_engine_score(e, &c, &d) == TG_E_NUMBER_CHARS);
    c = make_call("acme", "+9991234567", weekday_10_jst, 0);
    CHECK(tg_engine_score(e, &c, &d) == TG_E_NUMBER_COUNTRY);
    c = make_call("acme", "+1234567890123456", weekday_10_jst, 0);
    CHECK(tg_engine_score(e, &c, &d) == TG_E_NUMBER_TOO_LONG);
    CHECK(tg_engine_score(NULL, &c, &d) == TG_E_INVALID_ARGUMENT);
    CHECK(tg_engine_score(e, NULL, &d) == TG_E_INVALID_ARGUMENT);
    CHECK(tg_engine_score(e, &c, NULL) == TG_E_INVALID_ARGUMENT);
    CHECK(tg_call_end(NULL, 1, 0, 0) == TG_E_INVALID_ARGUMENT);
  }
  {
    /* A broken policy on reload: error with line and column, the old policy keeps working. */
    const char* path = "c_api_c11_broken.textproto";
    FILE* f = fopen(path, "w");
    tg_decision d = TG_DECISION_INIT;
    tg_call c = make_call("acme", "0312345678", weekday_10_jst, 0);
    CHECK(f != NULL);
    if (f) {
      fputs("name: \"x\"\nprofiles {\n  name: \"default\"\n  alert_score: \"high\"\n}\n", f);
      fclose(f);
    }
    CHECK(tg_engine_reload(e, path, &err) == TG_E_POLICY);
    CHECK(err.line == 4);
    CHECK(err.column > 0);
    CHECK(strstr(err.message, path) != NULL);
    CHECK(tg_engine_score(e, &c, &d) == TG_OK && strcmp(d.e164, "81312345678") == 0);
    remove(path);
  }
  {
    tg_engine_stats s = TG_ENGINE_STATS_INIT;
    CHECK(tg_engine_get_stats(e, &s) == TG_OK);
    CHECK(s.accounts == 1);
    CHECK(s.live_calls == 0);
    CHECK(s.prefixes > 10000);
  }
  tg_engine_destroy(e);
  tg_engine_destroy(NULL);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
