/* An old caller: compiled against tests/abi/old/tollguard/tollguard.h (a frozen copy of the 0.1.0 header,
 * before tg_call.tenant and TG_REASON_REPEATED_ALERTS were appended) and linked against the library of
 * today, as a vendor's binary built a year ago would run after an upgrade (docs/ABI.md).
 * Every struct it passes sits in front of bytes it does not own (0xA5): the library must not read them
 * (tg_call's tenant would be there) nor write them. Prints "old caller: N checks passed" or the failures. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tollguard/tollguard.h"

#if TG_VERSION_NUMBER != 100 || TG_CALL_V1_SIZE != 56
#error "old_caller_test.c must be compiled against tests/abi/old (the frozen 0.1.0 header)"
#endif
_Static_assert(TG_REASON_COUNT == 28 && sizeof(tg_call) == 56, "the frozen 0.1.0 header");

static int passed, failed;
#define CHECK(cond)                                                              \
  do {                                                                           \
    if (cond) {                                                                  \
      ++passed;                                                                  \
    } else {                                                                     \
      ++failed;                                                                  \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
    }                                                                            \
  } while (0)

#define GUARD 64
/* A struct of the old layout followed by GUARD bytes of 0xA5 that belong to someone else. */
#define GUARDED(type, name)   \
  union {                     \
    type s;                   \
    unsigned char b[sizeof(type) + GUARD]; \
  } name

static int guard_intact(const unsigned char* b, size_t size) {
  for (size_t i = size; i < size + GUARD; ++i) {
    if (b[i] != 0xA5) return 0;
  }
  return 1;
}

static const int64_t kWeekday10Jst = 1795482000000LL; /* 2026-11-24 (Tue) 10:00 Asia/Tokyo */

int main(void) {
  GUARDED(tg_engine_options, o);
  GUARDED(tg_error, err);
  tg_engine* e = NULL;
  memset(o.b, 0xA5, sizeof o.b);
  memset(err.b, 0xA5, sizeof err.b);
  {
    const tg_engine_options init = TG_ENGINE_OPTIONS_INIT;
    const tg_error einit = TG_ERROR_INIT;
    o.s = init;
    err.s = einit;
  }
  o.s.home_country = "JP";
  o.s.timezone = "Asia/Tokyo";
  CHECK(tg_version_number() >= TG_VERSION_NUMBER);
  CHECK(tg_engine_create(&o.s, &e, &err.s) == TG_OK && e != NULL);
  CHECK(guard_intact(err.b, sizeof err.s));
  if (e == NULL) return 1;

  {
    /* An old 56-byte tg_call: where today's header has `tenant`, this caller has 0xA5 garbage. */
    GUARDED(tg_call, c);
    GUARDED(tg_decision, d);
    const tg_call cinit = TG_CALL_INIT;
    const tg_decision dinit = TG_DECISION_INIT;
    memset(c.b, 0xA5, sizeof c.b);
    memset(d.b, 0xA5, sizeof d.b);
    c.s = cinit;
    c.s.account.data = "acme-101";
    c.s.account.len = 8;
    c.s.dialed.data = "010 44 20 7946 0000";
    c.s.dialed.len = strlen(c.s.dialed.data);
    c.s.start_unix_ms = kWeekday10Jst;
    c.s.call_id = 7;
    d.s = dinit;
    CHECK(c.s.struct_size == 56 && d.s.struct_size == 64);
    CHECK(tg_call_begin(e, &c.s, &d.s) == TG_OK);
    CHECK(d.s.struct_size == 64);
    CHECK(strcmp(d.s.e164, "442079460000") == 0 && strcmp(d.s.country, "GB") == 0);
    CHECK(d.s.score >= 0 && d.s.score <= 1000);
    CHECK(guard_intact(d.b, sizeof d.s));
    /* Reason bits this header does not know may be set: an old caller names them with tg_reason_name. */
    CHECK(d.s.top_reason >= -1 && d.s.top_reason < 64);
    for (int bit = 0; bit < 64; ++bit) {
      if ((d.s.reasons >> bit) & 1u) CHECK(tg_reason_name(bit) != NULL);
    }
    d.s = dinit;
    CHECK(tg_engine_score(e, &c.s, &d.s) == TG_OK && strcmp(d.s.e164, "442079460000") == 0);
    CHECK(guard_intact(d.b, sizeof d.s));
    if (d.s.action != TG_ACTION_BLOCK) CHECK(tg_call_end(e, 7, kWeekday10Jst + 60000, 50) == TG_OK);
  }
  {
    GUARDED(tg_engine_stats, s);
    const tg_engine_stats sinit = TG_ENGINE_STATS_INIT;
    memset(s.b, 0xA5, sizeof s.b);
    s.s = sinit;
    CHECK(tg_engine_get_stats(e, &s.s) == TG_OK);
    CHECK(s.s.struct_size == 80 && s.s.live_calls == 0 && s.s.decisions == 1 && s.s.prefixes > 10000);
    CHECK(guard_intact(s.b, sizeof s.s));
  }
  {
    /* An error filled by a failing call, not written past. */
    const tg_error einit = TG_ERROR_INIT;
    memset(err.b, 0xA5, sizeof err.b);
    err.s = einit;
    CHECK(tg_engine_reload(e, "/nonexistent/old-caller.textproto", &err.s) == TG_E_IO);
    CHECK(err.s.code == TG_E_IO && strstr(err.s.message, "/nonexistent/old-caller.textproto") != NULL);
    CHECK(guard_intact(err.b, sizeof err.s));
  }
  {
    /* Sizes below the first version are still refused. */
    tg_call c = TG_CALL_INIT;
    tg_decision d = TG_DECISION_INIT;
    c.account.data = "acme";
    c.account.len = 4;
    c.struct_size = 48;
    CHECK(tg_engine_score(e, &c, &d) == TG_E_STRUCT_SIZE);
    c.struct_size = sizeof c;
    d.struct_size = 60;
    CHECK(tg_engine_score(e, &c, &d) == TG_E_STRUCT_SIZE);
  }
  tg_engine_destroy(e);
  if (failed) {
    printf("old caller: %d checks failed, %d passed\n", failed, passed);
    return 1;
  }
  printf("old caller: %d checks passed against library %u\n", passed, tg_version_number());
  return 0;
}
