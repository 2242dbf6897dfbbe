#include "bindings/python/engine_binding.h"

#include <array>
#include <mutex>
#include <vector>

#include "tools/replay/format.h"
#include "tools/replay/replay.h"

namespace tollguard::py_binding {
namespace rp = tollguard::replay;
namespace {

py::tuple DecisionTuple(tg_status st, const tg_decision& d) {
  const std::string_view e164 = rp::E164Of(d), country = rp::CountryOf(d);
  return py::make_tuple(st, d.action, d.score, d.top_reason, d.reasons, py::str(e164.data(), e164.size()),
                        py::str(country.data(), country.size()), d.number_type, d.risk_tier, d.max_duration_s,
                        d.rate_micros);
}

// Decisions of a replay in compact columns, written by the loop without the GIL.
class ColumnsSink : public rp::DecisionSink {
 public:
  explicit ColumnsSink(size_t n)
      : action(n), score(n), top_reason(n), reasons(n), number_type(n), risk_tier(n), max_duration(n),
        rate_micros(n), status(n), e164(n), country(n) {}
  void Decided(size_t row, tg_status st, const tg_decision& d) override {
    action[row] = static_cast<int8_t>(d.action);
    score[row] = d.score;
    top_reason[row] = static_cast<int8_t>(d.top_reason);
    reasons[row] = d.reasons;
    number_type[row] = d.number_type;
    risk_tier[row] = static_cast<int8_t>(d.risk_tier);
    max_duration[row] = d.max_duration_s;
    rate_micros[row] = d.rate_micros;
    status[row] = st;
    std::memcpy(e164[row].data(), d.e164, sizeof(d.e164));
    e164[row].back() = '\0';
    std::memcpy(country[row].data(), d.country, sizeof(d.country));
    country[row].back() = '\0';
  }
  std::vector<int8_t> action;
  std::vector<int32_t> score;
  std::vector<int8_t> top_reason;
  std::vector<uint64_t> reasons;
  std::vector<int32_t> number_type;
  std::vector<int8_t> risk_tier;
  std::vector<int32_t> max_duration;
  std::vector<int64_t> rate_micros;
  std::vector<int32_t> status;
  std::vector<std::array<char, 16>> e164;
  std::vector<std::array<char, 4>> country;
};

}  // namespace

Engine::Engine(std::optional<std::string> home_country, std::optional<std::string> timezone,
               std::optional<std::string> policy, std::optional<std::string> state, uint32_t max_accounts,
               uint32_t max_live_calls) {
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.home_country = home_country ? home_country->c_str() : nullptr;
  o.timezone = timezone ? timezone->c_str() : nullptr;
  o.policy_path = policy ? policy->c_str() : nullptr;
  o.state_path = state ? state->c_str() : nullptr;
  o.max_accounts = max_accounts;
  o.max_live_calls = max_live_calls;
  tg_error err = TG_ERROR_INIT;
  tg_status st;
  {
    py::gil_scoped_release nogil;
    st = tg_engine_create(&o, &engine_, &err);
  }
  if (st != TG_OK) RaiseError(err, st);
  if (err.code != TG_OK) warning_ = err.message;  // a state file that could not be used
}

// No method can be running: each holds a reference to the Python object.
Engine::~Engine() { tg_engine_destroy(engine_); }

void Engine::Close() {
  py::gil_scoped_release nogil;
  std::unique_lock<std::shared_mutex> lock(mu_);
  tg_engine_destroy(engine_);
  engine_ = nullptr;
}

py::tuple Engine::Decide(const std::string& account, const std::string& dialed, int64_t at_ms, uint64_t call_id,
                         bool record) {
  tg_call call = TG_CALL_INIT;
  call.account = tg_str{account.data(), account.size()};
  call.dialed = tg_str{dialed.data(), dialed.size()};
  call.start_unix_ms = at_ms;
  call.call_id = call_id;
  tg_decision d = TG_DECISION_INIT;
  const tg_status st =
      Use([&](tg_engine* e) { return record ? tg_call_begin(e, &call, &d) : tg_engine_score(e, &call, &d); });
  return DecisionTuple(st, d);
}

tg_status Engine::End(uint64_t call_id, int64_t at_ms, int32_t billed) {
  return Use([&](tg_engine* e) { return tg_call_end(e, call_id, at_ms, billed); });
}

void Engine::Reload(std::optional<std::string> policy) {
  tg_error err = TG_ERROR_INIT;
  const tg_status st = Use([&](tg_engine* e) { return tg_engine_reload(e, policy ? policy->c_str() : nullptr, &err); });
  if (st != TG_OK) RaiseError(err, st);
}

void Engine::SaveState(std::optional<std::string> path) {
  tg_error err = TG_ERROR_INIT;
  const tg_status st = Use([&](tg_engine* e) { return tg_engine_save_state(e, path ? path->c_str() : nullptr, &err); });
  if (st != TG_OK) RaiseError(err, st);
}

py::dict Engine::Stats() {
  tg_engine_stats s = TG_ENGINE_STATS_INIT;
  const tg_status st = Use([&](tg_engine* e) { return tg_engine_get_stats(e, &s); });
  if (st != TG_OK) Raise(st, tg_status_string(st));
  py::dict out;
  out["accounts"] = s.accounts;
  out["live_calls"] = s.live_calls;
  out["decisions"] = s.decisions;
  out["blocked"] = s.blocked;
  out["alerted"] = s.alerted;
  out["evicted"] = s.evicted;
  out["prefixes"] = s.prefixes;
  out["policy_version"] = s.policy_version;
  out["memory_bytes"] = s.memory_bytes;
  return out;
}

py::dict Engine::Replay(Int64Array start_ms, py::array account, py::array dialed, Int64Array duration) {
  const size_t n = static_cast<size_t>(start_ms.size());
  if (start_ms.ndim() != 1 || duration.ndim() != 1 || account.ndim() != 1 || dialed.ndim() != 1 ||
      static_cast<size_t>(duration.size()) != n || static_cast<size_t>(account.size()) != n ||
      static_cast<size_t>(dialed.size()) != n) {
    Raise(TG_E_INVALID_ARGUMENT, "replay: start, account, dialed and duration must be 1-D and of equal length");
  }
  StringColumn acc, dia;
  acc.Load(account, "account");
  dia.Load(dialed, "dialed");
  const int64_t* start = start_ms.data();
  const int64_t* dur = duration.data();
  std::vector<int32_t> dur32(n);
  for (size_t i = 0; i < n; ++i) {
    if (start[i] < kMinMs || start[i] > kMaxMs) {
      Raise(TG_E_TIME, "row " + std::to_string(i) + ": start out of range (2000-01-01 to 2200-01-01) or missing");
    }
    if (acc.views[i].empty() || acc.views[i].size() > TG_MAX_ACCOUNT_LEN) {
      Raise(TG_E_ACCOUNT, "row " + std::to_string(i) + ": account is empty or longer than 256 bytes");
    }
    if (dur[i] < 0 || dur[i] > INT32_MAX) {
      Raise(TG_E_INVALID_ARGUMENT, "row " + std::to_string(i) + ": duration must be billed seconds >= 0");
    }
    dur32[i] = static_cast<int32_t>(dur[i]);
  }

  ColumnsSink sink(n);
  rp::ReplayCounts counts;
  rp::ReplayInput in;
  in.rows = n;
  in.start_ms = start;
  in.account = acc.views.data();
  in.dialed = dia.views.data();
  in.duration_s = dur32.data();
  Use([&](tg_engine* e) {
    counts = rp::Replay(e, in, &sink, rp::ReplayOptions{});
    return 0;
  });

  // Python objects: names and reason lists shared through caches, one str per e164.
  ObjectColumn action_col(n), reasons_col(n), e164_col(n), country_col(n), type_col(n);
  StrCache actions, reason_lists, countries, types;
  for (size_t i = 0; i < n; ++i) {
    const char* a = tg_action_name(sink.action[i]);
    action_col.Set(i, actions.Get(static_cast<uint64_t>(sink.action[i]), a ? a : "?"));
    reasons_col.Set(i, reason_lists.GetWith(sink.reasons[i], [&] {
      std::string text;
      rp::AppendReasons(sink.reasons[i], &text);
      return text;
    }));
    const char* e = sink.e164[i].data();
    e164_col.SetNew(i, PyUnicode_FromStringAndSize(e, static_cast<Py_ssize_t>(std::strlen(e))));
    const char* c = sink.country[i].data();
    uint64_t ckey = 0;
    std::memcpy(&ckey, c, 4);
    country_col.Set(i, countries.Get(ckey, c));
    type_col.Set(i, types.Get(static_cast<uint64_t>(static_cast<uint32_t>(sink.number_type[i])) + 1,
                              tg_number_type_name(sink.number_type[i])));
  }
  std::vector<double> rate(n);
  for (size_t i = 0; i < n; ++i) rate[i] = static_cast<double>(sink.rate_micros[i]) / 1e6;

  py::dict out;
  out["action"] = action_col.release();
  out["action_code"] = ToNumpy(sink.action);
  out["score"] = ToNumpy(sink.score);
  out["top_reason"] = ToNumpy(sink.top_reason);
  out["reasons"] = reasons_col.release();
  out["reasons_mask"] = ToNumpy(sink.reasons);
  out["e164"] = e164_col.release();
  out["country"] = country_col.release();
  out["number_type"] = type_col.release();
  out["number_type_code"] = ToNumpy(sink.number_type);
  out["risk_tier"] = ToNumpy(sink.risk_tier);
  out["max_duration_s"] = ToNumpy(sink.max_duration);
  out["rate"] = ToNumpy(rate);
  out["rate_micros"] = ToNumpy(sink.rate_micros);
  out["status"] = ToNumpy(sink.status);
  py::dict c;
  c["calls"] = counts.calls;
  c["blocked"] = counts.blocked;
  c["alerted"] = counts.alerted;
  c["invalid_numbers"] = counts.invalid_numbers;
  c["other_errors"] = counts.other_errors;
  c["connected"] = counts.connected;
  c["end_errors"] = counts.end_errors;
  out["counts"] = c;
  return out;
}


}  // namespace tollguard::py_binding
