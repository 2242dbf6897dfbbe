// BM_Prototype_Lean_Cold / _Hot: the issue 6 prototype (bench/lean_prototype) on the shared world's cold and
// hot streams, replayed exactly as decision_bench.cc's RunDecisions replays them for the naive baseline
// (strings staged outside the clock, begin + end of a connecting call timed with the TSC), so that its
// latency sits next to the engine's from the same run. A comparison point, not product code.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "bench/bench_common.h"
#include "bench/latency.h"
#include "bench/lean_prototype.h"
#include "bench/world.h"
#include "lib/util/embedded.h"

namespace tollguard::bench {
namespace {

// Built, checked against the naive lookup and warmed with the world's warm-up calls, once.
LeanPrototype& Lean() {
  static LeanPrototype* lean = [] {
    const World& w = World::Get();
    const auto t0 = std::chrono::steady_clock::now();
    LeanOptions o;
    o.huge_pages = w.config().thp || w.config().preallocate;  // when the engine's records get them too
    auto* p = new LeanPrototype(EmbeddedDefaultTable(), EmbeddedDefaultPolicy(), w.deck_path(), w.n_accounts(), &w, o);
    LeanDecision d;
    w.ForEachWarmCall([&](uint32_t a, uint32_t dest, int64_t start, int32_t dur, uint64_t id) {
      if (p->Begin(w.account(a), w.dialed(dest), start, id, &d) == 0 && d.action != TG_ACTION_BLOCK) {
        p->End(id, start + dur * 1000LL, dur);
      }
    });
    std::fprintf(stderr, "[lean] %zu prefixes (%.1f MB), %zu accounts (%.1f MB of lines), huge pages %s, built and "
                 "warmed in %.2f s\n", p->prefixes(), static_cast<double>(p->prefix_bytes()) / 1e6, p->accounts(),
                 static_cast<double>(p->account_bytes()) / 1e6, o.huge_pages ? "advised" : "no",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return p;
  }();
  return *lean;
}

void RunLean(benchmark::State& state, const std::vector<CallRef>& stream) {
  World& w = World::Get();
  LeanPrototype& lean = Lean();
  const Tsc& tsc = Tsc::Get();
  Histogram h;
  CallCursor cur(state.thread_index(), stream.size());
  LoopTally tally;
  const uint64_t allocs0 = ThreadAllocs();
  LeanDecision d;
  const auto wall0 = std::chrono::steady_clock::now();
  for (auto _ : state) {
    Staged in(w, cur.Next(w, stream));
    const uint64_t id = cur.next_id++;
    const int64_t start = cur.sim_ms;
    cur.sim_ms += 1;
    const int32_t dur = 30 + static_cast<int32_t>(Mix64(id) % 570);
    const uint64_t t0 = TscBegin();
    const int st = lean.Begin(in.account(), in.dialed(), start, id, &d);
    int st2 = 0;
    if (st == 0 && d.action != TG_ACTION_BLOCK) st2 = lean.End(id, start + dur * 1000LL, dur);
    const uint64_t t1 = TscEnd();
    tally.errors += (st != 0) + (st2 != 0);
    h.Add(t1 - t0 > tsc.overhead ? t1 - t0 - tsc.overhead : 0);
    ++tally.actions[std::clamp(d.action, 0, 2)];
  }
  tally.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  tally.allocs = ThreadAllocs() - allocs0;  // before the counters below allocate
  tally.calls = h.total();
  LatencyCounters(state, h, "");
  DecisionCounters(state, h, tally);
  if (state.thread_index() == 0) {
    state.counters["accounts"] = static_cast<double>(lean.accounts());
    state.counters["bytes_per_account"] =
        static_cast<double>(lean.account_bytes()) / static_cast<double>(std::max<size_t>(1, w.n_accounts()));
    state.counters["bytes_per_prefix"] =
        static_cast<double>(lean.prefix_bytes()) / static_cast<double>(std::max<size_t>(1, lean.prefixes()));
  }
}

void BM_Prototype_Lean_Cold(benchmark::State& state) { RunLean(state, World::Get().cold()); }
void BM_Prototype_Lean_Hot(benchmark::State& state) { RunLean(state, World::Get().hot()); }

// Single-threaded: the prototype has no locks.
BENCHMARK(BM_Prototype_Lean_Cold)->Threads(1)->UseRealTime();
BENCHMARK(BM_Prototype_Lean_Hot)->Threads(1)->UseRealTime();

}  // namespace
}  // namespace tollguard::bench
