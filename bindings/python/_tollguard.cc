// _tollguard: the thin compiled half of the `tollguard` Python package. It binds the public C API
// (include/tollguard/tollguard.h) through libtollguard.so, so Python exercises the ABI vendors link; the Pythonic
// layer (argument conversion, Decision, DataFrames) lives in tollguard/*.py.
//
// The GIL is released around every C call and around the replay loop. Engine locking: a shared lock around
// each use of the handle, an exclusive one for close(); locks are only taken with the GIL released, so a
// thread waiting for one never blocks the interpreter.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cmath>
#include <cstring>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tollguard/tollguard.h"
#include "tools/replay/cdr_table.h"
#include "tools/replay/civil_time.h"
#include "tools/replay/format.h"
#include "tools/replay/replay.h"

namespace py = pybind11;
namespace rp = tollguard::replay;

namespace {

constexpr int64_t kMinMs = 946684800000LL;   // 2000-01-01, the engine's range (tollguard.h, TG_E_TIME)
constexpr int64_t kMaxMs = 7258118400000LL;  // 2200-01-01

// tollguard.Error, registered by tollguard/__init__.py (a plain reference kept for the process's life).
PyObject* g_error_class = nullptr;

[[noreturn]] void Raise(int status, const std::string& message, uint32_t line = 0, uint32_t column = 0) {
  if (g_error_class == nullptr) throw std::runtime_error(message);
  py::object exc = py::reinterpret_borrow<py::object>(g_error_class)(status, message, line, column);
  PyErr_SetObject(g_error_class, exc.ptr());
  throw py::error_already_set();
}

[[noreturn]] void RaiseError(const tg_error& err, tg_status st) {
  Raise(st, err.message[0] ? err.message : tg_status_string(st), err.line, err.column);
}

// Python str objects shared by many rows (names, countries, reason lists).
class StrCache {
 public:
  PyObject* Get(uint64_t key, std::string_view text) {
    return GetWith(key, [&] { return std::string(text); });
  }
  // make_text() runs only when the key is new.
  template <typename Fn>
  PyObject* GetWith(uint64_t key, Fn make_text) {
    auto it = map_.find(key);
    if (it == map_.end()) {
      const std::string text = make_text();
      it = map_.emplace(key, py::str(text.data(), text.size())).first;
    }
    return it->second.ptr();
  }

 private:
  std::unordered_map<uint64_t, py::object> map_;
};

// A 1-D numpy object array; Set() steals nothing (increfs).
class ObjectColumn {
 public:
  explicit ObjectColumn(size_t n) : arr_(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)}) {
    data_ = static_cast<PyObject**>(arr_.mutable_data());
  }
  void Set(size_t i, PyObject* borrowed) {
    Py_INCREF(borrowed);
    PyObject* old = data_[i];
    data_[i] = borrowed;
    Py_XDECREF(old);
  }
  void SetNew(size_t i, PyObject* owned) {
    if (owned == nullptr) throw py::error_already_set();
    PyObject* old = data_[i];
    data_[i] = owned;
    Py_XDECREF(old);
  }
  py::array release() { return std::move(arr_); }

 private:
  py::array arr_;
  PyObject** data_;
};

// Strings of an object array (str, bytes; None and NaN as empty) copied into one buffer, so no Python object
// is touched once the GIL is released.
struct StringColumn {
  std::string buffer;
  std::vector<size_t> offsets;  // n + 1
  std::vector<std::string_view> views;

  void Load(const py::array& arr, const char* what) {
    if (arr.ndim() != 1) throw py::value_error(std::string(what) + ": expected a 1-D array");
    if (arr.dtype().kind() != 'O') throw py::type_error(std::string(what) + ": expected an object array of str");
    const size_t n = static_cast<size_t>(arr.shape(0));
    const py::ssize_t stride = arr.strides(0);
    const char* base = static_cast<const char*>(arr.data());
    offsets.assign(1, 0);
    offsets.reserve(n + 1);
    buffer.clear();
    buffer.reserve(n * 12);
    for (size_t i = 0; i < n; ++i) {
      PyObject* o = *reinterpret_cast<PyObject* const*>(base + static_cast<py::ssize_t>(i) * stride);
      if (o == nullptr || o == Py_None || (PyFloat_Check(o) && std::isnan(PyFloat_AS_DOUBLE(o)))) {
        // empty
      } else if (PyUnicode_Check(o)) {
        Py_ssize_t len = 0;
        const char* s = PyUnicode_AsUTF8AndSize(o, &len);
        if (s == nullptr) throw py::error_already_set();
        buffer.append(s, static_cast<size_t>(len));
      } else if (PyBytes_Check(o)) {
        buffer.append(PyBytes_AS_STRING(o), static_cast<size_t>(PyBytes_GET_SIZE(o)));
      } else {
        throw py::type_error(std::string(what) + "[" + std::to_string(i) + "]: expected str, not " +
                             Py_TYPE(o)->tp_name);
      }
      offsets.push_back(buffer.size());
    }
    views.resize(n);
    for (size_t i = 0; i < n; ++i) views[i] = std::string_view(buffer.data() + offsets[i], offsets[i + 1] - offsets[i]);
  }
};

py::tuple DecisionTuple(tg_status st, const tg_decision& d) {
  const std::string_view e164 = rp::E164Of(d), country = rp::CountryOf(d);
  return py::make_tuple(st, d.action, d.score, d.top_reason, d.reasons, py::str(e164.data(), e164.size()),
                        py::str(country.data(), country.size()), d.number_type, d.risk_tier, d.max_duration_s,
                        d.rate_micros);
}

class Engine {
 public:
  Engine(std::optional<std::string> home_country, std::optional<std::string> timezone,
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
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine() { tg_engine_destroy(engine_); }  // no method can be running: each holds a reference to self

  void Close() {
    py::gil_scoped_release nogil;
    std::unique_lock<std::shared_mutex> lock(mu_);
    tg_engine_destroy(engine_);
    engine_ = nullptr;
  }

  bool closed() const { return engine_ == nullptr; }
  std::optional<std::string> warning() const { return warning_; }

  // Runs fn(engine) with the GIL released under the shared lock; raises if the engine was closed.
  template <typename Fn>
  auto Use(Fn fn) {
    bool was_closed = false;
    decltype(fn(static_cast<tg_engine*>(nullptr))) result{};
    {
      py::gil_scoped_release nogil;
      std::shared_lock<std::shared_mutex> lock(mu_);
      if (engine_ == nullptr) {
        was_closed = true;
      } else {
        result = fn(engine_);
      }
    }
    if (was_closed) Raise(TG_E_INVALID_ARGUMENT, "the engine is closed");
    return result;
  }

  py::tuple Decide(const std::string& account, const std::string& dialed, int64_t at_ms, uint64_t call_id,
                   bool record) {
    tg_call call = TG_CALL_INIT;
    call.account = tg_str{account.data(), account.size()};
    call.dialed = tg_str{dialed.data(), dialed.size()};
    call.start_unix_ms = at_ms;
    call.call_id = call_id;
    tg_decision d = TG_DECISION_INIT;
    const tg_status st = Use([&](tg_engine* e) {
      return record ? tg_call_begin(e, &call, &d) : tg_engine_score(e, &call, &d);
    });
    return DecisionTuple(st, d);
  }

  tg_status End(uint64_t call_id, int64_t at_ms, int32_t billed) {
    return Use([&](tg_engine* e) { return tg_call_end(e, call_id, at_ms, billed); });
  }

  void Reload(std::optional<std::string> policy) {
    tg_error err = TG_ERROR_INIT;
    const tg_status st = Use([&](tg_engine* e) { return tg_engine_reload(e, policy ? policy->c_str() : nullptr, &err); });
    if (st != TG_OK) RaiseError(err, st);
  }

  void SaveState(std::optional<std::string> path) {
    tg_error err = TG_ERROR_INIT;
    const tg_status st = Use([&](tg_engine* e) { return tg_engine_save_state(e, path ? path->c_str() : nullptr, &err); });
    if (st != TG_OK) RaiseError(err, st);
  }

  py::dict Stats() {
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

  py::dict Replay(py::array_t<int64_t, py::array::c_style | py::array::forcecast> start_ms, py::array account,
                  py::array dialed, py::array_t<int64_t, py::array::c_style | py::array::forcecast> duration);

 private:
  std::shared_mutex mu_;
  tg_engine* engine_ = nullptr;
  std::optional<std::string> warning_;
};

// Decisions of a replay in compact columns, written by the loop without the GIL.
class ColumnsSink : public rp::DecisionSink {
 public:
  explicit ColumnsSink(size_t n) : action(n), score(n), top_reason(n), reasons(n), number_type(n), risk_tier(n),
                                   max_duration(n), rate_micros(n), status(n), e164(n), country(n) {}
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

template <typename T>
py::array_t<T> ToNumpy(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(out.mutable_data(), v.data(), v.size() * sizeof(T));
  return out;
}

py::dict Engine::Replay(py::array_t<int64_t, py::array::c_style | py::array::forcecast> start_ms, py::array account,
                        py::array dialed, py::array_t<int64_t, py::array::c_style | py::array::forcecast> duration) {
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

std::optional<rp::Zone> LoadZone(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  rp::Zone z;
  std::string error;
  if (!rp::Zone::Load(*name, &z, &error)) Raise(TG_E_INVALID_ARGUMENT, "timezone: " + error);
  return z;
}

// Reads a CDR file into string columns plus parsed start / duration; bad rows are reported, not raised
// (strict: the first one is raised).
py::dict ReadCdrs(const std::string& path, const std::string& format, std::optional<std::string> timezone,
                  bool strict) {
  rp::ReadOptions ro;
  if (format == "asterisk") {
    ro.format = rp::CdrFormat::kAsterisk;
    if (!timezone) Raise(TG_E_INVALID_ARGUMENT, "format='asterisk' needs timezone=: Master.csv holds the PBX's local times");
  } else if (format != "csv") {
    Raise(TG_E_INVALID_ARGUMENT, "format: expected 'csv' or 'asterisk', not '" + format + "'");
  }
  const std::optional<rp::Zone> zone = LoadZone(timezone);
  ro.zone = zone ? &*zone : nullptr;
  ro.strict = strict;
  rp::CdrTable t;
  std::string error;
  bool read_ok;
  rp::ReadStatus rs = rp::ReadStatus::kOk;
  {
    py::gil_scoped_release nogil;
    std::string text;
    read_ok = rp::ReadWholeFile(path, &text, &error);
    if (read_ok) rs = rp::ReadCdrs(std::move(text), ro, &t, &error);
  }
  if (!read_ok) Raise(TG_E_IO, error);
  if (rs == rp::ReadStatus::kBadHeader) Raise(TG_E_INVALID_ARGUMENT, path + ": " + error);
  if (rs == rp::ReadStatus::kStrictStop) {
    const rp::BadRow& b = t.bad_rows.back();
    Raise(TG_E_INVALID_ARGUMENT, path + ":" + std::to_string(b.line) + ": " + b.message, b.line, 0);
  }

  const size_t n = t.size(), ncols = t.num_fields;
  std::vector<ObjectColumn> cols;
  cols.reserve(ncols);
  for (size_t c = 0; c < ncols; ++c) cols.emplace_back(n);
  py::str empty("");
  std::vector<std::string_view> fields;
  std::string scratch;
  for (size_t i = 0; i < n; ++i) {
    rp::SplitRecord(t.raw[i], &fields, &scratch);
    for (size_t c = 0; c < ncols; ++c) {
      if (c < fields.size()) {
        cols[c].SetNew(i, PyUnicode_DecodeUTF8(fields[c].data(), static_cast<Py_ssize_t>(fields[c].size()), "replace"));
      } else {
        cols[c].Set(i, empty.ptr());
      }
    }
  }
  py::list values;
  for (auto& c : cols) values.append(c.release());
  std::vector<int64_t> duration(t.duration_s.begin(), t.duration_s.end());
  std::vector<int64_t> line(t.line.begin(), t.line.end());
  py::list bad;
  for (const rp::BadRow& b : t.bad_rows) bad.append(py::make_tuple(b.line, b.message));
  ObjectColumn account(n), dialed(n);
  for (size_t i = 0; i < n; ++i) {
    account.SetNew(i, PyUnicode_DecodeUTF8(t.account[i].data(), static_cast<Py_ssize_t>(t.account[i].size()), "replace"));
    dialed.SetNew(i, PyUnicode_DecodeUTF8(t.dialed[i].data(), static_cast<Py_ssize_t>(t.dialed[i].size()), "replace"));
  }
  py::dict out;
  out["columns"] = t.columns;
  out["values"] = values;
  out["start_ms"] = ToNumpy(t.start_ms);
  out["account"] = account.release();
  out["dialed"] = dialed.release();
  out["duration"] = ToNumpy(duration);
  out["line"] = ToNumpy(line);
  out["bad_rows"] = bad;
  out["bad_count"] = t.bad_count;
  return out;
}

// Parses start times given as text (an object array of str) into Unix ms; returns (ms, bad_index, message),
// bad_index -1 when all parse.
py::tuple ParseStarts(py::array values, std::optional<std::string> timezone) {
  const std::optional<rp::Zone> zone = LoadZone(timezone);
  StringColumn col;
  col.Load(values, "start");
  const size_t n = col.views.size();
  py::array_t<int64_t> out(static_cast<py::ssize_t>(n));
  int64_t* ms = out.mutable_data();
  int64_t bad = -1;
  const char* why = "";
  {
    py::gil_scoped_release nogil;
    for (size_t i = 0; i < n; ++i) {
      if (!rp::ParseStart(col.views[i], zone ? &*zone : nullptr, &ms[i], &why)) {
        bad = static_cast<int64_t>(i);
        break;
      }
    }
  }
  std::string message;
  if (bad >= 0) message = "'" + std::string(col.views[static_cast<size_t>(bad)].substr(0, 40)) + "': " + why;
  return py::make_tuple(out, bad, message);
}

}  // namespace

PYBIND11_MODULE(_tollguard, m) {
  m.doc() = "Thin binding of libtollguard's C API; use the tollguard package.";

  m.def("_set_error_class", [](py::object cls) {
    Py_XDECREF(g_error_class);
    g_error_class = cls.inc_ref().ptr();
  });
  m.def("status_string", &tg_status_string, py::arg("status"));
  m.def("reason_name", [](int bit) -> std::optional<std::string> {
    const char* s = tg_reason_name(bit);
    if (s == nullptr) return std::nullopt;
    return std::string(s);
  });
  m.def("number_type_name", &tg_number_type_name, py::arg("number_type"));
  m.def("action_name", [](int32_t action) -> std::optional<std::string> {
    const char* s = tg_action_name(action);
    if (s == nullptr) return std::nullopt;
    return std::string(s);
  });
  m.def("version_number", &tg_version_number);
  m.attr("HEADER_VERSION") = TG_VERSION_STRING;

  // Constants of the header, so Python never restates them.
  py::dict status;
  status["OK"] = static_cast<int>(TG_OK);
  status["E_INVALID_ARGUMENT"] = static_cast<int>(TG_E_INVALID_ARGUMENT);
  status["E_STRUCT_SIZE"] = static_cast<int>(TG_E_STRUCT_SIZE);
  status["E_STRUCT_TAIL"] = static_cast<int>(TG_E_STRUCT_TAIL);
  status["E_NUMBER_EMPTY"] = static_cast<int>(TG_E_NUMBER_EMPTY);
  status["E_NUMBER_CHARS"] = static_cast<int>(TG_E_NUMBER_CHARS);
  status["E_NUMBER_TOO_LONG"] = static_cast<int>(TG_E_NUMBER_TOO_LONG);
  status["E_NUMBER_COUNTRY"] = static_cast<int>(TG_E_NUMBER_COUNTRY);
  status["E_NUMBER_TOO_SHORT"] = static_cast<int>(TG_E_NUMBER_TOO_SHORT);
  status["E_POLICY"] = static_cast<int>(TG_E_POLICY);
  status["E_IO"] = static_cast<int>(TG_E_IO);
  status["E_STATE_CORRUPT"] = static_cast<int>(TG_E_STATE_CORRUPT);
  status["E_STATE_VERSION"] = static_cast<int>(TG_E_STATE_VERSION);
  status["E_UNKNOWN_CALL"] = static_cast<int>(TG_E_UNKNOWN_CALL);
  status["E_TIME"] = static_cast<int>(TG_E_TIME);
  status["E_CAPACITY"] = static_cast<int>(TG_E_CAPACITY);
  status["E_NO_MEMORY"] = static_cast<int>(TG_E_NO_MEMORY);
  status["E_INTERNAL"] = static_cast<int>(TG_E_INTERNAL);
  status["E_ACCOUNT"] = static_cast<int>(TG_E_ACCOUNT);
  m.attr("STATUS") = status;
  m.attr("REASON_COUNT") = static_cast<int>(TG_REASON_COUNT);
  m.attr("MAX_DIALED_LEN") = TG_MAX_DIALED_LEN;
  m.attr("MAX_ACCOUNT_LEN") = TG_MAX_ACCOUNT_LEN;
  m.attr("MIN_TIME_MS") = kMinMs;
  m.attr("MAX_TIME_MS") = kMaxMs;

  py::class_<Engine>(m, "Engine")
      .def(py::init<std::optional<std::string>, std::optional<std::string>, std::optional<std::string>,
                    std::optional<std::string>, uint32_t, uint32_t>(),
           py::arg("home_country"), py::arg("timezone"), py::arg("policy"), py::arg("state"),
           py::arg("max_accounts"), py::arg("max_live_calls"))
      .def("score", [](Engine& e, const std::string& account, const std::string& dialed, int64_t at_ms) {
             return e.Decide(account, dialed, at_ms, 0, false);
           }, py::arg("account"), py::arg("dialed"), py::arg("at_ms"))
      .def("begin", [](Engine& e, const std::string& account, const std::string& dialed, int64_t at_ms,
                       uint64_t call_id) { return e.Decide(account, dialed, at_ms, call_id, true); },
           py::arg("account"), py::arg("dialed"), py::arg("at_ms"), py::arg("call_id"))
      .def("end", &Engine::End, py::arg("call_id"), py::arg("at_ms"), py::arg("billed_seconds"))
      .def("reload", &Engine::Reload, py::arg("policy"))
      .def("save_state", &Engine::SaveState, py::arg("path"))
      .def("stats", &Engine::Stats)
      .def("replay", &Engine::Replay, py::arg("start_ms"), py::arg("account"), py::arg("dialed"), py::arg("duration"))
      .def("close", &Engine::Close)
      .def_property_readonly("closed", &Engine::closed)
      .def_property_readonly("warning", &Engine::warning);

  m.def("read_cdrs", &ReadCdrs, py::arg("path"), py::arg("format"), py::arg("timezone"), py::arg("strict"));
  m.def("parse_starts", &ParseStarts, py::arg("values"), py::arg("timezone"));
}
