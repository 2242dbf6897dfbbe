// The baseline of issue 6: the same signals as the engine, written the obvious way a vendor would write
// them without tollguard. std::string normalization, a std::map<std::string, Attrs> searched by trying
// successively shorter prefixes, one std::unordered_map<std::string, Account> under one std::mutex with
// calendar-reset counters (minute / hour / day), localtime_r for local time, std::set for holidays and
// known countries. Nothing here is tuned; that is the point.
// Thread-safety: Begin/End from any thread (one mutex around all state); construction single-threaded.
#ifndef TOLLGUARD_BENCH_NAIVE_BASELINE_H_
#define TOLLGUARD_BENCH_NAIVE_BASELINE_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tollguard::bench {

struct NaiveAttrs {
  double rate = 0;        // per minute
  std::string country;    // ISO alpha-2, "001" non-geographic
  int tier = 1;
  bool premium = false;
};

struct NaiveDecision {
  int action = 0;  // TG_ACTION_*
  int score = 0;
  std::string e164;
  std::string country;
  double rate = 0;
};

class NaiveEngine {
 public:
  // default_table: CSV prefix,region,type (the embedded default table); deck_path: prefix,description,rate.
  NaiveEngine(std::string_view default_table, const std::string& deck_path);

  // Returns 0 on success, 1 for a number it cannot normalize.
  int Begin(std::string_view account, std::string_view dialed, int64_t start_ms, uint64_t call_id,
            NaiveDecision* out);
  // Returns 0, or 1 for an unknown call id.
  int End(uint64_t call_id, int64_t end_ms, int billed_seconds);

  size_t prefixes() const { return prefixes_.size(); }
  size_t accounts() const;

 private:
  struct Account {
    int64_t first_seen_ms = 0;
    int64_t minute_key = -1, ten_minute_key = -1, hour_key = -1, day_key = -1;
    int attempts_minute = 0, attempts_10m = 0, attempts_hour = 0, attempts_day = 0;
    int intl_hour = 0, high_risk_hour = 0;
    int live = 0;
    double live_rate = 0;  // sum of per-minute rates of live calls
    int64_t spend_hour_key = -1, spend_day_key = -1;
    double spend_hour = 0, spend_day = 0;
    std::vector<std::string> recent;         // last 8 numbers dialed
    std::set<std::string> known_countries;   // countries with an answered call
  };
  struct Live {
    std::string account;
    std::string country;
    double rate = 0;
    int64_t start_ms = 0;
    bool intl = false;
  };

  static bool Normalize(std::string_view dialed, std::string* e164);
  const NaiveAttrs* Lookup(const std::string& e164) const;

  std::map<std::string, NaiveAttrs> prefixes_;
  std::set<std::string> high_risk_;
  std::set<std::string> holidays_;  // "YYYY-MM-DD"
  mutable std::mutex mu_;
  std::unordered_map<std::string, Account> accounts_;
  std::unordered_map<uint64_t, Live> live_;
};

}  // namespace tollguard::bench

#endif  // TOLLGUARD_BENCH_NAIVE_BASELINE_H_
