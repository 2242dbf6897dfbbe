// Pieces the benchmark files share: staging one call's strings, a per-thread cursor over a call stream,
// counters, the allocation count of this thread, and the 1M-prefix table built directly (no engine).
// Thread-safety: CallCursor and Staged belong to one thread; DirectTable() is built once (magic static).
#ifndef TOLLGUARD_BENCH_BENCH_COMMON_H_
#define TOLLGUARD_BENCH_BENCH_COMMON_H_

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/latency.h"
#include "bench/world.h"
#include "lib/destination/prefix_table.h"

namespace tollguard::bench {

// One call's strings copied to the stack, as a caller would hold them.
struct Staged {
  char acct[16];
  char dial[32];
  uint8_t alen, dlen;
  Staged(const World& w, CallRef c) {
    std::memcpy(acct, w.account_ptr(c.account), sizeof acct);
    std::memcpy(dial, w.dialed_ptr(c.dest), sizeof dial);
    alen = static_cast<uint8_t>(w.account(c.account).size());
    dlen = static_cast<uint8_t>(w.dialed(c.dest).size());
  }
  std::string_view account() const { return {acct, alen}; }
  std::string_view dialed() const { return {dial, dlen}; }
  // The C API call for these strings (they must outlive it).
  tg_call Call(int64_t start_ms, uint64_t call_id) const {
    tg_call call = TG_CALL_INIT;
    call.account = {acct, alen};
    call.dialed = {dial, dlen};
    call.start_unix_ms = start_ms;
    call.call_id = call_id;
    return call;
  }
};

// Where one benchmark thread is in a stream, its call ids (unique per run) and its simulated clock
// (continues from where the previous run left it; 1 ms per call per thread).
struct CallCursor {
  CallCursor(int thread_index, size_t stream_len);
  ~CallCursor();
  // The call at pos (then pos advances); the strings of the call 16 ahead are prefetched, so that the
  // harness's own inputs are in cache when a decision is timed.
  CallRef Next(const World& w, const std::vector<CallRef>& stream);
  size_t pos;
  uint64_t next_id;
  int64_t sim_ms;
};

// Operator new calls made by this thread so far (bench/main.cc replaces the global operator new).
uint64_t ThreadAllocs();

// p50_ns<suffix>, p99_ns<suffix>, p999_ns<suffix>, averaged over threads.
void LatencyCounters(benchmark::State& state, const Histogram& h, const char* suffix);

// What a decision loop counted, for DecisionCounters.
struct LoopTally {
  uint64_t calls = 0;              // timed decisions
  uint64_t actions[3] = {0, 0, 0};  // allow, alert, block
  uint64_t errors = 0;              // unexpected statuses (the benchmark then fails)
  uint64_t allocs = 0;              // operator new calls inside the loop
  double wall_s = 0;
};
// max_us (of h), calls_per_s, alert_pct, block_pct, errors, allocs_per_call; skips with an error when
// errors > 0.
void DecisionCounters(benchmark::State& state, const Histogram& h, const LoopTally& t);

// bytes_per_prefix, bytes_per_account, rss_per_account, record_bytes.
void MemoryCounters(benchmark::State& state);

// Reads the deck CSV and builds the table the way the policy loader does (default table + deck + rules).
absl::StatusOr<destination::PrefixTable> BuildTableDirect(const std::string& deck_path);
// The world's table built that way, once.
const destination::PrefixTable& DirectTable();

// The callgrind mode (decision_bench.cc).
void RunDecisionsForProfile(bool cold, uint64_t warm, uint64_t n, void (*between)(), void (*after)());

}  // namespace tollguard::bench

#endif  // TOLLGUARD_BENCH_BENCH_COMMON_H_
