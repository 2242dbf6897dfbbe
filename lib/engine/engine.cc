#include "lib/engine/engine.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <new>
#include <optional>

#include "absl/strings/str_cat.h"
#include "lib/cluster/node.h"
#include "lib/number/normalizer.h"
#include "lib/score/scorer.h"
#include "lib/signals/decay.h"
#include "lib/signals/history.h"
#include "lib/signals/patterns.h"
#include "lib/state/snapshot_file.h"
#include "lib/util/memory_info.h"

namespace tollguard::engine {
namespace {

constexpr int64_t kMsPerDay = 86400000;
constexpr int64_t kMinTimeMs = 946684800000LL;   // 2000-01-01
constexpr int64_t kMaxTimeMs = 7258118400000LL;  // 2200-01-01

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void FillInvalid(const policy::PolicySnapshot& snap, const policy::CompiledProfile& p, tg_status st,
                 tg_decision* out) {
  const int action = st == TG_E_NUMBER_TOO_SHORT ? snap.short_code_action : snap.malformed_action;
  out->action = action;
  out->score = action == TG_ACTION_BLOCK ? 1000 : action == TG_ACTION_ALERT ? p.alert_score : 0;
  out->reasons = 0;
  out->top_reason = -1;
  out->max_duration_s = 0;
  out->e164[0] = 0;
  out->country[0] = 0;
  out->number_type = TG_NUMBER_UNKNOWN;
  out->risk_tier = 0;
  out->rate_micros = 0;
}

// Releases a live call's concurrency and exposure from its account.
void ReleaseLive(state::AccountRecord& r, const state::LiveCall& lc) {
  const double per_s = lc.rate_micros / 60.0;
  if (r.live > 0) --r.live;
  if (lc.intl && r.live_intl > 0) --r.live_intl;
  if (r.live == 0) {
    r.live_rate_per_s = 0;
    r.live_rate_start = 0;
  } else {
    r.live_rate_per_s = std::max(0.0, r.live_rate_per_s - per_s);
    r.live_rate_start = std::max(0.0, r.live_rate_start - per_s * static_cast<double>(lc.start_ms / 1000));
  }
}

// Adds the other nodes' share of the account (cluster mode), decayed to the decision's time.
void AddRemote(const cluster::Contribution& c, score::Signals* s) {
  for (int i = 0; i < 4; ++i) s->attempts[i] += c.att[i];
  s->week_attempts += c.att[signals::kWeek];
  s->week_intl += c.intl[signals::kWeek];
  s->week_high_risk += c.high[signals::kWeek];
  s->intl_1h += c.intl[2];
  s->high_risk_1h += c.high[2];
  s->live += c.live;
  s->live_intl += c.live_intl;
  s->spend_hour += c.spend[0];
  s->spend_day += c.spend[1];
  s->usual_daily += c.spend[2] / 7.0;
}

}  // namespace

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

Engine::Engine(const EngineOptions& options, std::unique_ptr<policy::PolicySnapshot> snap, uint32_t max_accounts,
               bool preallocate, uint32_t max_live)
    : options_(options), policy_(std::move(snap)), accounts_(max_accounts, preallocate), live_(max_live) {}

Engine::~Engine() {
  if (cluster_) cluster_->Stop();  // no sync thread may outlive what it reads
}

std::unique_ptr<Engine> Engine::Create(const EngineOptions& options, EngineError* error, EngineError* warning) {
  policy::LoadError le;
  auto snap = policy::LoadPolicy({options.policy_path, options.home_country, options.timezone}, &le);
  if (!snap) {
    error->code = le.status.code() == absl::StatusCode::kNotFound ? TG_E_IO : TG_E_POLICY;
    error->line = le.line;
    error->column = le.column;
    error->message = std::string(le.status.message());
    return nullptr;
  }
  snap->version = 1;
  const uint32_t max_accounts = options.max_accounts ? options.max_accounts : snap->max_accounts;
  const uint32_t max_live = options.max_live_calls ? options.max_live_calls : snap->max_live_calls;
  const bool fail_closed = snap->state_fail_closed;
  const policy::ClusterConfig cluster_config = snap->cluster;
  bool restored = false;
  const bool preallocate = snap->preallocate_accounts;
  // A capacity whose store cannot be resident is a clear error here, not the kernel's OOM killer later:
  // the index (and, preallocated, every record) is written at creation.
  const size_t committed = state::AccountStore::CommittedBytes(max_accounts, preallocate);
  const std::optional<uint64_t> available = AvailableMemoryBytes();
  if (available && committed > *available) {
    error->code = TG_E_NO_MEMORY;
    error->message = absl::StrCat(
        "max_accounts ", max_accounts, " needs ", committed >> 20, " MiB when the engine is created (its account index",
        preallocate ? " and, with limits.preallocate_accounts, every record" : "", ") but ", *available >> 20,
        " MiB are available: lower limits.max_accounts (or the engine option max_accounts)",
        preallocate ? ", or turn limits.preallocate_accounts off" : "");
    return nullptr;
  }
  std::unique_ptr<Engine> engine(new Engine(options, std::move(snap), max_accounts, preallocate, max_live));
  if (!options.state_path.empty()) {
    EngineError se;
    const tg_status st = engine->LoadState(options.state_path, &se);
    restored = st == TG_OK;
    if (st != TG_OK && st != TG_E_IO) {
      if (fail_closed) {
        *error = se;
        return nullptr;
      }
      *warning = se;
    } else if (st == TG_E_IO && se.message.find("cannot open") == std::string::npos) {
      *warning = se;  // a missing file is normal on first start; an unreadable one is worth a word
    }
    engine->ExpireCalls(0);  // calls whose end was lost while we were down
  }
  if (cluster_config.enabled) {
    engine->cluster_ = std::make_unique<cluster::Node>(cluster_config, cluster::Node::ResolveNodeId(cluster_config),
                                                       restored);
  }
  return engine;
}

tg_status Engine::Score(std::string_view account, std::string_view dialed, int64_t start_ms,
                        std::string_view tenant, tg_decision* out) const {
  PolicySlot::Reader snap(policy_);
  // Score changes nothing observable; the account's cached profile binding may be refreshed.
  return const_cast<Engine*>(this)->Decide(*snap, account, dialed, start_ms, 0, tenant, false, out);
}

void Engine::Prefetch(std::string_view account, std::string_view dialed, uint64_t call_id,
                      std::string_view tenant) const {
  PolicySlot::Reader snap(policy_);
  const state::AccountKey key = state::HashAccount(account);
  accounts_.Prefetch(key.key);
  if (cluster_) cluster_->Prefetch(key.key);  // the other nodes' share of the account
  if (call_id != 0) live_.Prefetch(call_id);   // the slot the call will take if it is allowed
  if (tenant.empty()) tenant = snap->TenantOf(account);
  if (!tenant.empty() && tenant != account) accounts_.Prefetch(state::HashAccount(tenant).key);
  number::E164 e;
  if (number::Normalize(snap->dial_plan, dialed, &e) == TG_OK) snap->table.Prefetch(e.view());
  // Not the record behind the index: finding it means reading the index line, i.e. waiting for it here
  // (measured: the hint then costs ~400 ns instead of ~140 for a ~100 ns better decision). The decision's
  // own early peek finds the index line in cache and overlaps the record with its work. (A preallocated
  // store's home record needs no index: accounts_.Prefetch requests it.)
}

tg_status Engine::Begin(std::string_view account, std::string_view dialed, int64_t start_ms, uint64_t call_id,
                        std::string_view tenant, tg_decision* out) {
  PolicySlot::Reader snap(policy_);
  return Decide(*snap, account, dialed, start_ms, call_id, tenant, true, out);
}

tg_status Engine::Decide(const policy::PolicySnapshot& snap, std::string_view account, std::string_view dialed,
                         int64_t start_ms, uint64_t call_id, std::string_view tenant, bool record,
                         tg_decision* out) {
  if (start_ms == 0) start_ms = NowMs();
  if (start_ms < kMinTimeMs || start_ms > kMaxTimeMs) {
    FillInvalid(snap, snap.profiles[0], TG_E_NUMBER_CHARS, out);  // no decision without a time: the
    return TG_E_TIME;                                              // policy's answer for malformed input
  }
  // Memory first: the account's index line, the other nodes' share (cluster mode) and the live-call slot
  // are requested now and arrive while the number is normalized and the prefix table's slots requested.
  const state::AccountKey key = state::HashAccount(account);
  accounts_.Prefetch(key.key);
  if (cluster_) cluster_->Prefetch(key.key);
  if (record && call_id != 0) live_.Prefetch(call_id);
  number::E164 e;
  const tg_status nst = number::Normalize(snap.dial_plan, dialed, &e);
  destination::PrefixTable::Pending lookup;
  if (nst == TG_OK) snap.table.Start(e.view(), &lookup);
  const uint64_t number = nst == TG_OK ? signals::NumberValue(e.view()) : 0;
  if (tenant.empty()) tenant = snap.TenantOf(account);
  if (tenant == account) tenant = {};
  const state::AccountKey tkey = tenant.empty() ? state::AccountKey{0, 0} : state::HashAccount(tenant);
  if (!tenant.empty()) accounts_.Prefetch(tkey.key);  // the tenant's index line, read first (ReadTenant)
  // By now the index line has (mostly) arrived: peeking at it earlier stalled the decision (perf: 14 % of
  // a cold decision's samples). The record's lines then arrive while the table's slots are checked.
  accounts_.PrefetchRecord(key.key);
  if (!tenant.empty()) accounts_.PrefetchRecord(tkey.key);
  const destination::Attrs* found = nst == TG_OK ? snap.table.Finish(lookup) : nullptr;
  destination::Attrs dest = found ? *found : destination::Attrs{};
  const signals::DestinationKeys keys =
      nst == TG_OK ? signals::KeysFor(e.view(), e.cc_len, dest.region) : signals::DestinationKeys{};

  // The tenant's part, read under its own lock before the account's (never both at once).
  TenantView tv;
  if (!tenant.empty() && nst == TG_OK) tv = ReadTenant(tkey, start_ms, keys, number);

  cluster::Contribution remote;  // the other nodes' share (cluster mode): a seqlocked table read, no lock
  const bool has_remote = cluster_ != nullptr && cluster_->Read(key.key, key.check, &remote);
  if (has_remote) remote.DecayTo(start_ms);
  state::AccountStore::Handle h = accounts_.Acquire(key, start_ms, record);
  // An account that is not stored (tg_engine_score of an unknown one) reads a zeroed record built here
  // only then: zeroing 464 bytes on every decision cost ~60 instructions.
  alignas(state::AccountRecord) unsigned char scratch_space[sizeof(state::AccountRecord)];
  const state::AccountRecord* const scratch = reinterpret_cast<const state::AccountRecord*>(scratch_space);
  state::AccountRecord* r = h.record();
  if (r == nullptr) {
    r = new (scratch_space) state::AccountRecord();
    r->first_seen_ms = r->last_seen_ms = r->rate_t_ms = r->spend_t_ms = start_ms;
  }
  if (r->binding_version != snap.version || r == scratch) {
    const policy::AccountBinding b = snap.Bind(account);
    r->profile = b.profile;
    r->zone = b.zone;
    r->binding_version = static_cast<uint32_t>(snap.version);
  }
  const policy::CompiledProfile& p = snap.profiles[std::min<size_t>(r->profile, snap.profiles.size() - 1)];
  if (nst != TG_OK) {
    FillInvalid(snap, p, nst, out);
    if (record) MyCounters().decisions.fetch_add(1, std::memory_order_relaxed);
    return nst;
  }
  std::memcpy(out->e164, e.digits, sizeof(out->e164));
  std::memcpy(out->country, dest.region, sizeof(out->country));
  out->country[3] = 0;
  out->number_type = dest.type;
  out->risk_tier = dest.tier;
  out->rate_micros = dest.rate_micros;

  const time::ZoneOffsets& zone = snap.zones[std::min<size_t>(r->zone, snap.zones.size() - 1)];
  const int64_t now_s = FloorDiv(start_ms, 1000);
  const time::LocalTime lt = time::ToLocal(zone, now_s);

  score::Signals s;
  s.dest = dest;
  s.international = !(dest.flags & destination::kDomestic);
  const bool business_day = (p.weekday_mask >> lt.weekday) & 1;
  s.holiday = snap.holidays.IsHoliday(lt.day);
  s.weekend = !business_day;
  const bool in_hours = lt.hour >= p.start_hour && lt.hour < p.end_hour;
  s.off_hours = !(business_day && !s.holiday && in_hours);
  s.night = p.night_start > p.night_end ? (lt.hour >= p.night_start || lt.hour < p.night_end)
                                        : (lt.hour >= p.night_start && lt.hour < p.night_end);

  // Rates: decay the windows to now (time going backwards decays nothing) and count this attempt.
  const signals::DecayFactors df(start_ms - r->rate_t_ms);
  signals::Windows att = r->attempts, intl = r->intl, high = r->high_risk;
  att.Decay(df);
  intl.Decay(df);
  high.Decay(df);
  float off_week = r->off_hours_week * df.f[signals::kWeek];
  float off_day = r->off_hours_day * df.f[3];
  s.day_off_hours = off_day;
  const float alerts = r->alerts_hour * df.f[2];
  s.recent_alerts = alerts;
  s.week_attempts = att.v[signals::kWeek];
  s.week_intl = intl.v[signals::kWeek];
  s.week_high_risk = high.v[signals::kWeek];
  s.week_off_hours = off_week;
  att.Add(1);
  if (s.international) intl.Add(1);
  if (dest.tier >= 2) high.Add(1);
  std::copy(att.v, att.v + 4, s.attempts);  // the four short windows
  s.intl_1h = intl.v[2];
  s.high_risk_1h = high.v[2];
  s.live = r->live;
  s.live_intl = r->live_intl;

  const int64_t spend_dt = start_ms - r->spend_t_ms;
  float spend[3] = {r->spend_hour, r->spend_day, r->spend_week};
  signals::DecaySpend(spend, spend_dt);
  const float spend_hour = spend[0], spend_day = spend[1], spend_week = spend[2];
  s.spend_hour = spend_hour;
  s.spend_day = spend_day;
  s.usual_daily = spend_week / 7.0;
  s.exposure = r->live ? std::max(0.0, r->live_rate_per_s * static_cast<double>(now_s) - r->live_rate_start) : 0.0;
  if (has_remote) AddRemote(remote, &s);

  const signals::Patterns pat = signals::Observe(*r, number);
  s.sweep_run = pat.sweep_run;
  s.fanout = pat.fanout;
  s.repeats = std::max(pat.repeats, tv.repeats);
  s.diversity = pat.diversity;

  s.tenant_week_attempts = tv.week_attempts;
  s.tenant_day_attempts = tv.day_attempts;
  s.tenant_week_off_hours = tv.week_off_hours;
  s.tenant_day_off_hours = tv.day_off_hours;
  const int64_t age_days = (start_ms - r->first_seen_ms) / kMsPerDay;
  s.new_account = age_days < p.new_account_days;
  if (s.international) {
    s.new_country = !signals::IsKnownCountry(*r, keys.country) && !tv.known_country;
    s.new_destination = !signals::IsKnownRange(*r, keys.range) && !tv.known_range;
  }
  s.usual_this_hour = signals::UsualAtHour(*r, lt.hour_of_week);
  if (p.unusual_volume_factor > 0) {
    s.unusual_volume = s.attempts[2] > p.unusual_volume_factor * std::max(1.0f, s.usual_this_hour);
  }
  score::Decide(s, p, out);

  tg_status st = TG_OK;
  if (record) {
    if (start_ms >= r->rate_t_ms) r->rate_t_ms = start_ms;
    r->attempts = att;
    r->intl = intl;
    r->high_risk = high;
    const float off = out->action == TG_ACTION_ALLOW && s.off_hours ? 1.f : 0.f;
    r->off_hours_week = off_week + off;
    r->off_hours_day = off_day + off;
    r->alerts_hour = alerts + (out->action != TG_ACTION_ALLOW ? 1.f : 0.f);
    if (start_ms >= r->spend_t_ms) {
      r->spend_t_ms = start_ms;
      r->spend_hour = spend_hour;
      r->spend_day = spend_day;
      r->spend_week = spend_week;
    }
    signals::RecordNumber(*r, number, pat);
    if (out->action == TG_ACTION_ALLOW) signals::RecordHour(*r, lt.hour_of_week, lt.day);  // only unremarkable calls are "usual"
    signals::RecordActiveDay(*r, lt.day);
    r->last_seen_ms = std::max(r->last_seen_ms, start_ms);
    MyCounters().decisions.fetch_add(1, std::memory_order_relaxed);
    if (out->action == TG_ACTION_BLOCK) MyCounters().blocked.fetch_add(1, std::memory_order_relaxed);
    if (out->action == TG_ACTION_ALERT) MyCounters().alerted.fetch_add(1, std::memory_order_relaxed);
    if (out->action != TG_ACTION_BLOCK && call_id != 0) {
      state::LiveCall lc;
      lc.account_key = key.key;
      lc.account_check = key.check;
      lc.rate_micros = dest.rate_micros;
      lc.start_ms = start_ms;
      lc.range_key = keys.range;
      lc.country_key = keys.country;
      lc.intl = s.international;
      lc.tier = dest.tier;
      // Calls that raised nothing teach the history; so do alerted calls in business hours (someone is
      // there to look). Learning also needs answered calls on several distinct days (LearnAnswered): the
      // profile's number of days is kept with the call (0 = no learning), so End needs no policy.
      lc.learn = out->action == TG_ACTION_ALLOW || !s.off_hours
                     ? static_cast<uint8_t>(std::clamp(p.learn_min_days, 1, 255)) : 0;
      lc.max_duration_s = out->max_duration_s;
      lc.tenant_key = tkey.key;
      lc.tenant_check = tkey.check;
      const auto added = live_.Add(call_id, lc);
      if (added == state::LiveCalls::AddResult::kAdded) {
        const double per_s = dest.rate_micros / 60.0;
        ++r->live;
        if (s.international) ++r->live_intl;
        r->live_rate_per_s += per_s;
        r->live_rate_start += per_s * static_cast<double>(now_s);
      } else {
        st = added == state::LiveCalls::AddResult::kFull ? TG_E_CAPACITY : TG_E_INVALID_ARGUMENT;
      }
    }
  }
  if (record && cluster_ && r != scratch) cluster_->Publish(cluster::EventFrom(*r));  // under the lock: in order
  h.Release();  // the account's lock before the tenant's: never both at once
  if (record && !tenant.empty()) {
    RecordTenant(tkey, start_ms, s.international, dest.tier >= 2,
                 out->action == TG_ACTION_ALLOW && s.off_hours, number);
  }
  return st;
}

Engine::TenantView Engine::ReadTenant(const state::AccountKey& tkey, int64_t start_ms,
                                      const signals::DestinationKeys& keys, uint64_t number) {
  TenantView tv;
  state::AccountStore::Handle h = accounts_.Acquire(tkey, start_ms, false);
  const state::AccountRecord* t = h.record();
  if (t == nullptr) return tv;
  const signals::DecayFactors df(start_ms - t->rate_t_ms);
  tv.known_country = signals::IsKnownCountry(*t, keys.country);
  tv.known_range = signals::IsKnownRange(*t, keys.range);
  tv.week_attempts = t->attempts.v[signals::kWeek] * df.f[signals::kWeek];
  tv.day_attempts = t->attempts.v[3] * df.f[3];
  tv.week_off_hours = t->off_hours_week * df.f[signals::kWeek];
  tv.day_off_hours = t->off_hours_day * df.f[3];
  tv.repeats = signals::Observe(*t, number).repeats;
  return tv;
}

void Engine::RecordTenant(const state::AccountKey& tkey, int64_t start_ms, bool intl, bool high_risk,
                          bool allowed_off_hours, uint64_t number) {
  state::AccountStore::Handle h = accounts_.Acquire(tkey, start_ms, true);
  state::AccountRecord* t = h.record();
  if (t == nullptr) return;
  const signals::DecayFactors df(start_ms - t->rate_t_ms);
  t->attempts.Decay(df);
  t->intl.Decay(df);
  t->high_risk.Decay(df);
  t->off_hours_week = t->off_hours_week * df.f[signals::kWeek] + (allowed_off_hours ? 1.f : 0.f);
  t->off_hours_day = t->off_hours_day * df.f[3] + (allowed_off_hours ? 1.f : 0.f);
  t->attempts.Add(1);
  if (intl) t->intl.Add(1);
  if (high_risk) t->high_risk.Add(1);
  if (start_ms > t->rate_t_ms) t->rate_t_ms = start_ms;
  t->last_seen_ms = std::max(t->last_seen_ms, start_ms);
  signals::RecordNumber(*t, number, signals::Observe(*t, number));
}

tg_status Engine::End(uint64_t call_id, int64_t end_ms, int32_t billed_seconds) {
  if (end_ms == 0) end_ms = NowMs();
  state::LiveCall lc;
  if (!live_.Remove(call_id, &lc)) return TG_E_UNKNOWN_CALL;
  tg_status st = TG_OK;
  if (end_ms < lc.start_ms || end_ms > kMaxTimeMs) {
    st = TG_E_TIME;
    end_ms = std::clamp(end_ms, lc.start_ms, kMaxTimeMs);
  }
  const int64_t wall_s = (end_ms - lc.start_ms + 999) / 1000;
  int64_t billed = billed_seconds;
  if (billed < 0 || billed > wall_s + 1) {
    st = TG_E_TIME;
    billed = std::clamp<int64_t>(billed, 0, wall_s + 1);
  }
  state::AccountStore::Handle h = accounts_.Acquire({lc.account_key, lc.account_check}, end_ms, false);
  state::AccountRecord* r = h.record();
  if (r == nullptr) return st;  // evicted while the call was live
  ReleaseLive(*r, lc);
  const double per_s = lc.rate_micros / 60.0;
  const float cost = static_cast<float>(per_s * static_cast<double>(billed));
  const int64_t dt = end_ms - r->spend_t_ms;
  if (dt > 0) {
    float spend[3] = {r->spend_hour, r->spend_day, r->spend_week};
    signals::DecaySpend(spend, dt);
    r->spend_hour = spend[0];
    r->spend_day = spend[1];
    r->spend_week = spend[2];
    r->spend_t_ms = end_ms;
  }
  r->spend_hour += cost;
  r->spend_day += cost;
  r->spend_week += cost;
  if (cluster_) cluster_->Publish(cluster::EventFrom(*r));
  if (billed > 0 && lc.learn != 0 && lc.intl) {
    const int64_t hour = FloorDiv(lc.start_ms, 3600000);
    signals::LearnAnswered(*r, {lc.range_key, lc.country_key}, hour, lc.learn);
    if (lc.tenant_key != 0) {
      h.Release();  // one lock at a time
      state::AccountStore::Handle th = accounts_.Acquire({lc.tenant_key, lc.tenant_check}, end_ms, false);
      if (state::AccountRecord* t = th.record()) {
        signals::LearnAnswered(*t, {lc.range_key, lc.country_key}, hour, lc.learn);
      }
    }
  }
  return st;
}

tg_status Engine::Reload(const std::string* policy_path, EngineError* error) {
  std::lock_guard<std::mutex> lock(admin_);
  policy::LoadOptions lo{policy_path ? *policy_path : options_.policy_path, options_.home_country, options_.timezone};
  policy::LoadError le;
  auto snap = policy::LoadPolicy(lo, &le);
  if (!snap) {
    error->code = le.status.code() == absl::StatusCode::kNotFound ? TG_E_IO : TG_E_POLICY;
    error->line = le.line;
    error->column = le.column;
    error->message = std::string(le.status.message());
    return error->code;
  }
  snap->version = policy_version_.fetch_add(1) + 1;
  if (snap->cluster != (cluster_ ? cluster_->config() : policy::ClusterConfig{})) {
    std::fprintf(stderr, "tollguard: the policy's cluster section changed; it applies when the engine is "
                         "created again (docs/CLUSTER.md)\n");
  }
  policy_.Swap(std::move(snap));
  if (policy_path) options_.policy_path = *policy_path;
  return TG_OK;
}

tg_status Engine::SaveState(const std::string* path, EngineError* error) {
  std::lock_guard<std::mutex> lock(admin_);
  const std::string& target = path ? *path : options_.state_path;
  if (target.empty()) {
    error->code = TG_E_INVALID_ARGUMENT;
    error->message = "no state path: pass one, or set state_path in the engine options";
    return error->code;
  }
  ExpireCalls(0);
  absl::Status s = state::SaveSnapshot(target, accounts_, live_);
  if (!s.ok()) {
    error->code = TG_E_IO;
    error->message = std::string(s.message());
    return error->code;
  }
  return TG_OK;
}

tg_status Engine::LoadState(const std::string& path, EngineError* error) {
  std::lock_guard<std::mutex> lock(admin_);
  state::LoadResult res = state::LoadSnapshot(path, &accounts_, &live_);
  if (!res.status.ok()) {
    error->code = res.code;
    error->message = std::string(res.status.message());
    return res.code;
  }
  return TG_OK;
}

uint64_t Engine::ExpireCalls(int64_t older_than_ms) {
  if (older_than_ms == 0) {
    PolicySlot::Reader snap(policy_);
    older_than_ms = NowMs() - static_cast<int64_t>(snap->max_call_hours) * 3600000;
  }
  return live_.ExpireBefore(older_than_ms, [this](uint64_t, const state::LiveCall& lc) {
    state::AccountStore::Handle h = accounts_.Acquire({lc.account_key, lc.account_check}, lc.start_ms, false);
    state::AccountRecord* r = h.record();
    if (r == nullptr) return;
    ReleaseLive(*r, lc);
    if (cluster_) cluster_->Publish(cluster::EventFrom(*r));
  });
}

Engine::Counters& Engine::MyCounters() {
  static std::atomic<uint32_t> next{0};
  static thread_local const uint32_t stripe = next.fetch_add(1, std::memory_order_relaxed) % kCounterStripes;
  return counters_[stripe];
}

void Engine::GetStats(tg_engine_stats* out) const {
  PolicySlot::Reader snap(policy_);
  out->accounts = accounts_.size();
  out->live_calls = live_.size();
  out->decisions = out->blocked = out->alerted = 0;
  for (const Counters& c : counters_) {
    out->decisions += c.decisions.load(std::memory_order_relaxed);
    out->blocked += c.blocked.load(std::memory_order_relaxed);
    out->alerted += c.alerted.load(std::memory_order_relaxed);
  }
  out->evicted = accounts_.evicted();
  out->prefixes = snap->table.entries();
  out->policy_version = snap->version;
  out->memory_bytes = snap->table.memory_bytes() + accounts_.memory_bytes();
}

}  // namespace tollguard::engine
