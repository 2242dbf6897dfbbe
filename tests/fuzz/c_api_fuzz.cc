// Fuzz harness: the public C API as a call sequence. Two engines, created once (JP, at most 128 accounts and
// 64 live calls, so that eviction and capacity are reached): engine 0 has the embedded default policy and
// its full destination table and is never reloaded; engine 1 has a small policy (no default table, a rate
// deck and overrides) and takes the reloads, which stay cheap that way. A stream of operations read from the
// input: begin / score / end / reload / stats, each on one of the engines, with accounts, dialed strings,
// tenants, times, call ids and struct sizes that are either ordinary or arbitrary bytes. A model tracks
// which calls are live on each engine.
// Invariants: every status is one the header documents for that function, and the expected one for bad
// arguments; decisions are in range (score 0..1000, e164 NUL-terminated digits, country NUL-terminated);
// argument errors leave the decision untouched; a dialed string over TG_MAX_DIALED_LEN is decided as
// TG_E_NUMBER_TOO_LONG; a call is live exactly when begin said so (OK, not BLOCK, id != 0), so
// tg_call_end answers OK/TIME for it and UNKNOWN_CALL otherwise, and tg_engine_get_stats' live_calls equals
// the model's count.
// At the end of each input every live call is ended (live_calls back to 0) and engine 1 gets its base
// policy back, so inputs are independent of each other except through account history.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "fuzz_util.h"
#include "tollguard/tollguard.h"

namespace {

constexpr int64_t kMinMs = 946684800000LL;   // 2000-01-01: earlier is TG_E_TIME
constexpr int64_t kMaxMs = 7258118400000LL;  // 2200-01-01: later is TG_E_TIME
constexpr int64_t kWeekday10Jst = 1795482000000LL;
constexpr uint32_t kMaxLive = 64;

tg_engine* g_engines[2] = {nullptr, nullptr};
std::string g_base;                   // engine 1's policy
std::vector<std::string> g_policies;  // its reload targets: good, broken, missing

const char* const kAccounts[] = {"acme", "hotel-12", "trunk/7", "a", "ext-201", "北海道"};
const char* const kDialed[] = {"0312345678",        "011-123-4567",      "010 44 20 7946 0000", "+44 909 879 0000",
                               "010 53 5 1234567",  "+8821612345678",    "110",                 "sip:+1876555012@x",
                               "tel:0312345678",    "001 010 1 212 555", "+999",                "",
                               "++81",              "0081312345678",     "010 1 212 555 0100",  "090-1234-5678"};

bool Documented(tg_status s) { return s >= TG_OK && s <= TG_E_ACCOUNT; }

bool IsNumberError(tg_status s) { return s >= TG_E_NUMBER_EMPTY && s <= TG_E_NUMBER_TOO_SHORT; }

size_t BoundedLen(const char* s, size_t cap) {
  size_t n = 0;
  while (n < cap && s[n] != 0) ++n;
  return n;
}

// A decision that was made (any status after the number was looked at).
void CheckDecision(tg_status st, const tg_decision& d) {
  TG_FUZZ_CHECK(d.struct_size == sizeof(tg_decision));
  TG_FUZZ_CHECK(d.score >= 0 && d.score <= 1000);
  TG_FUZZ_CHECK(tg_action_name(d.action) != nullptr);
  TG_FUZZ_CHECK(d.top_reason >= -1 && d.top_reason < TG_REASON_COUNT);
  TG_FUZZ_CHECK(d.top_reason < 0 || ((d.reasons >> d.top_reason) & 1));
  TG_FUZZ_CHECK((d.reasons >> TG_REASON_COUNT) == 0);
  TG_FUZZ_CHECK(d.risk_tier >= 0 && d.risk_tier <= 3);
  TG_FUZZ_CHECK(d.max_duration_s >= 0 && d.rate_micros >= 0);
  TG_FUZZ_CHECK(d.action != TG_ACTION_BLOCK || d.max_duration_s == 0);
  const size_t e = BoundedLen(d.e164, sizeof(d.e164));
  const size_t c = BoundedLen(d.country, sizeof(d.country));
  TG_FUZZ_CHECK(e < sizeof(d.e164) && c < sizeof(d.country));  // NUL-terminated
  TG_FUZZ_CHECK(tgfuzz::AllDigits(std::string_view(d.e164, e)));
  if (IsNumberError(st)) {
    TG_FUZZ_CHECK(e == 0 && c == 0 && d.number_type == TG_NUMBER_UNKNOWN && d.reasons == 0);
  } else {
    TG_FUZZ_CHECK(e >= 1 && e <= 15);
    TG_FUZZ_CHECK((d.number_type >= TG_NUMBER_FIXED_LINE && d.number_type <= TG_NUMBER_VOICEMAIL) ||
                  d.number_type == TG_NUMBER_UNKNOWN);
  }
}

struct Gen {
  tgfuzz::Bytes& in;
  std::string account, dialed, tenant;  // owned copies the tg_call points into

  int64_t Time() {
    switch (in.U8() % 8) {
      case 0: return 0;  // now
      case 1: return kMinMs - 1 + (in.U8() % 3);
      case 2: return kMaxMs - 1 + (in.U8() % 3);
      case 3: return in.Int<int64_t>();
      default: return kWeekday10Jst + static_cast<int64_t>(in.Int<int16_t>()) * 60000;
    }
  }
  uint64_t Id(const absl::flat_hash_set<uint64_t>& live) {
    switch (in.U8() % 6) {
      case 0: return 0;
      case 1: {  // a live one, when there is one
        if (live.empty()) return 1;
        size_t k = in.U8() % live.size();
        auto it = live.begin();
        while (k--) ++it;
        return *it;
      }
      case 2: return in.Int<uint64_t>();
      default: return 1 + in.U8() % 96;
    }
  }
  tg_call Call(const absl::flat_hash_set<uint64_t>& live) {
    tg_call c = TG_CALL_INIT;
    const uint8_t a = in.U8();
    account = a < 200 ? kAccounts[a % 6] : std::string(in.Str(255)) + (a & 1 ? std::string(in.U8(), 'x') : "");
    const uint8_t b = in.U8();
    dialed = b < 160 ? kDialed[b % 16] : std::string(in.Str(255)) + (b & 1 ? std::string(in.U8() / 4, '1') : "");
    c.account = {account.data(), account.size()};
    c.dialed = {dialed.data(), dialed.size()};
    c.start_unix_ms = Time();
    c.call_id = Id(live);
    const uint8_t t = in.U8();  // mostly no tenant (derived from the account name)
    tenant = t < 200 ? "" : t < 230 ? kAccounts[t % 6] : std::string(in.Str(255)) + (t & 1 ? std::string(in.U8(), 't') : "");
    c.tenant = {tenant.data(), tenant.size()};
    return c;
  }
};

// Expected status of the argument checks that come before any decision, or -1 when they pass. (A dialed
// string over TG_MAX_DIALED_LEN is decided like any malformed number: TG_E_NUMBER_TOO_LONG, see DoDecide.)
int ArgStatus(const tg_call& c, uint32_t call_size, bool tail_nonzero) {
  if (call_size < TG_CALL_MIN_SIZE || call_size > 4096) return TG_E_STRUCT_SIZE;
  if (call_size > sizeof(tg_call) && tail_nonzero) return TG_E_STRUCT_TAIL;
  if (c.account.len == 0 || c.account.len > TG_MAX_ACCOUNT_LEN) return TG_E_ACCOUNT;
  // The tenant counts only when the caller's struct holds all of it.
  const size_t tenant_len = call_size >= offsetof(tg_call, tenant) + sizeof(tg_str) ? c.tenant.len : 0;
  if (tenant_len > TG_MAX_ACCOUNT_LEN) return TG_E_ACCOUNT;
  if (c.start_unix_ms != 0 && (c.start_unix_ms < kMinMs || c.start_unix_ms > kMaxMs)) return TG_E_TIME;
  return -1;
}

void CheckLiveCount(tg_engine* engine, const absl::flat_hash_set<uint64_t>& live) {
  tg_engine_stats s = TG_ENGINE_STATS_INIT;
  TG_FUZZ_CHECK(tg_engine_get_stats(engine, &s) == TG_OK);
  if (s.live_calls != live.size()) {
    std::fprintf(stderr, "live_calls %llu, model %zu\n", static_cast<unsigned long long>(s.live_calls), live.size());
  }
  TG_FUZZ_CHECK(s.live_calls == live.size());
  TG_FUZZ_CHECK(s.accounts <= 128);
  TG_FUZZ_CHECK(s.blocked + s.alerted <= s.decisions);
}

void DoDecide(tg_engine* engine, Gen& g, absl::flat_hash_set<uint64_t>& live, bool begin) {
  tg_call c = g.Call(live);
  // The call struct as a caller of some version would pass it: mostly this version's.
  struct {
    tg_call call;
    uint64_t tail[4];
  } wide;
  std::memset(&wide, 0, sizeof(wide));
  wide.call = c;
  const uint8_t v = g.in.U8();
  uint32_t size = sizeof(tg_call);
  bool tail_nonzero = false;
  if (v >= 240) {  // an older (smaller) or newer (larger) caller, never larger than `wide`
    size = v % 2 ? static_cast<uint32_t>(g.in.U8() % (sizeof(wide) + 1)) : sizeof(wide);
    if (v % 4 >= 2) {
      const size_t k = g.in.U8() % 4;
      wide.tail[k] = 1;  // its first byte is non-zero
      tail_nonzero = sizeof(tg_call) + 8 * k < size;
    }
  }
  wide.call.struct_size = size;
  tg_decision d = TG_DECISION_INIT;
  // The two-phase hint first, now and then: it must accept or reject what begin would, and change nothing.
  if (g.in.U8() % 4 == 0) {
    const tg_status hint = tg_engine_prefetch(engine, &wide.call);
    TG_FUZZ_CHECK(Documented(hint));
  }
  const tg_status st = begin ? tg_call_begin(engine, &wide.call, &d) : tg_engine_score(engine, &wide.call, &d);
  TG_FUZZ_CHECK(Documented(st));
  const int pre = ArgStatus(c, size, tail_nonzero);
  if (pre >= 0) {
    if (st != pre) std::fprintf(stderr, "status %d, expected %d (call size %u)\n", st, pre, size);
    TG_FUZZ_CHECK(st == pre);
    if (pre != TG_E_TIME) {  // rejected before deciding: the decision is untouched
      const tg_decision init = TG_DECISION_INIT;
      if (std::memcmp(&d, &init, sizeof(d)) != 0) {
        std::fprintf(stderr, "status %d (%s) changed the decision: action %d score %d e164 '%.16s' country '%.4s' "
                     "reasons %llx (call size %u, account %zu bytes, dialed %zu bytes)\n", st, tg_status_string(st),
                     d.action, d.score, d.e164, d.country, static_cast<unsigned long long>(d.reasons), size,
                     c.account.len, c.dialed.len);
      }
      TG_FUZZ_CHECK(std::memcmp(&d, &init, sizeof(d)) == 0);
    }
    return;
  }
  CheckDecision(st, d);
  if (c.dialed.len > TG_MAX_DIALED_LEN) TG_FUZZ_CHECK(st == TG_E_NUMBER_TOO_LONG);
  if (!begin) {
    TG_FUZZ_CHECK(st == TG_OK || IsNumberError(st));
    return;
  }
  const bool blocked = d.action == TG_ACTION_BLOCK;
  if (IsNumberError(st)) return;  // never live
  if (c.call_id == 0 || blocked) {
    TG_FUZZ_CHECK(st == TG_OK);
    return;
  }
  if (live.contains(c.call_id)) {
    TG_FUZZ_CHECK(st == TG_E_INVALID_ARGUMENT);  // a duplicate id: decided, not made live twice
    return;
  }
  TG_FUZZ_CHECK(st == TG_OK || st == TG_E_CAPACITY);
  if (st == TG_E_CAPACITY) return;
  live.insert(c.call_id);
  TG_FUZZ_CHECK(live.size() <= kMaxLive);
}

void DoEnd(tg_engine* engine, Gen& g, absl::flat_hash_set<uint64_t>& live) {
  const uint64_t id = g.Id(live);
  const int64_t end = g.Time();
  const int32_t billed = g.in.Bool() ? g.in.Int<int32_t>() : g.in.U8();
  const tg_status st = tg_call_end(engine, id, end, billed);
  if (id == 0) {
    TG_FUZZ_CHECK(st == TG_E_INVALID_ARGUMENT);
  } else if (live.erase(id)) {
    TG_FUZZ_CHECK(st == TG_OK || st == TG_E_TIME);
  } else {
    TG_FUZZ_CHECK(st == TG_E_UNKNOWN_CALL);
  }
}

void DoReload(tg_engine* engine, Gen& g) {
  const uint8_t k = g.in.U8() % (g_policies.size() + 1);
  tg_error err = TG_ERROR_INIT;
  tg_engine_stats before = TG_ENGINE_STATS_INIT, after = TG_ENGINE_STATS_INIT;
  tg_engine_get_stats(engine, &before);
  const char* path = k == g_policies.size() ? nullptr : g_policies[k].c_str();  // nullptr: the current path
  const tg_status st = tg_engine_reload(engine, path, &err);
  tg_engine_get_stats(engine, &after);
  TG_FUZZ_CHECK(err.code == st);
  TG_FUZZ_CHECK(BoundedLen(err.message, sizeof(err.message)) < sizeof(err.message));
  if (st == TG_OK) {
    TG_FUZZ_CHECK(after.policy_version == before.policy_version + 1);
    TG_FUZZ_CHECK(err.message[0] == 0);
  } else {
    TG_FUZZ_CHECK(st == TG_E_POLICY || st == TG_E_IO);
    TG_FUZZ_CHECK(after.policy_version == before.policy_version);  // the old policy stays
    TG_FUZZ_CHECK(err.message[0] != 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (g_engines[0]) return 0;
  tgfuzz::WriteScratch("rates.csv", "prefix,description,rate\n81,Japan,0.03\n8190,Japan mobile,0.15\n44,UK,0.1\n"
                                    "449,UK premium,2.5\n8821,Thuraya,9.5\n1876,Jamaica,0.4\n53,Cuba,1.2\n");
  tgfuzz::WriteScratch("overrides.csv", "prefix,action,risk_tier,note\n881,block,3,satellite\n5399,alert,,\n");
  g_base = tgfuzz::WriteScratch(
      "base.textproto", "tables { no_default_table: true rate_deck: \"rates.csv\" overrides: \"overrides.csv\" }\n");
  g_policies.push_back(g_base);
  g_policies.push_back(tgfuzz::WriteScratch(
      "shadow.textproto",
      "tables { no_default_table: true rate_deck: \"rates.csv\" override { prefix: \"4420\" action: BLOCK }\n"
      "         override { prefix: \"8821\" action: ALLOW } }\n"
      "profiles { name: \"default\" shadow: true }\n"
      "profiles { name: \"24x7\" hours { always_open: true } alert_score: 200 block_score: 400 }\n"
      "accounts { prefix: \"hotel-\" profile: \"24x7\" timezone: \"America/New_York\" }\n"
      "invalid_numbers { malformed: BLOCK short_code: ALERT }\n"));
  g_policies.push_back(tgfuzz::WriteScratch(
      "strict.textproto",
      "tables { no_default_table: true rate_deck: \"rates.csv\" }\n"
      "profiles { name: \"default\" alert_score: 100 block_score: 200 thresholds { attempts_1m: 2 concurrent_calls: 2 "
      "repeat_number: 2 } budget { spend_per_hour: 1 max_call_duration_s: 60 } }\n"
      "limits { max_accounts: 10 max_live_calls: 2 }\n"));
  g_policies.push_back(tgfuzz::WriteScratch("broken.textproto", "profiles { name: \"default\" alert_score: \"x\" }\n"));
  g_policies.push_back(tgfuzz::ScratchDir() + "/missing.textproto");
  for (int i = 0; i < 2; ++i) {
    tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
    o.policy_path = i == 0 ? nullptr : g_base.c_str();
    o.home_country = "JP";
    o.timezone = "Asia/Tokyo";
    o.max_accounts = 128;
    o.max_live_calls = kMaxLive;
    tg_error err = TG_ERROR_INIT;
    TG_FUZZ_CHECK(tg_engine_create(&o, &g_engines[i], &err) == TG_OK);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgfuzz::Bytes in(data, size);
  Gen g{in, {}, {}, {}};
  absl::flat_hash_set<uint64_t> live[2];
  bool reloaded = false;
  for (int ops = 0; !in.empty() && ops < 2000; ++ops) {
    const uint8_t op = in.U8();
    const int e = op >= 128;  // which engine
    tg_engine* engine = g_engines[e];
    switch (op % 9) {
      case 0: case 1: case 2: DoDecide(engine, g, live[e], true); break;
      case 3: case 4: DoDecide(engine, g, live[e], false); break;
      case 5: case 6: DoEnd(engine, g, live[e]); break;
      case 7:
        if (!reloaded) DoReload(g_engines[1], g);  // reloads go to engine 1 only, one per input
        reloaded = true;
        break;
      default: CheckLiveCount(engine, live[e]); break;
    }
  }
  for (int e = 0; e < 2; ++e) {
    CheckLiveCount(g_engines[e], live[e]);
    for (uint64_t id : live[e]) {
      const tg_status st = tg_call_end(g_engines[e], id, 0, 0);
      TG_FUZZ_CHECK(st == TG_OK || st == TG_E_TIME);
    }
    live[e].clear();
    CheckLiveCount(g_engines[e], live[e]);
  }
  if (reloaded) TG_FUZZ_CHECK(tg_engine_reload(g_engines[1], g_base.c_str(), nullptr) == TG_OK);
  return 0;
}
