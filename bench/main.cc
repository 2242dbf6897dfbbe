// tollguard_bench: Google Benchmark main plus a dedicated profiling mode.
//   tollguard_bench [--benchmark_* flags]        the benchmarks (world size from TG_BENCH_* variables)
//   tollguard_bench --tg_decisions=N [--tg_warm=M] [--tg_stream=cold|hot]
//                                                 M warm-up then N measured begin+end pairs, for callgrind
// The global operator new is replaced to count allocations per thread (allocs_per_call counters).
#include <benchmark/benchmark.h>
#ifdef TG_HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_DUMP_STATS_AT(x)
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "bench/bench_common.h"
#include "bench/latency.h"
#include "bench/world.h"

namespace {
thread_local uint64_t t_allocs = 0;
}

void* operator new(std::size_t n) {
  ++t_allocs;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace tollguard::bench {
uint64_t ThreadAllocs() { return t_allocs; }
}  // namespace tollguard::bench

namespace {

void StartInstrumentation() { CALLGRIND_START_INSTRUMENTATION; }
void ZeroStats() { CALLGRIND_DUMP_STATS_AT("warm-up"); }  // dumps and zeroes: the final dump is the measured part
void Stop() { CALLGRIND_STOP_INSTRUMENTATION; }

bool TakeFlag(int* argc, char** argv, const char* name, std::string* value) {
  const size_t n = std::strlen(name);
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') {
      *value = argv[i] + n + 1;
      for (int j = i; j + 1 < *argc; ++j) argv[j] = argv[j + 1];
      --*argc;
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string decisions, warm = "200000", stream = "cold";
  const bool profile = TakeFlag(&argc, argv, "--tg_decisions", &decisions);
  TakeFlag(&argc, argv, "--tg_warm", &warm);
  TakeFlag(&argc, argv, "--tg_stream", &stream);
  if (profile) {
    tollguard::bench::World::Get();
    StartInstrumentation();
    tollguard::bench::RunDecisionsForProfile(stream != "hot", std::strtoull(warm.c_str(), nullptr, 10),
                                             std::strtoull(decisions.c_str(), nullptr, 10), ZeroStats, Stop);
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const tollguard::bench::Tsc& tsc = tollguard::bench::Tsc::Get();
  benchmark::AddCustomContext("tsc_ghz", std::to_string(1.0 / tsc.ns_per_tick));
  benchmark::AddCustomContext("tsc_overhead_ticks", std::to_string(tsc.overhead));
  const auto cfg = tollguard::bench::WorldConfig::FromEnv();
  benchmark::AddCustomContext("world", std::to_string(cfg.prefixes) + " prefixes, " + std::to_string(cfg.accounts) +
                                           " accounts, zipf " + std::to_string(cfg.zipf_s));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
