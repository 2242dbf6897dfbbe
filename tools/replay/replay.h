// The replay loop: feeds CDR rows through a tollguard engine in the order the calls were set up, through
// the public C API only (tg_call_begin / tg_call_end), as an SBC would have seen them.
//
// Exports usually list calls in END order; replay orders rows by start (stable: equal starts keep their input
// order), and before each start delivers the ends (tg_call_end at start + billed duration, billed = duration)
// of earlier calls that ended at or before it (a min-heap by end time; equal ends in begin order). The ring
// time is not in the CDR, so a call is taken to end `duration` seconds after its start. A blocked call is never
// connected (no end, no spend); an allowed or alerted call of duration 0 is ended at its start with 0 billed.
// Calls still live after the last row are ended in end order, so a saved state holds no live calls.
//
// Thread-safety: Replay uses the engine like any other caller (the engine may be shared); the input and the
// sink belong to the calling thread. Allocates: the ordering and the heap (O(rows)).
#ifndef TOLLGUARD_TOOLS_REPLAY_REPLAY_H_
#define TOLLGUARD_TOOLS_REPLAY_REPLAY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "tollguard/tollguard.h"

namespace tollguard::replay {

// Rows as parallel columns; all pointers cover `rows` entries.
struct ReplayInput {
  size_t rows = 0;
  const int64_t* start_ms = nullptr;  // Unix milliseconds (UTC)
  const std::string_view* account = nullptr;
  const std::string_view* dialed = nullptr;
  const int32_t* duration_s = nullptr;  // billed seconds, >= 0
};

// Receives each row's decision as it is made (rows arrive in start order; `row` is the input index).
class DecisionSink {
 public:
  virtual ~DecisionSink() = default;
  virtual void Decided(size_t row, tg_status status, const tg_decision& decision) = 0;
};

struct ReplayOptions {
  // Call ids are call_id_base + input index; the high base keeps them apart from live calls in a loaded state.
  uint64_t call_id_base = uint64_t{1} << 62;
  // Called about every 64 Ki rows with the rows decided so far (may be empty).
  std::function<void(size_t done, size_t total)> progress;
};

struct ReplayCounts {
  uint64_t calls = 0;           // tg_call_begin calls
  uint64_t blocked = 0;
  uint64_t alerted = 0;
  uint64_t invalid_numbers = 0; // TG_E_NUMBER_* (decided by the policy's invalid-number treatment)
  uint64_t other_errors = 0;    // any other status of tg_call_begin (TG_E_CAPACITY, TG_E_TIME, ...)
  uint64_t connected = 0;       // calls that became live and were ended
  uint64_t end_errors = 0;      // tg_call_end statuses other than TG_OK
};

ReplayCounts Replay(tg_engine* engine, const ReplayInput& input, DecisionSink* sink, const ReplayOptions& options);

}  // namespace tollguard::replay

#endif  // TOLLGUARD_TOOLS_REPLAY_REPLAY_H_
