// Decision benchmarks through the public C API on the shared world: BM_Decision_Hot / _Cold (a
// tg_call_begin + tg_call_end pair per iteration), BM_Decision_Cold_TwoPhase, BM_Decision_HostWork (under
// host cache pressure, with and without the hint), BM_Score_Only, BM_Baseline_Naive_Cold (the same stream
// through bench/naive_baseline), and BM_Reload_UnderLoad. Each records a per-call latency histogram.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "bench/bench_common.h"
#include "bench/latency.h"
#include "bench/naive_baseline.h"
#include "bench/world.h"
#include "lib/util/embedded.h"

namespace tollguard::bench {
namespace {

std::atomic<uint64_t> g_run{1};
std::atomic<int64_t> g_sim_ms{kMeasureStartMs};

NaiveEngine& Naive() {
  static NaiveEngine* naive = [] {
    const World& w = World::Get();
    const auto t0 = std::chrono::steady_clock::now();
    auto* n = new NaiveEngine(EmbeddedDefaultTable(), w.deck_path());
    NaiveDecision d;
    w.ForEachWarmCall([&](uint32_t a, uint32_t dest, int64_t start, int32_t dur, uint64_t id) {
      if (n->Begin(w.account(a), w.dialed(dest), start, id, &d) == 0 && d.action != TG_ACTION_BLOCK) {
        n->End(id, start + dur * 1000LL, dur);
      }
    });
    std::fprintf(stderr, "[naive] %zu prefixes, %zu accounts, built and warmed in %.2f s\n", n->prefixes(),
                 n->accounts(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return n;
  }();
  return *naive;
}

}  // namespace

CallCursor::CallCursor(int thread_index, size_t stream_len) {
  const uint64_t run = g_run.fetch_add(1, std::memory_order_relaxed);
  pos = Mix64(run * 0x9e37 + static_cast<uint64_t>(thread_index)) % stream_len;
  next_id = (run << 40) + 1;  // warm-up ids stay below 2^40
  sim_ms = g_sim_ms.load(std::memory_order_relaxed);
}

CallRef CallCursor::Next(const World& w, const std::vector<CallRef>& stream) {
  const CallRef c = stream[pos];
  const CallRef ahead = stream[(pos + 16) % stream.size()];
  __builtin_prefetch(w.account_ptr(ahead.account));
  __builtin_prefetch(w.dialed_ptr(ahead.dest));
  if (++pos == stream.size()) pos = 0;
  return c;
}

void DecisionCounters(benchmark::State& state, const Histogram& h, const LoopTally& t) {
  const auto avg = benchmark::Counter::kAvgThreads;
  const double n = static_cast<double>(std::max<uint64_t>(1, t.calls));
  state.counters["max_us"] = benchmark::Counter(h.MaxNs() / 1000, avg);
  state.counters["calls_per_s"] = benchmark::Counter(static_cast<double>(t.calls) / t.wall_s);  // summed over threads
  state.counters["alert_pct"] = benchmark::Counter(100.0 * t.actions[1] / n, avg);
  state.counters["block_pct"] = benchmark::Counter(100.0 * t.actions[2] / n, avg);
  state.counters["errors"] = static_cast<double>(t.errors);
  if (t.errors > 0) state.SkipWithError("a call returned an unexpected status (see the errors counter)");
  state.counters["allocs_per_call"] = benchmark::Counter(static_cast<double>(t.allocs) / n, avg);
}

CallCursor::~CallCursor() {
  int64_t cur = g_sim_ms.load(std::memory_order_relaxed);
  while (cur < sim_ms && !g_sim_ms.compare_exchange_weak(cur, sim_ms, std::memory_order_relaxed)) {
  }
}

void LatencyCounters(benchmark::State& state, const Histogram& h, const char* suffix) {
  const auto avg = benchmark::Counter::kAvgThreads;
  const std::string s = suffix;
  state.counters["p50_ns" + s] = benchmark::Counter(h.QuantileNs(0.50), avg);
  state.counters["p99_ns" + s] = benchmark::Counter(h.QuantileNs(0.99), avg);
  state.counters["p999_ns" + s] = benchmark::Counter(h.QuantileNs(0.999), avg);
}

namespace {

enum class Op { kBeginEnd, kScore, kNaive, kTwoPhase, kHostWork };

// What the host (a SIP server) does around a decision, for Op::kHostWork: it parses the INVITE and looks
// things up (dialogs, registrations, routes) in memory of its own, which evicts the engine's lines from the
// caches between calls. `lines` random 64-byte lines of a 256 MiB host buffer are read and written per
// call, half before the hint (parsing) and half between the hint and the decision (routing). Every other
// call gets the hint, so that both halves of the comparison see the same engine state and clock.
struct HostWork {
  size_t lines = 0;
};

uint64_t* HostBuffer() {
  static constexpr size_t kBytes = size_t{256} << 20;
  static uint64_t* buf = [] {
    auto* b = static_cast<uint64_t*>(std::aligned_alloc(64, kBytes));
    std::memset(b, 1, kBytes);  // resident before anything is timed
    return b;
  }();
  return buf;
}

// Touches `n` random lines of the host buffer (independent addresses: the host's misses overlap, as a real
// host's would); returns a value that depends on them so that nothing is optimized away.
uint64_t TouchHost(uint64_t* buf, uint64_t seed, size_t n) {
  constexpr uint64_t kLines = (size_t{256} << 20) / 64;
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t* line = buf + (Mix64(seed + i) & (kLines - 1)) * 8;
    sum += ++*line;
  }
  return sum;
}

// Replays `stream` through `op`, timing each call (begin + end for kBeginEnd) with the TSC.
void RunDecisions(benchmark::State& state, const std::vector<CallRef>& stream, Op op, HostWork host = {}) {
  World& w = World::Get();
  uint64_t* const host_buf = op == Op::kHostWork ? HostBuffer() : nullptr;
  uint64_t host_sum = 0;
  NaiveEngine* naive = op == Op::kNaive ? &Naive() : nullptr;
  const Tsc& tsc = Tsc::Get();
  tg_engine* engine = w.engine();
  Histogram h, hp, hh;  // decisions; tg_engine_prefetch calls (kTwoPhase, kHostWork); hinted decisions (kHostWork)
  CallCursor cur(state.thread_index(), stream.size());
  LoopTally tally;
  const uint64_t allocs0 = ThreadAllocs();
  tg_decision d = TG_DECISION_INIT;
  NaiveDecision nd;
  const auto wall0 = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const CallRef c = cur.Next(w, stream);
    if (op == Op::kTwoPhase) {
      // The next call's hint, as an SBC would give it when the INVITE is parsed: one call ahead, i.e. a
      // decision's worth of time before that call is decided. Timed on its own.
      const CallRef next = stream[cur.pos];
      tg_call hint = TG_CALL_INIT;
      const std::string_view acc = w.account(next.account), dial = w.dialed(next.dest);
      hint.account = {acc.data(), acc.size()};
      hint.dialed = {dial.data(), dial.size()};
      const uint64_t p0 = TscBegin();
      tg_engine_prefetch(engine, &hint);
      const uint64_t p1 = TscEnd();
      hp.Add(p1 - p0 > tsc.overhead ? p1 - p0 - tsc.overhead : 0);
    }
    // The caller has the call's strings in cache (it just parsed the INVITE): stage them outside the clock.
    Staged in(w, c);
    const uint64_t id = cur.next_id++;
    const bool hinted = op == Op::kHostWork && (id & 1) != 0;
    if (op == Op::kHostWork) {
      host_sum += TouchHost(host_buf, id << 20, host.lines / 2);  // parsing the INVITE
      if (hinted) {
        tg_call hint = in.Call(0, id);  // the hint for this very call, then the host routes it
        const uint64_t p0 = TscBegin();
        tg_engine_prefetch(engine, &hint);
        const uint64_t p1 = TscEnd();
        hp.Add(p1 - p0 > tsc.overhead ? p1 - p0 - tsc.overhead : 0);
      }
      host_sum += TouchHost(host_buf, (id << 20) + host.lines, host.lines - host.lines / 2);  // routing
      __atomic_thread_fence(__ATOMIC_SEQ_CST);  // the host's stores drain before the clock starts
    }
    const int64_t start = cur.sim_ms;
    cur.sim_ms += 1;
    const int32_t dur = 30 + static_cast<int32_t>(Mix64(id) % 570);
    int action;
    uint64_t t0, t1;
    if (op == Op::kNaive) {
      t0 = TscBegin();
      const int st = naive->Begin(in.account(), in.dialed(), start, id, &nd);
      if (st == 0 && nd.action != TG_ACTION_BLOCK) naive->End(id, start + dur * 1000LL, dur);
      t1 = TscEnd();
      action = nd.action;
      tally.errors += st != 0;
    } else {
      const tg_call call = in.Call(start, id);
      tg_status st, st2 = TG_OK;
      if (op == Op::kScore) {
        t0 = TscBegin();
        st = tg_engine_score(engine, &call, &d);
        t1 = TscEnd();
      } else {
        t0 = TscBegin();
        st = tg_call_begin(engine, &call, &d);
        // A connected call ends; a blocked one (or an unusable number) never became live.
        if (st == TG_OK && d.action != TG_ACTION_BLOCK) st2 = tg_call_end(engine, id, start + dur * 1000LL, dur);
        t1 = TscEnd();
      }
      action = d.action;
      tally.errors += (st != TG_OK) + (st2 != TG_OK);
    }
    (hinted ? hh : h).Add(t1 - t0 > tsc.overhead ? t1 - t0 - tsc.overhead : 0);
    ++tally.actions[std::clamp(action, 0, 2)];
  }
  tally.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  tally.allocs = ThreadAllocs() - allocs0;  // before the counters below allocate
  tally.calls = h.total() + hh.total();
  LatencyCounters(state, h, "");
  if (op == Op::kTwoPhase || op == Op::kHostWork) LatencyCounters(state, hp, "_prefetch");
  if (op == Op::kHostWork) LatencyCounters(state, hh, "_hinted");
  benchmark::DoNotOptimize(host_sum);
  DecisionCounters(state, h, tally);
  if (op != Op::kNaive && state.thread_index() == 0) {
    const tg_engine_stats s = w.Stats();
    state.counters["accounts"] = static_cast<double>(s.accounts);
    state.counters["evicted"] = static_cast<double>(s.evicted);
  }
}

void BM_Decision_Hot(benchmark::State& state) { RunDecisions(state, World::Get().hot(), Op::kBeginEnd); }
void BM_Decision_Cold(benchmark::State& state) {
  RunDecisions(state, World::Get().cold(), Op::kBeginEnd);
  if (state.thread_index() == 0) MemoryCounters(state);
}
// The two-phase use: tg_engine_prefetch for the next call, then the decision of this one (timed alone).
void BM_Decision_Cold_TwoPhase(benchmark::State& state) { RunDecisions(state, World::Get().cold(), Op::kTwoPhase); }
// Under host cache pressure: the host touches range(0) KiB of its own memory per call around the decision;
// every other call gets the hint after parsing, before routing (p50_ns_hinted), the others none (p50_ns).
// Only the decision is timed (the hint apart: p50_ns_prefetch).
void BM_Decision_HostWork(benchmark::State& state) {
  const HostWork host{static_cast<size_t>(state.range(0)) * 1024 / 64};
  RunDecisions(state, World::Get().cold(), Op::kHostWork, host);
}
void BM_Score_Only(benchmark::State& state) {
  RunDecisions(state, state.range(0) ? World::Get().cold() : World::Get().hot(), Op::kScore);
}
void BM_Baseline_Naive_Cold(benchmark::State& state) { RunDecisions(state, World::Get().cold(), Op::kNaive); }

BENCHMARK(BM_Decision_Hot)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_Decision_Cold)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_Decision_Cold_TwoPhase)->Threads(1)->UseRealTime();
BENCHMARK(BM_Decision_HostWork)->ArgName("host_kib")->Arg(0)->Arg(16)->Arg(256)->UseRealTime();
BENCHMARK(BM_Score_Only)->ArgName("cold")->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(BM_Baseline_Naive_Cold)->Threads(1)->Threads(2)->UseRealTime();

// Readers' latency with the policy (1M-row deck included) reloaded every 10 ms by another thread, against
// an idle phase of the same length just before, on the same stream. One iteration = both phases.
void BM_Reload_UnderLoad(benchmark::State& state) {
  World& w = World::Get();
  const std::vector<CallRef>& stream = state.range(0) ? w.cold() : w.hot();
  const Tsc& tsc = Tsc::Get();
  const double phase_s = w.config().reload_seconds;
  Histogram idle, loaded;
  std::atomic<int> reloads{0}, reload_errors{0};
  std::atomic<double> reload_ms{0};
  for (auto _ : state) {
    CallCursor cur(0, stream.size());
    tg_decision d = TG_DECISION_INIT;
    auto decide = [&](Histogram* h) {
      Staged in(w, cur.Next(w, stream));
      const tg_call call = in.Call(cur.sim_ms++, cur.next_id++);
      const int32_t dur = 30 + static_cast<int32_t>(Mix64(call.call_id) % 570);
      const uint64_t t0 = TscBegin();
      if (tg_call_begin(w.engine(), &call, &d) == TG_OK && d.action != TG_ACTION_BLOCK) {
        tg_call_end(w.engine(), call.call_id, call.start_unix_ms + dur * 1000LL, dur);
      }
      const uint64_t t1 = TscEnd();
      h->Add(t1 - t0 > tsc.overhead ? t1 - t0 - tsc.overhead : 0);
    };
    using Clock = std::chrono::steady_clock;
    const auto phase = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(phase_s));
    auto t_end = Clock::now() + phase;
    for (uint64_t i = 0;; ++i) {
      decide(&idle);
      if ((i & 1023) == 0 && Clock::now() >= t_end) break;
    }
    std::atomic<bool> stop{false};
    std::thread reloader([&] {
      tg_error err = TG_ERROR_INIT;
      while (!stop.load()) {
        const auto r0 = Clock::now();
        if (tg_engine_reload(w.engine(), nullptr, &err) != TG_OK) reload_errors.fetch_add(1);
        reload_ms.store(reload_ms.load() + std::chrono::duration<double, std::milli>(Clock::now() - r0).count());
        reloads.fetch_add(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
    const int before = reloads.load();
    t_end = Clock::now() + phase;
    const auto t_cap = Clock::now() + 20 * phase + std::chrono::seconds(60);
    for (uint64_t i = 0;; ++i) {
      decide(&loaded);
      if ((i & 1023) == 0) {
        const auto now = Clock::now();
        if ((now >= t_end && reloads.load() - before >= w.config().min_reloads) || now >= t_cap) break;
      }
    }
    stop.store(true);
    reloader.join();
  }
  LatencyCounters(state, idle, "_idle");
  LatencyCounters(state, loaded, "_reload");
  const double p99_idle = idle.QuantileNs(0.99);
  state.counters["p99_ratio"] = p99_idle > 0 ? loaded.QuantileNs(0.99) / p99_idle : 0;
  state.counters["reloads"] = reloads.load();
  state.counters["reload_errors"] = reload_errors.load();
  state.counters["reload_ms"] = reloads.load() ? reload_ms.load() / reloads.load() : 0;
  state.counters["decisions_idle"] = static_cast<double>(idle.total());
  state.counters["decisions_reload"] = static_cast<double>(loaded.total());
}
BENCHMARK(BM_Reload_UnderLoad)->ArgName("cold")->Arg(0)->Arg(1)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

// The dedicated mode for callgrind (--tg_decisions=N): `warm` decisions, then N measured ones, both from
// the cold or hot stream. Under callgrind, run with --instr-atstart=no: the client requests switch
// instrumentation on after the world is built and zero the counters after the warm batch.
void RunDecisionsForProfile(bool cold, uint64_t warm, uint64_t n, void (*between)(), void (*after)()) {
  World& w = World::Get();
  const std::vector<CallRef>& stream = cold ? w.cold() : w.hot();
  CallCursor cur(0, stream.size());
  tg_decision d = TG_DECISION_INIT;
  uint64_t actions[3] = {0, 0, 0};
  uint64_t statuses[TG_E_ACCOUNT + 1] = {};
  auto run = [&](uint64_t count) {
    for (uint64_t i = 0; i < count; ++i) {
      const CallRef c = stream[cur.pos];
      if (++cur.pos == stream.size()) cur.pos = 0;
      Staged in(w, c);
      const tg_call call = in.Call(cur.sim_ms++, cur.next_id++);
      const tg_status st = tg_call_begin(w.engine(), &call, &d);
      ++statuses[std::clamp<int>(st, 0, TG_E_ACCOUNT)];
      if (st == TG_OK && d.action != TG_ACTION_BLOCK) {
        ++statuses[std::clamp<int>(tg_call_end(w.engine(), call.call_id, call.start_unix_ms + 60000, 60), 0, TG_E_ACCOUNT)];
      }
      ++actions[std::clamp(d.action, 0, 2)];
    }
  };
  run(warm);
  between();
  actions[0] = actions[1] = actions[2] = 0;
  run(n);
  after();
  std::printf("decisions %llu (%s): allow %llu alert %llu block %llu\n", static_cast<unsigned long long>(n),
              cold ? "cold" : "hot", static_cast<unsigned long long>(actions[0]),
              static_cast<unsigned long long>(actions[1]), static_cast<unsigned long long>(actions[2]));
  for (int i = 1; i <= TG_E_ACCOUNT; ++i) {
    if (statuses[i]) std::printf("  status %s: %llu\n", tg_status_string(i), static_cast<unsigned long long>(statuses[i]));
  }
}

}  // namespace tollguard::bench
