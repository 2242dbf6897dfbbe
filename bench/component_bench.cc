// Benchmarks of the parts under the C API: BM_Normalize (lib/number), BM_ZoneOffset (lib/time), BM_Lookup
// (PrefixTable on the world's 1M-prefix table), BM_Load_1M (rate deck CSV to a usable table, through
// tg_engine_create and directly).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_common.h"
#include "bench/latency.h"
#include "bench/world.h"
#include "lib/destination/table_builder.h"
#include "lib/destination/table_files.h"
#include "lib/number/normalizer.h"
#include "lib/policy/loader.h"
#include "lib/state/account.h"
#include "lib/time/local_time.h"
#include "lib/util/embedded.h"

namespace tollguard::bench {

absl::StatusOr<destination::PrefixTable> BuildTableDirect(const std::string& deck_path) {
  std::string deck;
  absl::Status s = policy::ReadFile(deck_path, &deck);
  if (!s.ok()) return s;
  destination::TableBuilder builder;
  s = destination::LoadRangeCsv(EmbeddedDefaultTable(), "<embedded default table>", &builder);
  if (s.ok()) s = destination::LoadRateDeckCsv(deck, deck_path, &builder);
  if (!s.ok()) return s;
  // The default policy's risk rules, in short.
  destination::RiskRules rules;
  rules.home_region = "JP";
  for (const char* c : {"AL", "CU", "GM", "GN", "LV", "LT", "MV", "PG", "RS", "SB", "SO", "TL", "TN", "VU", "WS"}) {
    rules.high_risk.insert(c);
  }
  rules.intl_network_codes = {"881", "882", "883"};
  rules.high_risk_rate_multiplier = 3.0;
  rules.intl_tier = {1, 1, 1, 1, 3, 3, 1, 3, 2, 2, 2, 2};
  rules.domestic_tier = {0, 0, 0, 0, 2, 1, 0, 1, 1, 0, 1, 1};
  rules.intl_rate = {0.10, 0.20, 0.15, 0.10, 2.00, 0.50, 0.15, 0.60, 0.50, 0.40, 0.40, 1.00};
  rules.domestic_rate = {0.03, 0.15, 0.05, 0.0, 1.00, 0.10, 0.05, 0.20, 0.10, 0.10, 0.10, 0.10};
  return builder.Build(rules);
}

const destination::PrefixTable& DirectTable() {
  static const destination::PrefixTable* table = [] {
    auto t = BuildTableDirect(World::Get().deck_path());
    if (!t.ok()) {
      std::fprintf(stderr, "BuildTableDirect: %s\n", std::string(t.status().message()).c_str());
      std::abort();
    }
    return new destination::PrefixTable(*std::move(t));
  }();
  return *table;
}

void MemoryCounters(benchmark::State& state) {
  const World& w = World::Get();
  const destination::PrefixTable& t = DirectTable();
  const tg_engine_stats s = w.Stats();
  const double table_bytes = static_cast<double>(t.memory_bytes());
  state.counters["bytes_per_prefix"] = table_bytes / static_cast<double>(t.entries());
  // tg_engine_stats.memory_bytes is table + account store; the table is the same as the direct build's.
  state.counters["bytes_per_account"] =
      (static_cast<double>(s.memory_bytes) - table_bytes) / static_cast<double>(std::max<uint64_t>(1, s.accounts));
  state.counters["rss_per_account"] = w.facts().rss_per_account;
  state.counters["record_bytes"] = sizeof(state::AccountRecord);
}

namespace {

// Dial strings as PBXs send them (Japanese home plan), plus the world's generated ones.
const char* const kDialStrings[] = {
    "03-1234-5678",          "090-1234-5678",           "0120-123-456",          "0570-000-123",
    "010 44 20 7946 0958",   "010-1-876-555-0123",      "+1 (876) 555-0123",     "+44 7700 900123",
    "01049301234567",        "0104930123456",           "+8613812345678",        "010-63-2-8123-4567",
    "sip:+442079460958@carrier.example;user=phone",     "tel:+81-3-1234-5678",   "0101 268 464 1234",
    "010 882 16 1234 5678",  "+881 6 1234 5678",        "0101 284 300 1234",     "+7 495 123-45-67",
    "0033 010 44 20 7946 0958", "(03) 1234 5678",       "06.6123.4567",          "+234 803 123 4567",
    "010 53 5 1234567",
};

void BM_Normalize(benchmark::State& state) {
  auto plan = number::MakeDialPlan("JP");
  if (!plan.ok()) {
    state.SkipWithError("no JP dial plan");
    return;
  }
  std::vector<std::string> inputs(std::begin(kDialStrings), std::end(kDialStrings));
  const World& w = World::Get();
  for (uint32_t i = 0; i < 1000 && i < w.n_dests(); ++i) inputs.emplace_back(w.dialed(static_cast<uint32_t>(Mix64(i) % w.n_dests())));
  size_t i = 0, failures = 0;
  number::E164 e;
  static bool reported = false;
  for (const std::string& in : inputs) {
    const tg_status st = number::Normalize(*plan, in, &e);
    if (st != TG_OK && !reported) std::fprintf(stderr, "[normalize] '%s': %s\n", in.c_str(), tg_status_string(st));
  }
  reported = true;
  for (auto _ : state) {
    const tg_status st = number::Normalize(*plan, inputs[i], &e);
    benchmark::DoNotOptimize(e);
    failures += st != TG_OK;
    if (++i == inputs.size()) i = 0;
  }
  state.counters["inputs"] = static_cast<double>(inputs.size());
  state.counters["failed_pct"] = 100.0 * static_cast<double>(failures) / static_cast<double>(std::max<int64_t>(1, state.iterations()));
}
BENCHMARK(BM_Normalize);

// A unix time's UTC offset in a zone with DST (America/New_York: ~260 transitions 1970..2100) and without
// (Asia/Tokyo): the bucket table that ToLocal uses (search:0) against a binary search over the transitions
// (search:1). Instants are spread over 2020..2030. In cache here; under host cache pressure the search's
// ~8 dependent lines cost more (bench/decision_bench.cc BM_Decision_HostWork).
void BM_ZoneOffset(benchmark::State& state) {
  static const time::ZoneOffsets* zones[2] = {new time::ZoneOffsets(*time::ZoneOffsets::Load("Asia/Tokyo")),
                                              new time::ZoneOffsets(*time::ZoneOffsets::Load("America/New_York"))};
  const time::ZoneOffsets& zone = *zones[state.range(0)];
  const bool search = state.range(1) != 0;
  std::vector<int64_t> at(4096);
  for (size_t i = 0; i < at.size(); ++i) at[i] = 1577836800 + static_cast<int64_t>(Mix64(i) % (10 * 365 * 86400ull));
  size_t i = 0;
  int64_t sum = 0;
  for (auto _ : state) {
    sum += search ? zone.SearchOffsetSeconds(at[i]) : zone.OffsetSeconds(at[i]);
    i = (i + 1) & (at.size() - 1);
  }
  benchmark::DoNotOptimize(sum);
}
BENCHMARK(BM_ZoneOffset)->ArgNames({"new_york", "search"})->ArgsProduct({{0, 1}, {0, 1}});

// Longest-prefix match of full E.164 numbers, uniform over the table's deck prefixes or Zipf. With
// prefetch:1, PrefixTable::Prefetch is issued 4 calls ahead (the two-phase idea: a hint when the INVITE is
// parsed, the lookup at routing time).
void BM_Lookup(benchmark::State& state) {
  const World& w = World::Get();
  const destination::PrefixTable& t = DirectTable();
  const std::vector<CallRef>& stream = state.range(0) ? w.hot() : w.cold();
  const bool prefetch = state.range(1) != 0;
  const Tsc& tsc = Tsc::Get();
  Histogram h;
  static uint64_t runs = 0;
  size_t pos = Mix64(++runs) % stream.size();
  size_t misses = 0;
  for (auto _ : state) {
    char digits[16];
    const std::string_view e = w.e164(stream[pos].dest);
    std::memcpy(digits, e.data(), sizeof digits);
    __builtin_prefetch(w.e164(stream[(pos + 16) % stream.size()].dest).data());
    if (prefetch) t.Prefetch(w.e164(stream[(pos + 4) % stream.size()].dest));
    if (++pos == stream.size()) pos = 0;
    int len = 0;
    const uint64_t t0 = TscBegin();
    const destination::Attrs* a = t.Lookup(std::string_view(digits, e.size()), &len);
    benchmark::DoNotOptimize(a);
    const uint64_t t1 = TscEnd();
    misses += a == nullptr;
    h.Add(t1 - t0 > tsc.overhead ? t1 - t0 - tsc.overhead : 0);
  }
  LatencyCounters(state, h, "");
  state.counters["not_found"] = static_cast<double>(misses);
  state.counters["entries"] = static_cast<double>(t.entries());
  state.counters["bytes_per_prefix"] = static_cast<double>(t.memory_bytes()) / static_cast<double>(t.entries());
}
BENCHMARK(BM_Lookup)->ArgNames({"zipf", "prefetch"})->Args({0, 0})->Args({1, 0})->Args({0, 1});

// Rate deck CSV to a usable table. zipf-free: arg 0 = tg_engine_create with the deck policy (parse policy,
// default table, deck, build, small account store); arg 1 = ReadFile + loaders + TableBuilder::Build only.
void BM_Load_1M(benchmark::State& state) {
  const World& w = World::Get();
  size_t entries = 0, bytes = 0;
  for (auto _ : state) {
    if (state.range(0) == 0) {
      tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
      o.policy_path = w.policy_path().c_str();
      o.max_accounts = 1024;
      o.max_live_calls = 1024;
      tg_engine* e = nullptr;
      tg_error err = TG_ERROR_INIT;
      if (tg_engine_create(&o, &e, &err) != TG_OK) {
        state.SkipWithError(err.message);
        return;
      }
      state.PauseTiming();
      tg_engine_stats s = TG_ENGINE_STATS_INIT;
      tg_engine_get_stats(e, &s);
      entries = s.prefixes;
      tg_engine_destroy(e);
      state.ResumeTiming();
    } else {
      auto t = BuildTableDirect(w.deck_path());
      if (!t.ok()) {
        state.SkipWithError(std::string(t.status().message()).c_str());
        return;
      }
      state.PauseTiming();
      entries = t->entries();
      bytes = t->memory_bytes();
      t = absl::StatusOr<destination::PrefixTable>();
      state.ResumeTiming();
    }
  }
  state.counters["prefixes"] = static_cast<double>(entries);
  if (bytes) state.counters["bytes_per_prefix"] = static_cast<double>(bytes) / static_cast<double>(entries);
  state.counters["deck_rows"] = static_cast<double>(w.config().prefixes);
}
BENCHMARK(BM_Load_1M)->ArgName("direct")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tollguard::bench
