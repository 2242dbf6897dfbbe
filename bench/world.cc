#include "bench/world.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unordered_set>

#include "lib/number/normalizer.h"
#include "lib/util/embedded.h"

namespace tollguard::bench {
namespace {

// Real ITU country calling codes with a rough weight of how many rows they get in carrier A-Z decks
// (NANP and the big mobile markets have thousands of ranges; small islands a handful).
struct Country {
  const char* cc;
  double weight;
  bool high_risk;  // on the default policy's high-risk list (rates are higher there)
};
constexpr Country kCountries[] = {
    {"1", 25, false},   {"44", 6, false},   {"49", 6, false},   {"33", 4, false},   {"39", 4, false},
    {"34", 3, true},    {"7", 4, true},     {"86", 5, false},   {"91", 5, false},   {"81", 3, false},
    {"82", 2, false},   {"61", 2, false},   {"55", 4, false},   {"52", 4, true},    {"62", 3, false},
    {"63", 2, false},   {"66", 2, false},   {"84", 2, false},   {"60", 2, false},   {"65", 1, false},
    {"852", 1, false},  {"886", 1, false},  {"90", 2, true},    {"48", 2, true},    {"31", 2, false},
    {"32", 1, true},    {"41", 1, true},    {"43", 1, false},   {"46", 1, true},    {"47", 1, false},
    {"45", 1, false},   {"358", 1, false},  {"353", 1, false},  {"351", 1, false},  {"30", 1, false},
    {"36", 1, false},   {"420", 1, false},  {"40", 1, false},   {"380", 2, false},  {"375", 1, true},
    {"370", 1, true},   {"371", 1, true},   {"372", 1, true},   {"20", 2, false},   {"27", 2, false},
    {"234", 2, false},  {"254", 1, false},  {"212", 1, true},   {"213", 1, true},   {"216", 1, true},
    {"218", 1, false},  {"221", .5, true},  {"222", .5, false}, {"223", .5, false}, {"224", .5, true},
    {"225", .5, true},  {"226", .5, false}, {"227", .5, false}, {"228", .5, true},  {"229", .5, true},
    {"231", .5, true},  {"232", .5, true},  {"233", .5, false}, {"235", .5, true},  {"236", .5, false},
    {"237", .5, true},  {"238", .5, true},  {"240", .5, true},  {"241", .5, true},  {"242", .5, true},
    {"243", .5, true},  {"244", .5, true},  {"245", .5, true},  {"248", .5, true},  {"249", .5, false},
    {"250", .5, false}, {"251", .5, false}, {"252", .5, true},  {"255", .5, false}, {"256", .5, true},
    {"257", .5, true},  {"258", .5, true},  {"260", .5, true},  {"261", .5, true},  {"263", .5, true},
    {"264", .5, true},  {"265", .5, false}, {"266", .5, true},  {"880", 1, false},  {"92", 2, false},
    {"94", 1, false},   {"95", 1, false},   {"977", .5, false}, {"971", 1, false},  {"966", 1, false},
    {"972", 1, true},   {"974", .5, false}, {"965", .5, false}, {"968", .5, false}, {"973", .5, false},
    {"962", .5, false}, {"961", .5, false}, {"964", .5, false}, {"98", 1, false},   {"93", .5, false},
    {"992", .3, false}, {"993", .3, false}, {"994", .3, true},  {"995", .3, true},  {"996", .3, true},
    {"998", .3, false}, {"53", .5, true},   {"509", .5, false}, {"502", .3, false}, {"503", .3, false},
    {"504", .3, false}, {"505", .3, false}, {"506", .3, false}, {"507", .3, false}, {"591", .3, false},
    {"593", .3, true},  {"595", .3, false}, {"598", .3, false}, {"56", 1, true},    {"57", 1, false},
    {"58", 1, false},   {"51", 1, false},   {"54", 1, false},   {"670", .2, true},  {"675", .2, true},
    {"677", .2, true},  {"678", .2, true},  {"685", .2, true},  {"686", .2, true},  {"682", .2, true},
    {"247", .2, true},  {"881", .2, false}, {"882", .2, false}, {"883", .2, false}, {"960", .2, true},
    {"381", .5, true},  {"382", .5, true},  {"385", .5, false}, {"386", .5, true},  {"387", .5, true},
    {"389", .5, false}, {"373", .3, false}, {"374", .3, false}, {"350", .2, false}, {"352", .2, false},
    {"354", .2, false}, {"355", .2, true},  {"356", .2, false}, {"357", .2, false}, {"376", .2, true},
    {"377", .2, true},  {"378", .2, false},
};

double EnvDouble(const char* name, double def) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtod(v, nullptr) : def;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Zipf(s) over n ranks by inverse CDF.
class Zipf {
 public:
  Zipf(size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
      sum += 1.0 / std::pow(static_cast<double>(i + 1), s);
      cdf_[i] = sum;
    }
    for (double& c : cdf_) c /= sum;
  }
  uint32_t operator()(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    const size_t r = std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin();
    return static_cast<uint32_t>(std::min(r, cdf_.size() - 1));
  }

 private:
  std::vector<double> cdf_;
};

}  // namespace

WorldConfig WorldConfig::FromEnv() {
  WorldConfig c;
  c.prefixes = static_cast<size_t>(EnvDouble("TG_BENCH_PREFIXES", static_cast<double>(c.prefixes)));
  c.accounts = static_cast<size_t>(EnvDouble("TG_BENCH_ACCOUNTS", static_cast<double>(c.accounts)));
  c.warm_calls = static_cast<int>(EnvDouble("TG_BENCH_WARM_CALLS", c.warm_calls));
  c.zipf_s = EnvDouble("TG_BENCH_ZIPF", c.zipf_s);
  c.stream_len = static_cast<size_t>(EnvDouble("TG_BENCH_STREAM", 0));
  c.reload_seconds = EnvDouble("TG_BENCH_RELOAD_SECONDS", c.reload_seconds);
  c.min_reloads = static_cast<int>(EnvDouble("TG_BENCH_MIN_RELOADS", c.min_reloads));
  c.seed = static_cast<uint64_t>(EnvDouble("TG_BENCH_SEED", static_cast<double>(c.seed)));
  c.thp = EnvDouble("TG_BENCH_THP", 0) != 0;
  c.preallocate = EnvDouble("TG_BENCH_PREALLOCATE", 0) != 0;
  c.tenants = static_cast<size_t>(EnvDouble("TG_BENCH_TENANTS", 0));
  if (c.tenants > 99999) c.tenants = 99999;  // names fit the 16-byte stride
  if (const char* d = std::getenv("TG_BENCH_DIR")) c.dir = d;
  c.prefixes = std::max<size_t>(c.prefixes, 100);
  c.accounts = std::max<size_t>(c.accounts, 100);
  c.warm_calls = std::max(c.warm_calls, 0);
  if (c.stream_len == 0) c.stream_len = std::clamp<size_t>(4 * std::max(c.prefixes, c.accounts), 1 << 16, 1 << 22);
  return c;
}

size_t ResidentBytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<size_t>(resident) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

World& World::Get() {
  // Never destroyed: benchmark threads may still hold the engine at exit. Only the files are removed.
  static World* world = [] {
    auto* w = new World(WorldConfig::FromEnv());
    static World* for_exit = w;
    std::atexit([] { for_exit->RemoveFiles(); });
    return w;
  }();
  return *world;
}

void World::RemoveFiles() {
  if (!own_dir_) return;
  std::remove(deck_path_.c_str());
  std::remove(policy_path_.c_str());
  rmdir(cfg_.dir.c_str());
  own_dir_ = false;
}

World::World(WorldConfig cfg) : cfg_(std::move(cfg)) {
  if (cfg_.dir.empty()) {
    char tmpl[] = "/tmp/tollguard_bench.XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    cfg_.dir = tmpl;
    own_dir_ = true;
  }
  std::fprintf(stderr, "[world] %zu prefixes, %zu accounts, %d warm calls each, zipf s=%.2f, streams of %zu, dir %s\n",
               cfg_.prefixes, cfg_.accounts, cfg_.warm_calls, cfg_.zipf_s, cfg_.stream_len, cfg_.dir.c_str());
  auto t = std::chrono::steady_clock::now();
  MakeDeck();
  facts_.deck_seconds = Seconds(t);
  MakeStreams();
  t = std::chrono::steady_clock::now();
  MakeEngine();
  facts_.engine_seconds = Seconds(t);
  const size_t rss0 = ResidentBytes();
  t = std::chrono::steady_clock::now();
  Warm();
  facts_.warm_seconds = Seconds(t);
  // Preallocated, the records were resident before warming: the engine's own count (bytes_per_account)
  // is the figure then, and this one is not measured (-1).
  facts_.rss_per_account =
      cfg_.preallocate ? -1.0 : static_cast<double>(ResidentBytes() - rss0) / static_cast<double>(n_accounts());
  facts_.stats = Stats();
  std::fprintf(stderr,
               "[world] deck %.2f s, engine %.2f s, warm-up %.2f s; %llu accounts, %llu evicted, %llu prefixes, "
               "%llu B engine memory, %.0f B resident per account, %zu unnormalizable dial strings\n",
               facts_.deck_seconds, facts_.engine_seconds, facts_.warm_seconds,
               static_cast<unsigned long long>(facts_.stats.accounts), static_cast<unsigned long long>(facts_.stats.evicted),
               static_cast<unsigned long long>(facts_.stats.prefixes),
               static_cast<unsigned long long>(facts_.stats.memory_bytes), facts_.rss_per_account, facts_.dial_failures);
}

World::~World() {
  tg_engine_destroy(engine_);
  RemoveFiles();
}

tg_engine_stats World::Stats() const {
  tg_engine_stats s = TG_ENGINE_STATS_INIT;
  tg_engine_get_stats(engine_, &s);
  return s;
}

// The rate deck: prefixes of 4-9 digits under real country codes, rates log-normal around 3 cents with a
// heavy tail (premium and high-risk ranges). Each prefix also gets one full destination number and the
// way a Japanese PBX would dial it.
void World::MakeDeck() {
  std::mt19937_64 rng(cfg_.seed);
  auto plan = number::MakeDialPlan("JP");
  if (!plan.ok()) throw std::runtime_error("no JP dial plan");
  std::vector<const Country*> usable;
  std::vector<double> weights;
  for (const Country& c : kCountries) {
    if (number::CountryCodeLength(c.cc) != static_cast<int>(std::strlen(c.cc))) continue;  // unassigned here
    usable.push_back(&c);
    weights.push_back(c.weight);
  }
  std::discrete_distribution<size_t> pick_country(weights.begin(), weights.end());
  std::discrete_distribution<int> pick_len({5, 10, 25, 30, 20, 10});  // lengths 4..9
  std::lognormal_distribution<double> rate_dist(std::log(0.03), 1.1);
  std::uniform_int_distribution<int> digit(0, 9), nonzero(1, 9), nanp_first(2, 9);

  const size_t n = cfg_.prefixes;
  dial_.assign(n * kDialStride, 0);
  dial_len_.assign(n, 0);
  e164_.assign(n * kE164Stride, 0);
  e164_len_.assign(n, 0);
  deck_path_ = cfg_.dir + "/rate_deck.csv";
  std::string out;
  out.reserve(n * 40);
  out += "prefix,description,rate\n";
  std::unordered_set<std::string> seen;
  seen.reserve(n * 2);
  size_t made = 0;
  while (made < n) {
    const Country& c = *usable[pick_country(rng)];
    const size_t cc_len = std::strlen(c.cc);
    const size_t len = std::max<size_t>(4 + pick_len(rng), cc_len + 1);
    std::string prefix = c.cc;
    const bool nanp = prefix == "1";
    while (prefix.size() < len) {
      const size_t pos = prefix.size() - cc_len;
      const int d = pos == 0 ? (nanp ? nanp_first(rng) : nonzero(rng)) : (nanp && pos == 3) ? nanp_first(rng) : digit(rng);
      prefix.push_back(static_cast<char>('0' + d));
    }
    if (prefix.rfind("8110", 0) == 0) continue;  // JP has no national "10": dialed "010..." is international
    if (!seen.insert(prefix).second) continue;
    // A full number in the range: national significant numbers of 10 digits for NANP, 9-10 for JP, 9 else,
    // one digit longer when the country's minimum national length asks for it (AR, CO, VE, CI, ...).
    size_t total = std::min<size_t>(15, nanp ? 11 : std::max(len + 3, cc_len + (prefix.rfind("81", 0) == 0 ? 10 : 9)));
    std::string e, d;
    for (;; ++total) {
      e = prefix;
      while (e.size() < total) e.push_back(static_cast<char>('0' + digit(rng)));
      // How it is dialed from Japan: domestic with the trunk 0, else 010 (70%), '+' (20%) or with dashes.
      const uint64_t form = rng() % 10;
      if (c.cc[0] == '8' && c.cc[1] == '1' && c.cc[2] == 0) {
        d = "0" + e.substr(2);
      } else if (form < 7) {
        d = "010" + e;
      } else if (form < 9) {
        d = "+" + e;
      } else {
        d = "010-" + e.substr(0, cc_len) + "-" + e.substr(cc_len, 3) + "-" + e.substr(cc_len + 3);
      }
      number::E164 norm;
      const tg_status st = number::Normalize(*plan, d, &norm);
      if (st == TG_OK) break;
      if (st != TG_E_NUMBER_TOO_SHORT || total >= 15) {
        if (facts_.dial_failures++ < 5) std::fprintf(stderr, "[world] %s: %s\n", d.c_str(), tg_status_string(st));
        break;
      }
    }
    std::memcpy(&dial_[made * kDialStride], d.data(), std::min(d.size(), kDialStride - 1));
    dial_len_[made] = static_cast<uint8_t>(std::min(d.size(), kDialStride - 1));
    std::memcpy(&e164_[made * kE164Stride], e.data(), e.size());
    e164_len_[made] = static_cast<uint8_t>(e.size());
    double rate = rate_dist(rng) * (c.high_risk ? 4.0 : 1.0);
    if (rng() % 100 == 0) rate *= 30;  // premium-like ranges
    rate = std::clamp(rate, 0.0005, 50.0);
    char row[96];
    const int w = std::snprintf(row, sizeof row, "%s,CC%s %s %zu,%.5f\n", prefix.c_str(), c.cc,
                                len - cc_len >= 3 ? "Mobile" : "Fixed", len, rate);
    out.append(row, static_cast<size_t>(w));
    ++made;
  }
  std::ofstream f(deck_path_, std::ios::binary);
  f << out;
  if (!f) throw std::runtime_error("cannot write " + deck_path_);

  // The default policy, naming the deck.
  policy_path_ = cfg_.dir + "/policy.textproto";
  std::ofstream p(policy_path_, std::ios::binary);
  std::string policy(EmbeddedDefaultPolicy());
  if (cfg_.preallocate) {  // limits.preallocate_accounts: the store's memory committed, on huge pages
    const size_t at = policy.find("limits {");
    if (at == std::string::npos) throw std::runtime_error("the default policy has no limits section");
    policy.insert(at + 8, "\n  preallocate_accounts: true");
  }
  p << policy << "\ntables { rate_deck: \"" << deck_path_ << "\" }\n";
  if (!p) throw std::runtime_error("cannot write " + policy_path_);
}

void World::MakeStreams() {
  const size_t na = cfg_.accounts, nd = cfg_.prefixes;
  acct_.assign(na * kAcctStride, 0);
  acct_len_.assign(na, 0);
  for (size_t i = 0; i < na; ++i) {
    const int w = cfg_.tenants == 0
                      ? std::snprintf(&acct_[i * kAcctStride], kAcctStride, "acct%07zu", i)
                      : std::snprintf(&acct_[i * kAcctStride], kAcctStride, "t%05zu-%07zu", i % cfg_.tenants, i);
    acct_len_[i] = static_cast<uint8_t>(w);
  }
  // By default names without '@' or '-': standalone accounts (the default policy's tenant_separator "@-"
  // would fold "acct-N" into a tenant "acct"). TG_BENCH_TENANTS=N names them "tK-N": N tenants whose
  // history every decision of their extensions also reads and updates (a hosted PBX).
  std::mt19937_64 rng(cfg_.seed + 1);
  // Zipf ranks mapped through random permutations, so the popular items are spread over memory.
  std::vector<uint32_t> perm_a(na), perm_d(nd);
  for (size_t i = 0; i < na; ++i) perm_a[i] = static_cast<uint32_t>(i);
  for (size_t i = 0; i < nd; ++i) perm_d[i] = static_cast<uint32_t>(i);
  std::shuffle(perm_a.begin(), perm_a.end(), rng);
  std::shuffle(perm_d.begin(), perm_d.end(), rng);
  const Zipf za(na, cfg_.zipf_s), zd(nd, cfg_.zipf_s);
  hot_.resize(cfg_.stream_len);
  cold_.resize(cfg_.stream_len);
  for (auto& c : hot_) c = {perm_a[za(rng)], perm_d[zd(rng)]};
  for (auto& c : cold_) c = {static_cast<uint32_t>(rng() % na), static_cast<uint32_t>(rng() % nd)};
  favorite_.resize(na);
  for (auto& f : favorite_) f = perm_d[zd(rng)];
}

void World::MakeEngine() {
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.policy_path = policy_path_.c_str();
  // 10% headroom (1.1M for the 1M world). Small worlds get more: the store has up to 256 shards that each
  // fill on their own, and a shard of a few dozen slots overflows (and evicts) well before the total does.
  o.max_accounts = static_cast<uint32_t>(cfg_.accounts + std::max<size_t>(cfg_.accounts / 10, 16384));
  tg_error err = TG_ERROR_INIT;
  const tg_status st = tg_engine_create(&o, &engine_, &err);
  if (st != TG_OK) throw std::runtime_error(std::string("tg_engine_create: ") + err.message);
  if (cfg_.thp) AdviseHugePages();
}

// Experiment (TG_BENCH_THP=1): ask for transparent huge pages on every large anonymous mapping that exists
// now, before warming, i.e. the account store's slab (reserved by mmap, not yet touched). The trie and the
// index were touched while loading; they keep their 4 KiB pages. Shows what MADV_HUGEPAGE in lib/ would buy.
void World::AdviseHugePages() {
  FILE* f = std::fopen("/proc/self/maps", "r");
  if (!f) return;
  char line[512];
  size_t advised = 0;
  while (std::fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    char perms[8] = {0};
    int path_at = 0;
    if (std::sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms, &path_at) < 3) continue;
    const bool anonymous = line[path_at] == '\n' || line[path_at] == 0;
    if (anonymous && std::strcmp(perms, "rw-p") == 0 && hi - lo >= (256ul << 20)) {
      if (madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE) == 0) advised += hi - lo;
    }
  }
  std::fclose(f);
  std::fprintf(stderr, "[world] MADV_HUGEPAGE on %zu MiB of large anonymous mappings\n", advised >> 20);
}

void World::ForEachWarmCall(const std::function<void(uint32_t, uint32_t, int64_t, int32_t, uint64_t)>& fn) const {
  const size_t na = n_accounts();
  const int64_t business_ms = 8 * 3600000LL;
  std::mt19937_64 rng(cfg_.seed + 2);
  uint64_t id = 1;
  for (int r = 0; r < cfg_.warm_calls; ++r) {
    const int64_t day_ms = kT0Ms + static_cast<int64_t>((r * 2) % 7) * 86400000LL;
    for (size_t a = 0; a < na; ++a) {
      const int64_t start = day_ms + static_cast<int64_t>(a) * business_ms / static_cast<int64_t>(na);
      const uint32_t dest = (r % 2 == 0) ? favorite_[a] : static_cast<uint32_t>(rng() % n_dests());
      const int32_t dur = 30 + static_cast<int32_t>(rng() % 570);
      fn(static_cast<uint32_t>(a), dest, start, dur, id++);
    }
  }
}

void World::Warm() {
  tg_decision d = TG_DECISION_INIT;
  ForEachWarmCall([&](uint32_t a, uint32_t dest, int64_t start, int32_t dur, uint64_t id) {
    tg_call c = TG_CALL_INIT;
    const std::string_view acc = account(a), dial = dialed(dest);
    c.account = {acc.data(), acc.size()};
    c.dialed = {dial.data(), dial.size()};
    c.start_unix_ms = start;
    c.call_id = id;
    if (tg_call_begin(engine_, &c, &d) == TG_OK && d.action != TG_ACTION_BLOCK) {
      tg_call_end(engine_, id, start + dur * 1000LL, dur);
    }
  });
}

}  // namespace tollguard::bench
