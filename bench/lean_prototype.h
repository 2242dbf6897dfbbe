// The prototype behind issue 6's latency targets, rebuilt as a comparison point in the benchmark binary (like
// bench/naive_baseline: not product code). A full decision with a small signal set and as little memory
// traffic as we could arrange:
//   normalize   digits only, for the world's dial forms (+, 010, national 0), no allocation;
//   lookup      a direct array over the first 6 digits whose 8-byte entry carries its attributes, plus one
//               open-addressing hash per longer length, whose candidate slots are prefetched with the entry
//               and probed only for the lengths the entry says exist (1 + ~0.8 misses on the 1M world);
//   account     one 64-byte line per account by hash of its name: 4 attempt counts decaying exponentially
//               with time constants 1 m, 10 m, 1 h, 24 h (~ attempts in the last window), live calls, and
//               spend decaying with the hour's constant;
//   local time  a UTC offset computed once (the zone has no DST), hour and weekday by arithmetic;
//   score       8 groups of weighted conditions with the default policy's weights: international, premium,
//               high-risk country, high rate, off-hours/night/weekend (scaled by tier), 4 rate windows,
//               concurrency, spend in the hour; allow/alert/block and a maximum duration from the spend left.
// Not here, unlike the engine: the number patterns (sweeps, range fan-out, repeats), new destination/country/
// account, holidays, learnt baselines, per-day budgets, tenants, profiles, deny/allow lists, the full
// normalizer, thread safety. ~670-690 instructions per begin + end (callgrind, 20k world).
// Thread-safety: none. One thread at a time calls Begin/End (the benchmarks run it with Threads(1)); there
// is no lock or spin bit in the account line.
#ifndef TOLLGUARD_BENCH_LEAN_PROTOTYPE_H_
#define TOLLGUARD_BENCH_LEAN_PROTOTYPE_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace tollguard::bench {

class World;

struct LeanOptions {
  // The account lines and prefix tables on transparent huge pages (advice). Off by default, like the
  // engine's account records and prefix trie (only its account index asks for them by default); the
  // benchmarks turn it on with TG_BENCH_THP=1 or TG_BENCH_PREALLOCATE=1, which give the engine's records them.
  bool huge_pages = false;
};

struct LeanDecision {
  int action = 0;              // TG_ACTION_*
  int score = 0;
  int32_t max_duration_s = 0;  // from the spend left in the hour at this call's rate (0 when blocked)
  float rate = 0;              // per minute
  uint8_t country = 0;         // LeanPrototype::country_name(country); 0: no range matched
};

class LeanPrototype {
 public:
  // default_table: CSV prefix,region,type (the embedded default table); policy_text: the default policy
  // textproto (only its high_risk_countries, home_country and timezone are read); deck_path: the rate deck
  // CSV prefix,description,rate; max_accounts: lines are preallocated for this many accounts at <= 0.7 load.
  // check: when not null, a sample of its destinations is normalized and looked up, and compared with the
  // world's E.164 form and with the naive baseline's longest-prefix search; any disagreement aborts.
  // Allocates: everything the object will ever use (~2^ceil(log2(max_accounts / 0.7)) * 64 B of lines, 8 MB
  // of direct prefix entries, 16 B per prefix of 7+ digits at <= 0.5 load). Aborts on unusable input.
  LeanPrototype(std::string_view default_table, std::string_view policy_text, const std::string& deck_path,
                size_t max_accounts, const World* check, LeanOptions options = {});
  ~LeanPrototype();
  LeanPrototype(const LeanPrototype&) = delete;
  LeanPrototype& operator=(const LeanPrototype&) = delete;

  // Decides a call and, unless it is blocked (or call_id is 0), records it as live.
  // REQUIRES: start_ms >= 0. Thread-safety: one thread at a time. Allocates: nothing.
  // Returns: 0; 1 for a number it cannot normalize (out: alert, like the naive baseline); 2 for an account
  // name that is empty or longer than 16 bytes, or a new account when the lines are full; 3 when the
  // live-call table is full (the decision stands, the call is not tracked).
  int Begin(std::string_view account, std::string_view dialed, int64_t start_ms, uint64_t call_id,
            LeanDecision* out);
  // Ends a live call: its rate leaves the account's exposure and rate * billed_seconds / 60 is spent.
  // Thread-safety: one thread at a time. Allocates: nothing. Returns: 0, or 1 for an unknown call id.
  int End(uint64_t call_id, int64_t end_ms, int billed_seconds);

  size_t prefixes() const { return prefixes_; }
  size_t accounts() const { return accounts_; }
  size_t prefix_bytes() const;   // the direct array and the long-prefix tables
  size_t account_bytes() const;  // the lines
  const std::string& country_name(uint8_t i) const { return countries_[i]; }

 private:
  // A prefix's attributes, packed into 8 bytes.
  struct Attrs {
    float rate;       // per minute
    uint8_t country;  // index into countries_; 0: unknown range
    uint8_t flags;    // bits 0-1: tier; kPremium, kHighRisk, kIntl
    uint8_t longer;   // direct entries only: bit k set when some prefix of 7 + k digits starts with these 6
    uint8_t len;      // digits of the matched prefix; 0: none matched
  };
  static constexpr uint8_t kPremium = 4, kHighRisk = 8, kIntl = 16;
  static constexpr int kDirectDigits = 6;
  static constexpr int kMaxPrefixDigits = kDirectDigits + 8;  // 14: `longer` has 8 bits
  struct LongSlot {
    uint64_t key;  // the prefix's value + 1; 0: empty
    Attrs attrs;
  };
  // A zeroed array that never moves: 2 MiB aligned, faulted in at allocation (a decision never touches a
  // new page), on transparent huge pages when asked.
  template <typename T>
  class Block {
   public:
    Block() = default;
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;
    ~Block() { std::free(p_); }
    void Allocate(size_t n, bool huge);
    T& operator[](size_t i) { return p_[i]; }
    const T& operator[](size_t i) const { return p_[i]; }
    T* data() const { return p_; }
    size_t size() const { return n_; }
    size_t bytes() const { return n_ * sizeof(T); }

   private:
    T* p_ = nullptr;
    size_t n_ = 0;
  };
  struct LongTable {
    Block<LongSlot> slots;
    int shift = 64;  // home slot: hash >> shift
    size_t count = 0;
  };
  // One account: the name, 4 attempt windows decaying with time constants 1 m, 10 m, 1 h, 24 h, spend that
  // decays with the hour's constant, and the live calls.
  struct alignas(64) Line {
    uint64_t k0, k1;     // the name's bytes (see MakeKey)
    uint8_t klen;        // 0: a free line
    uint8_t pad0;
    uint16_t live;       // live calls
    float live_rate;     // sum of the live calls' per-minute rates
    int64_t last_ms;     // when the windows were last decayed
    float win[4];        // attempts
    float spend_hour;
    uint8_t pad1[12];
  };
  static_assert(sizeof(Line) == 64, "one cache line per account");
  struct LiveSlot {
    uint64_t id;  // 0: empty
    uint32_t line;
    float rate;
  };
  struct Key {
    uint64_t w0, w1, hash;
    uint8_t len;
  };

  static int Normalize(std::string_view dialed, uint64_t* pref);
  static bool MakeKey(std::string_view name, Key* k);
  static void Decay(Line* l, int64_t now_ms);
  Attrs Find(const uint64_t* pref, int n) const;
  Line* FindOrInsert(const Key& k, int64_t now_ms);
  void EraseLive(size_t j);
  struct Reference;  // the naive baseline's table and search, built for the check only (lean_prototype.cc)
  void Verify(const World& w, const Reference& ref) const;

  std::vector<std::string> countries_;  // [0] = "" (unknown)
  LeanOptions options_;
  Block<Attrs> direct_;                 // 10^6 entries: the best prefix of <= 6 digits for each 6-digit start
  LongTable long_[8];                   // prefixes of 7 .. 14 digits
  uint32_t nonempty_ = 0;               // bit k: long_[k] holds prefixes
  size_t prefixes_ = 0;
  int64_t utc_offset_s_ = 0;
  Block<Line> lines_;
  uint64_t line_mask_ = 0;
  int line_shift_ = 64;
  size_t accounts_ = 0, max_accounts_ = 0;
  std::vector<LiveSlot> live_;
  size_t live_count_ = 0;
  int live_shift_ = 64;
};

}  // namespace tollguard::bench

#endif  // TOLLGUARD_BENCH_LEAN_PROTOTYPE_H_
