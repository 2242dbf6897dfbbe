// The only extern "C" code of tollguard: checks and copies the versioned structs, converts C++ results to
// tg_status, and keeps every exception inside the library.
// Thread-safety: as documented per function in include/tollguard/tollguard.h.
#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>

#include "lib/engine/engine.h"
#include "tollguard/tollguard.h"

struct tg_engine {
  std::unique_ptr<tollguard::engine::Engine> impl;
};

namespace {

constexpr uint32_t kMaxStructSize = 4096;

// Copies a caller's versioned struct into a zeroed local of this library's version (Linux
// copy_struct_from_user rules).
template <typename T>
tg_status CopyIn(const T* in, size_t min_size, T* out) {
  if (in == nullptr) return TG_E_INVALID_ARGUMENT;
  const uint32_t size = in->struct_size;
  if (size < min_size || size > kMaxStructSize) return TG_E_STRUCT_SIZE;
  std::memset(static_cast<void*>(out), 0, sizeof(T));
  if (size > sizeof(T)) {
    const unsigned char* tail = reinterpret_cast<const unsigned char*>(in) + sizeof(T);
    for (size_t i = 0; i < size - sizeof(T); ++i) {
      if (tail[i] != 0) return TG_E_STRUCT_TAIL;
    }
    std::memcpy(static_cast<void*>(out), in, sizeof(T));
  } else {
    std::memcpy(static_cast<void*>(out), in, size);
  }
  return TG_OK;
}

constexpr size_t kOptionsV1 = offsetof(tg_engine_options, state_path) + sizeof(const char*);
constexpr size_t kCallV1 = TG_CALL_MIN_SIZE;  // the layout without `tenant`
constexpr size_t kDecisionV1 = offsetof(tg_decision, rate_micros) + sizeof(int64_t);
constexpr size_t kErrorV1 = sizeof(tg_error);
constexpr size_t kStatsV1 = sizeof(tg_engine_stats);

void SetError(tg_error* err, tg_status code, uint32_t line, uint32_t column, const std::string& message) {
  if (err == nullptr || err->struct_size < kErrorV1) return;
  err->code = code;
  err->line = line;
  err->column = column;
  const size_t n = std::min(message.size(), sizeof(err->message) - 1);
  std::memcpy(err->message, message.data(), n);
  err->message[n] = '\0';
}

void SetError(tg_error* err, const tollguard::engine::EngineError& e) { SetError(err, e.code, e.line, e.column, e.message); }

void ClearError(tg_error* err) {
  if (err == nullptr || err->struct_size < kErrorV1) return;
  err->code = TG_OK;
  err->line = err->column = 0;
  err->message[0] = '\0';
}

tg_status CheckStr(const tg_str& s, size_t max_len) {
  if (s.data == nullptr && s.len != 0) return TG_E_INVALID_ARGUMENT;
  if (s.len > max_len) return TG_E_INVALID_ARGUMENT;
  return TG_OK;
}

// Validates call + decision and runs fn(account, dialed, start_ms, call_id, tenant, decision), then makes
// sure nothing is written past the caller's struct_size. A caller built with this header (the usual case)
// is read and written in place; an older or newer layout goes through zeroed local copies.
template <typename Fn>
tg_status WithCall(const tg_call* call, tg_decision* out, Fn fn) {
  if (out == nullptr) return TG_E_INVALID_ARGUMENT;
  const uint32_t caller_size = out->struct_size;
  if (caller_size < kDecisionV1 || caller_size > kMaxStructSize) return TG_E_STRUCT_SIZE;
  if (call == nullptr) return TG_E_INVALID_ARGUMENT;
  tg_call local_call;
  const tg_call* c = call;
  if (call->struct_size != sizeof(tg_call)) {
    const tg_status st = CopyIn(call, kCallV1, &local_call);
    if (st != TG_OK) return st;
    c = &local_call;
  }
  if (CheckStr(c->account, TG_MAX_ACCOUNT_LEN) != TG_OK || c->account.len == 0) return TG_E_ACCOUNT;
  if (c->dialed.data == nullptr && c->dialed.len != 0) return TG_E_INVALID_ARGUMENT;
  // An over-long dialed string is decided like any malformed number (the normalizer reports it).
  if (CheckStr(c->tenant, TG_MAX_ACCOUNT_LEN) != TG_OK) return TG_E_ACCOUNT;
  tg_decision local_decision;
  tg_decision* d = caller_size >= sizeof(tg_decision) ? out : &local_decision;
  *d = TG_DECISION_INIT;
  const tg_status st =
      fn(std::string_view(c->account.data ? c->account.data : "", c->account.len),
         std::string_view(c->dialed.data ? c->dialed.data : "", c->dialed.len), c->start_unix_ms, c->call_id,
         std::string_view(c->tenant.data ? c->tenant.data : "", c->tenant.len), d);
  if (d != out) std::memcpy(static_cast<void*>(out), d, caller_size);  // caller_size < sizeof(*d) here
  out->struct_size = caller_size;
  return st;
}

}  // namespace

#define TG_API_BEGIN try {
#define TG_API_END                      \
  }                                     \
  catch (const std::bad_alloc&) {       \
    return TG_E_NO_MEMORY;              \
  }                                     \
  catch (...) {                         \
    return TG_E_INTERNAL;               \
  }

extern "C" {

tg_status tg_engine_create(const tg_engine_options* options, tg_engine** out, tg_error* err) {
  TG_API_BEGIN
  if (out == nullptr) return TG_E_INVALID_ARGUMENT;
  *out = nullptr;
  ClearError(err);
  tg_engine_options o;
  tg_status st = CopyIn(options, kOptionsV1, &o);
  if (st != TG_OK) {
    SetError(err, st, 0, 0, st == TG_E_INVALID_ARGUMENT ? "options is NULL" : "options: struct_size or unknown fields");
    return st;
  }
  tollguard::engine::EngineOptions eo;
  if (o.policy_path) eo.policy_path = o.policy_path;
  if (o.home_country) eo.home_country = o.home_country;
  if (o.timezone) eo.timezone = o.timezone;
  if (o.state_path) eo.state_path = o.state_path;
  eo.max_accounts = o.max_accounts;
  eo.max_live_calls = o.max_live_calls;
  tollguard::engine::EngineError e, warning;
  auto engine = tollguard::engine::Engine::Create(eo, &e, &warning);
  if (!engine) {
    SetError(err, e);
    return e.code;
  }
  // A state file that could not be used is worth reporting even though the engine starts.
  if (warning.code != TG_OK) SetError(err, warning);
  *out = new tg_engine{std::move(engine)};
  return TG_OK;
  TG_API_END
}

void tg_engine_destroy(tg_engine* engine) {
  try {
    delete engine;
  } catch (...) {
  }
}

tg_status tg_engine_score(const tg_engine* engine, const tg_call* call, tg_decision* out) {
  TG_API_BEGIN
  if (engine == nullptr) return TG_E_INVALID_ARGUMENT;
  return WithCall(call, out, [&](std::string_view a, std::string_view d, int64_t t, uint64_t, std::string_view ten,
                                 tg_decision* dec) { return engine->impl->Score(a, d, t, ten, dec); });
  TG_API_END
}

tg_status tg_engine_prefetch(const tg_engine* engine, const tg_call* call) {
  TG_API_BEGIN
  if (engine == nullptr) return TG_E_INVALID_ARGUMENT;
  tg_call c;
  const tg_status st = CopyIn(call, kCallV1, &c);
  if (st != TG_OK) return st;
  if (CheckStr(c.account, TG_MAX_ACCOUNT_LEN) != TG_OK || c.account.len == 0) return TG_E_ACCOUNT;
  if (c.dialed.data == nullptr && c.dialed.len != 0) return TG_E_INVALID_ARGUMENT;
  if (CheckStr(c.tenant, TG_MAX_ACCOUNT_LEN) != TG_OK) return TG_E_ACCOUNT;
  engine->impl->Prefetch(std::string_view(c.account.data, c.account.len),
                         std::string_view(c.dialed.data ? c.dialed.data : "", c.dialed.len), c.call_id,
                         std::string_view(c.tenant.data ? c.tenant.data : "", c.tenant.len));
  return TG_OK;
  TG_API_END
}

tg_status tg_call_begin(tg_engine* engine, const tg_call* call, tg_decision* out) {
  TG_API_BEGIN
  if (engine == nullptr) return TG_E_INVALID_ARGUMENT;
  return WithCall(call, out, [&](std::string_view a, std::string_view d, int64_t t, uint64_t id, std::string_view ten,
                                 tg_decision* dec) { return engine->impl->Begin(a, d, t, id, ten, dec); });
  TG_API_END
}

tg_status tg_call_end(tg_engine* engine, uint64_t call_id, int64_t end_unix_ms, int32_t billed_seconds) {
  TG_API_BEGIN
  if (engine == nullptr || call_id == 0) return TG_E_INVALID_ARGUMENT;
  return engine->impl->End(call_id, end_unix_ms, billed_seconds);
  TG_API_END
}

tg_status tg_engine_reload(tg_engine* engine, const char* policy_path, tg_error* err) {
  TG_API_BEGIN
  ClearError(err);
  if (engine == nullptr) return TG_E_INVALID_ARGUMENT;
  tollguard::engine::EngineError e;
  std::string path = policy_path ? policy_path : "";
  const tg_status st = engine->impl->Reload(policy_path ? &path : nullptr, &e);
  if (st != TG_OK) SetError(err, e);
  return st;
  TG_API_END
}

tg_status tg_engine_save_state(tg_engine* engine, const char* path, tg_error* err) {
  TG_API_BEGIN
  ClearError(err);
  if (engine == nullptr) return TG_E_INVALID_ARGUMENT;
  tollguard::engine::EngineError e;
  std::string p = path ? path : "";
  const tg_status st = engine->impl->SaveState(path ? &p : nullptr, &e);
  if (st != TG_OK) SetError(err, e);
  return st;
  TG_API_END
}

tg_status tg_engine_expire_calls(tg_engine* engine, int64_t older_than_unix_ms, uint64_t* expired) {
  TG_API_BEGIN
  if (engine == nullptr) return TG_E_INVALID_ARGUMENT;
  const uint64_t n = engine->impl->ExpireCalls(older_than_unix_ms);
  if (expired) *expired = n;
  return TG_OK;
  TG_API_END
}

tg_status tg_engine_get_stats(const tg_engine* engine, tg_engine_stats* out) {
  TG_API_BEGIN
  if (engine == nullptr || out == nullptr) return TG_E_INVALID_ARGUMENT;
  if (out->struct_size < kStatsV1 || out->struct_size > kMaxStructSize) return TG_E_STRUCT_SIZE;
  tg_engine_stats s = TG_ENGINE_STATS_INIT;
  engine->impl->GetStats(&s);
  const uint32_t caller_size = out->struct_size;
  std::memcpy(static_cast<void*>(out), &s, std::min<size_t>(caller_size, sizeof(s)));
  out->struct_size = caller_size;
  return TG_OK;
  TG_API_END
}

const char* tg_status_string(tg_status status) {
  switch (status) {
    case TG_OK: return "ok";
    case TG_E_INVALID_ARGUMENT: return "invalid argument";
    case TG_E_STRUCT_SIZE: return "struct_size is not valid for this struct";
    case TG_E_STRUCT_TAIL: return "struct has non-zero fields unknown to this library version";
    case TG_E_NUMBER_EMPTY: return "dialed number has no digits";
    case TG_E_NUMBER_CHARS: return "dialed number has characters that are not part of a number";
    case TG_E_NUMBER_TOO_LONG: return "dialed number is too long";
    case TG_E_NUMBER_COUNTRY: return "dialed number has no assigned country code";
    case TG_E_NUMBER_TOO_SHORT: return "dialed number is too short to be a subscriber number";
    case TG_E_POLICY: return "policy error";
    case TG_E_IO: return "input/output error";
    case TG_E_STATE_CORRUPT: return "state snapshot is corrupt";
    case TG_E_STATE_VERSION: return "state snapshot is from an incompatible version";
    case TG_E_UNKNOWN_CALL: return "call id is not live";
    case TG_E_TIME: return "time out of range";
    case TG_E_CAPACITY: return "capacity exhausted";
    case TG_E_NO_MEMORY: return "out of memory";
    case TG_E_INTERNAL: return "internal error";
    case TG_E_ACCOUNT: return "account name is empty or too long";
    default: return "unknown status";
  }
}

const char* tg_reason_name(int bit) {
  static const char* const kNames[TG_REASON_COUNT] = {
      "deny_list",      "premium_number", "high_risk_country", "intl_network",   "unknown_range",
      "high_rate",      "off_hours",      "night",             "weekend",        "holiday",
      "rate_1m",        "rate_10m",       "rate_1h",           "rate_24h",       "intl_rate",
      "high_risk_rate", "concurrency",    "spend_hour",        "spend_day",      "sweep",
      "range_fanout",   "repeat_number",  "new_destination",   "new_country",    "new_account",
      "unusual_volume", "allow_list",     "shadow_mode",       "repeated_alerts"};
  if (bit < 0 || bit >= TG_REASON_COUNT) return nullptr;
  return kNames[bit];
}

const char* tg_number_type_name(int32_t t) {
  static const char* const kNames[] = {"FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE", "TOLL_FREE",
                                       "PREMIUM_RATE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER",
                                       "PAGER", "UAN", "VOICEMAIL"};
  if (t >= 0 && t <= 10) return kNames[t];
  return "UNKNOWN";
}

const char* tg_action_name(int32_t action) {
  switch (action) {
    case TG_ACTION_ALLOW: return "allow";
    case TG_ACTION_ALERT: return "alert";
    case TG_ACTION_BLOCK: return "block";
    default: return nullptr;
  }
}

uint32_t tg_version_number(void) { return TG_VERSION_NUMBER; }

}  // extern "C"
