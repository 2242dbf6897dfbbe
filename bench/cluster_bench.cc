// Cluster mode's cost on the hot path (issue 8, docs/CLUSTER.md): BM_Decision_Cluster/cluster:0 and :1
// replay the same hot stream (a tg_call_begin + tg_call_end pair per iteration) through two engines built
// the same way from the world's policy and warmed with the same calls; :1 adds a `cluster` section.
// TG_BENCH_REDIS=host:port: the cluster engine talks to that Redis, and a peer engine (another node id,
// warmed with the same calls) fills it with remote shares, so that decisions read and add them. Unset: the
// address is unreachable (127.0.0.1:1), so the hot path publishes and probes an empty remote table while
// the sync thread retries in the background.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "bench/bench_common.h"
#include "bench/latency.h"
#include "bench/world.h"

namespace tollguard::bench {
namespace {

tg_engine* MakeEngine(const World& w, const std::string& extra, const char* tag) {
  std::ifstream in(w.policy_path(), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string path = w.policy_path() + "." + tag + ".textproto";
  std::ofstream out(path, std::ios::binary);
  out << text.str() << "\n" << extra;
  out.close();
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.policy_path = path.c_str();
  o.max_accounts = static_cast<uint32_t>(w.n_accounts() + std::max<size_t>(w.n_accounts() / 10, 16384));
  tg_error err = TG_ERROR_INIT;
  tg_engine* e = nullptr;
  if (tg_engine_create(&o, &e, &err) != TG_OK) throw std::runtime_error(std::string("cluster bench: ") + err.message);
  std::remove(path.c_str());
  w.ForEachWarmCall([&](uint32_t a, uint32_t dest, int64_t start, int32_t dur, uint64_t id) {
    tg_call call = TG_CALL_INIT;
    const std::string_view acct = w.account(a), dial = w.dialed(dest);
    call.account = {acct.data(), acct.size()};
    call.dialed = {dial.data(), dial.size()};
    call.start_unix_ms = start;
    call.call_id = id;
    tg_decision d = TG_DECISION_INIT;
    if (tg_call_begin(e, &call, &d) == TG_OK && d.action != TG_ACTION_BLOCK) {
      tg_call_end(e, id, start + dur * 1000LL, dur);
    }
  });
  return e;
}

struct Engines {
  tg_engine* off = nullptr;
  tg_engine* on = nullptr;
  tg_engine* peer = nullptr;
  bool redis = false;
};

Engines& Get() {
  static Engines* engines = [] {
    const World& w = World::Get();
    unsetenv("TOLLGUARD_NODE_ID");  // the policies below name the nodes
    auto* e = new Engines;
    const char* redis = std::getenv("TG_BENCH_REDIS");
    e->redis = redis != nullptr && *redis;
    const std::string addr = e->redis ? redis : "127.0.0.1:1";
    auto cluster = [&](const char* node) {
      return "cluster { redis_address: \"" + addr + "\" node_id: \"" + node +
             "\" key_prefix: \"tgbench:\" sync_interval_ms: 100 remote_accounts: " +
             std::to_string(w.n_accounts()) + " }\n";
    };
    const auto t0 = std::chrono::steady_clock::now();
    e->off = MakeEngine(w, "", "off");
    if (e->redis) e->peer = MakeEngine(w, cluster("bench-peer"), "peer");
    e->on = MakeEngine(w, cluster("bench-on"), "on");
    if (e->redis) std::this_thread::sleep_for(std::chrono::seconds(2));  // the peer's shares arrive
    std::fprintf(stderr, "[cluster] engines off/on%s built and warmed in %.2f s (redis: %s)\n",
                 e->redis ? "/peer" : "", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                 addr.c_str());
    return e;
  }();
  return *engines;
}

void BM_Decision_Cluster(benchmark::State& state) {
  World& w = World::Get();
  Engines& e = Get();
  tg_engine* engine = state.range(0) ? e.on : e.off;
  const std::vector<CallRef>& stream = w.hot();
  const Tsc& tsc = Tsc::Get();
  Histogram h;
  static int64_t sim_ms[2] = {kMeasureStartMs, kMeasureStartMs};
  static uint64_t next_id[2] = {uint64_t{1} << 41, uint64_t{1} << 41};
  int64_t& now = sim_ms[state.range(0) ? 1 : 0];
  uint64_t& id = next_id[state.range(0) ? 1 : 0];
  size_t pos = 0;
  uint64_t errors = 0, blocked = 0;
  tg_decision d = TG_DECISION_INIT;
  const uint64_t allocs0 = ThreadAllocs();
  for (auto _ : state) {
    const CallRef c = stream[pos];
    const CallRef ahead = stream[(pos + 16) % stream.size()];
    __builtin_prefetch(w.account_ptr(ahead.account));
    __builtin_prefetch(w.dialed_ptr(ahead.dest));
    if (++pos == stream.size()) pos = 0;
    Staged in(w, c);
    const tg_call call = in.Call(now++, id++);
    const int32_t dur = 30 + static_cast<int32_t>(Mix64(call.call_id) % 570);
    const uint64_t t0 = TscBegin();
    tg_status st = tg_call_begin(engine, &call, &d);
    if (st == TG_OK && d.action != TG_ACTION_BLOCK) st = tg_call_end(engine, call.call_id, call.start_unix_ms + dur * 1000LL, dur);
    const uint64_t t1 = TscEnd();
    h.Add(t1 - t0 > tsc.overhead ? t1 - t0 - tsc.overhead : 0);
    errors += st != TG_OK;
    blocked += d.action == TG_ACTION_BLOCK;
  }
  const uint64_t allocs = ThreadAllocs() - allocs0;
  LatencyCounters(state, h, "");
  state.counters["allocs_per_call"] =
      static_cast<double>(allocs) / static_cast<double>(std::max<uint64_t>(1, h.total()));
  state.counters["block_pct"] = 100.0 * static_cast<double>(blocked) / static_cast<double>(std::max<uint64_t>(1, h.total()));
  state.counters["redis"] = e.redis ? 1 : 0;
  if (errors > 0) state.SkipWithError("a call returned an unexpected status");
}

BENCHMARK(BM_Decision_Cluster)->ArgName("cluster")->Arg(0)->Arg(1)->UseRealTime();

}  // namespace
}  // namespace tollguard::bench
