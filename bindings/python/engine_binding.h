// _tollguard.Engine: one tg_engine behind a shared_mutex. The GIL is released around every C call and the
// replay loop; locks are taken only with the GIL released, so a thread waiting for close() never blocks the
// interpreter. Thread-safety: any number of Python threads; close() waits for calls in flight.
#ifndef TOLLGUARD_BINDINGS_PYTHON_ENGINE_BINDING_H_
#define TOLLGUARD_BINDINGS_PYTHON_ENGINE_BINDING_H_

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>

#include "bindings/python/py_common.h"

namespace tollguard::py_binding {

using Int64Array = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;

class Engine {
 public:
  // tg_engine_create; raises tollguard.Error with the tg_error's status, message, line and column.
  Engine(std::optional<std::string> home_country, std::optional<std::string> timezone,
         std::optional<std::string> policy, std::optional<std::string> state, uint32_t max_accounts,
         uint32_t max_live_calls);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  // Decides a call (tg_engine_score, or tg_call_begin when record). Returns (status, action, score,
  // top_reason, reasons_mask, e164, country, number_type, risk_tier, max_duration_s, rate_micros); the status is
  // returned, not raised (tollguard/_engine.py decides).
  py::tuple Decide(const std::string& account, const std::string& dialed, int64_t at_ms, uint64_t call_id,
                   bool record);
  tg_status End(uint64_t call_id, int64_t at_ms, int32_t billed);  // tg_call_end's status
  void Reload(std::optional<std::string> policy);                  // raises on error
  void SaveState(std::optional<std::string> path);                 // raises on error
  py::dict Stats();
  void Close();
  bool closed() const { return engine_ == nullptr; }
  // The message of a state file that could not be used at creation (the engine started empty).
  std::optional<std::string> warning() const { return warning_; }

  // Replays rows (tools/replay/replay.h) with the GIL released. account / dialed: object arrays of str.
  // Raises tollguard.Error for a start outside the engine's range, an empty or over-long account, or a
  // negative duration, naming the row. Returns a dict of numpy columns (see the binding's docs in _replay.py).
  py::dict Replay(Int64Array start_ms, py::array account, py::array dialed, Int64Array duration);

 private:
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

  std::shared_mutex mu_;
  tg_engine* engine_ = nullptr;
  std::optional<std::string> warning_;
};

}  // namespace tollguard::py_binding

#endif  // TOLLGUARD_BINDINGS_PYTHON_ENGINE_BINDING_H_
