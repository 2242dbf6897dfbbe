// The benchmark world: a synthetic carrier rate deck under real country codes, the embedded default policy
// extended to load it, an engine with warmed account history, and the call streams the benchmarks replay.
// Sizes come from the environment (WorldConfig::FromEnv) so that bench_smoke can run on a small world.
// Thread-safety: World::Get() builds the world once (magic static); afterwards it is read-only, except the
// engine, which is used through the thread-safe C API.
#ifndef TOLLGUARD_BENCH_WORLD_H_
#define TOLLGUARD_BENCH_WORLD_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tollguard/tollguard.h"

namespace tollguard::bench {

struct WorldConfig {
  size_t prefixes = 1000000;    // TG_BENCH_PREFIXES: rows of the synthetic rate deck
  size_t accounts = 1000000;    // TG_BENCH_ACCOUNTS: accounts warmed with history
  int warm_calls = 3;           // TG_BENCH_WARM_CALLS: calls per account before measuring
  double zipf_s = 1.0;          // TG_BENCH_ZIPF: exponent of the hot streams (accounts and destinations)
  size_t stream_len = 0;        // TG_BENCH_STREAM: calls per stream; 0: 4 x max(prefixes, accounts), capped
  double reload_seconds = 3.0;  // TG_BENCH_RELOAD_SECONDS: length of each phase of BM_Reload_UnderLoad
  int min_reloads = 3;          // TG_BENCH_MIN_RELOADS: reloads completed in the loaded phase, at least
  uint64_t seed = 20250602;     // TG_BENCH_SEED
  std::string dir;              // TG_BENCH_DIR: where the deck and policy are written; "": a new /tmp dir
  bool thp = false;             // TG_BENCH_THP=1: madvise(MADV_HUGEPAGE) the account slab (an experiment)
  bool preallocate = false;     // TG_BENCH_PREALLOCATE=1: the policy's limits.preallocate_accounts
  size_t tenants = 0;           // TG_BENCH_TENANTS: 0 standalone accounts; N: "tK-acct" names, N tenants
  static WorldConfig FromEnv();
};

// One call of a stream: indexes into the world's accounts and destinations.
struct CallRef {
  uint32_t account;
  uint32_t dest;
};

// Simulated time: Monday 2025-06-02 09:00 Asia/Tokyo. Warm-up calls fall on business days of that week;
// measured calls start a week later.
inline constexpr int64_t kT0Ms = 1748822400000LL;
inline constexpr int64_t kMeasureStartMs = kT0Ms + 7 * 86400000LL;

class World {
 public:
  static World& Get();
  ~World();

  const WorldConfig& config() const { return cfg_; }
  size_t n_accounts() const { return acct_len_.size(); }
  size_t n_dests() const { return dial_len_.size(); }
  std::string_view account(uint32_t i) const { return {&acct_[size_t{i} * kAcctStride], acct_len_[i]}; }
  std::string_view dialed(uint32_t i) const { return {&dial_[size_t{i} * kDialStride], dial_len_[i]}; }
  std::string_view e164(uint32_t i) const { return {&e164_[size_t{i} * kE164Stride], e164_len_[i]}; }
  const char* account_ptr(uint32_t i) const { return &acct_[size_t{i} * kAcctStride]; }
  const char* dialed_ptr(uint32_t i) const { return &dial_[size_t{i} * kDialStride]; }

  const std::vector<CallRef>& hot() const { return hot_; }
  const std::vector<CallRef>& cold() const { return cold_; }

  tg_engine* engine() const { return engine_; }
  const std::string& deck_path() const { return deck_path_; }
  const std::string& policy_path() const { return policy_path_; }

  // The warm-up sequence (deterministic): fn(account, dest, start_ms, duration_s, call_id) per call.
  void ForEachWarmCall(const std::function<void(uint32_t, uint32_t, int64_t, int32_t, uint64_t)>& fn) const;

  // Facts gathered while building, for counters and the log.
  struct Facts {
    double deck_seconds = 0, engine_seconds = 0, warm_seconds = 0;
    double rss_per_account = 0;  // resident bytes added by warming, per account
    tg_engine_stats stats = TG_ENGINE_STATS_INIT;
    size_t dial_failures = 0;    // generated dial strings the engine could not normalize (should be 0)
  };
  const Facts& facts() const { return facts_; }
  tg_engine_stats Stats() const;

 private:
  explicit World(WorldConfig cfg);
  void MakeDeck();
  void MakeStreams();
  void MakeEngine();
  void Warm();
  void AdviseHugePages();
  void RemoveFiles();  // the deck, the policy and their folder, when this world made the folder

  static constexpr size_t kAcctStride = 16;
  static constexpr size_t kDialStride = 32;
  static constexpr size_t kE164Stride = 16;

  WorldConfig cfg_;
  std::vector<char> acct_;
  std::vector<uint8_t> acct_len_;
  std::vector<char> dial_, e164_;
  std::vector<uint8_t> dial_len_, e164_len_;
  std::vector<uint32_t> favorite_;  // each account's usual destination (Zipf)
  std::vector<CallRef> hot_, cold_;
  std::string deck_path_, policy_path_;
  bool own_dir_ = false;
  tg_engine* engine_ = nullptr;
  Facts facts_;
};

// Resident set size of this process, bytes (from /proc/self/statm).
size_t ResidentBytes();

// A small fast PRNG (splitmix64) for harness-side choices.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace tollguard::bench

#endif  // TOLLGUARD_BENCH_WORLD_H_
