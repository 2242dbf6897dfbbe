/* A stand-in libtollguard.so.1 built against the deliberately broken header (tests/abi/broken): the same
 * exported functions, the same SONAME and symbol version, no behaviour. Never run; only abidiff reads it,
 * to prove that the ABI gate catches a field inserted in the middle of a public struct (docs/ABI.md). */
#include "tollguard/tollguard.h"

tg_status tg_engine_create(const tg_engine_options* options, tg_engine** out, tg_error* err) {
  (void)options;
  (void)err;
  *out = 0;
  return TG_E_INTERNAL;
}
void tg_engine_destroy(tg_engine* engine) { (void)engine; }
tg_status tg_engine_score(const tg_engine* engine, const tg_call* call, tg_decision* out) {
  (void)engine;
  (void)call;
  out->confidence = 0;
  return TG_E_INTERNAL;
}
tg_status tg_call_begin(tg_engine* engine, const tg_call* call, tg_decision* out) {
  return tg_engine_score(engine, call, out);
}
tg_status tg_call_end(tg_engine* engine, uint64_t call_id, int64_t end_unix_ms, int32_t billed_seconds) {
  (void)engine;
  (void)call_id;
  (void)end_unix_ms;
  (void)billed_seconds;
  return TG_E_INTERNAL;
}
tg_status tg_engine_reload(tg_engine* engine, const char* policy_path, tg_error* err) {
  (void)engine;
  (void)policy_path;
  (void)err;
  return TG_E_INTERNAL;
}
tg_status tg_engine_save_state(tg_engine* engine, const char* path, tg_error* err) {
  (void)engine;
  (void)path;
  (void)err;
  return TG_E_INTERNAL;
}
tg_status tg_engine_get_stats(const tg_engine* engine, tg_engine_stats* out) {
  (void)engine;
  (void)out;
  return TG_E_INTERNAL;
}
const char* tg_status_string(tg_status status) { return status == TG_OK ? "ok" : "error"; }
const char* tg_reason_name(int bit) { return bit == 0 ? "deny_list" : 0; }
const char* tg_number_type_name(int32_t number_type) { return number_type == 0 ? "FIXED_LINE" : "UNKNOWN"; }
const char* tg_action_name(int32_t action) { return action == 0 ? "allow" : 0; }
uint32_t tg_version_number(void) { return TG_VERSION_NUMBER; }
