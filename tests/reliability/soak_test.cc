// Soak: 8 threads begin / score / end calls for TG_SOAK_SECONDS (default 5; 60 with TG_RELIABILITY_LONG=1)
// while a ninth reloads the policy every 100 ms (two good policies in turn, every fifth reload a broken
// one). Checks:
//  - no leak: resident memory after the warm-up stays within a small tolerance of the warm-up's peak;
//  - no lost end: every call made live ends with TG_OK, ids never begun get TG_E_UNKNOWN_CALL, and
//    tg_engine_get_stats' live_calls is 0 at the end; decisions/blocked counters match what the threads saw;
//  - no torn decision: every decision's destination (e164, country, type, tier, rate) is the one a quiet
//    engine gives for that number, a score-only re-decision of the same call agrees with it, scores are
//    0..1000, and a deny-list reason always comes with BLOCK and 1000 (policy A's entry, never half of it).
#include <atomic>
#include <cinttypes>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "reliability_util.h"

namespace {

using tgrel::Engine;
using tgrel::EngineConfig;
using tgrel::kMiB;
using tgrel::kWeekday10Jst;

const char* const kDialed[] = {"010 44 20 7946 0000", "0312345678",      "010 1 212 555 0100", "+44 909 879 0000",
                               "090-1234-5678",       "010 53 5 1234567", "+8821612345678",    "0120-123-456",
                               "010 32 2 555 1234",   "011-123-4567",    "+1 876 555 0123",   "06-6123-4567"};
constexpr int kNumDialed = sizeof(kDialed) / sizeof(kDialed[0]);

struct Expected {
  char e164[16];
  char country[4];
  int32_t number_type, risk_tier;
  int64_t rate_micros;
};

bool SameDestination(const tg_decision& d, const Expected& x) {
  return std::strcmp(d.e164, x.e164) == 0 && std::strcmp(d.country, x.country) == 0 &&
         d.number_type == x.number_type && d.risk_tier == x.risk_tier && d.rate_micros == x.rate_micros;
}
bool SameDestination(const tg_decision& a, const tg_decision& b) {
  return std::strcmp(a.e164, b.e164) == 0 && std::strcmp(a.country, b.country) == 0 &&
         a.number_type == b.number_type && a.risk_tier == b.risk_tier && a.rate_micros == b.rate_micros;
}

struct Failures {
  std::mutex mu;
  std::vector<std::string> first;
  std::atomic<uint64_t> count{0};
  void Add(const std::string& what) {
    if (count.fetch_add(1) < 10) {
      std::lock_guard<std::mutex> l(mu);
      first.push_back(what);
    }
  }
};

TEST(Soak, ThreadsAndReloadsLeakNothingLoseNoEndAndTearNoDecision) {
  const double seconds = static_cast<double>(tgrel::EnvU64("TG_SOAK_SECONDS", 5, 60));
  const int kThreads = 8;
  tgrel::ScratchDir dir;
  const std::string pa = dir.Write("a.textproto",
                                   "profiles { name: \"default\" alert_score: 300 block_score: 550 }\n"
                                   "tables { override { prefix: \"4420\" action: BLOCK } }\n");
  const std::string pb = dir.Write("b.textproto",
                                   "profiles { name: \"default\" alert_score: 400 block_score: 650 }\n"
                                   "tables { override { prefix: \"4420\" action: ALERT } }\n");
  const std::string pc = dir.Write("broken.textproto", "profiles { name: \"default\" block_score: \"x\" }\n");
  Engine h({pa.c_str(), nullptr, 0, 0});
  ASSERT_EQ(h.status, TG_OK) << h.err.message;

  // What a quiet engine says about each number's destination, under both policies.
  Expected expected[kNumDialed];
  for (int i = 0; i < kNumDialed; ++i) {
    tg_status st;
    const tg_decision d = h.Score("quiet", kDialed[i], kWeekday10Jst, &st);
    ASSERT_EQ(st, TG_OK) << kDialed[i];
    std::memcpy(expected[i].e164, d.e164, 16);
    std::memcpy(expected[i].country, d.country, 4);
    expected[i].number_type = d.number_type;
    expected[i].risk_tier = d.risk_tier;
    expected[i].rate_micros = d.rate_micros;
  }
  {
    Engine hb({pb.c_str(), nullptr, 0, 0});
    for (int i = 0; i < kNumDialed; ++i) {
      ASSERT_TRUE(SameDestination(hb.Score("quiet", kDialed[i], kWeekday10Jst), expected[i])) << kDialed[i];
    }
  }

  Failures fail;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> begins{0}, blocked_seen{0}, alerted_seen{0}, ends{0}, scores{0}, reloads{0}, bad_reloads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(1000 + t);
      std::deque<std::pair<uint64_t, int64_t>> live;  // id, start
      uint64_t n = 0;
      auto end_one = [&](uint64_t id, int64_t start) {
        const tg_status st = tg_call_end(h.e, id, start + 30000, 20);
        if (st != TG_OK) fail.Add("end of a live call: " + std::string(tg_status_string(st)));
        ends.fetch_add(1, std::memory_order_relaxed);
      };
      while (!stop.load(std::memory_order_relaxed)) {
        ++n;
        const uint64_t r = rng();
        const std::string account =
            r % 4 == 0 ? "shared-" + std::to_string((r >> 8) % 32) : "t" + std::to_string(t) + "-" + std::to_string((r >> 8) % 256);
        const int k = static_cast<int>((r >> 24) % kNumDialed);
        const int64_t start = kWeekday10Jst + static_cast<int64_t>(n) * 1000 + t;
        const uint64_t id = (static_cast<uint64_t>(t + 1) << 48) | n;
        const tg_call c = tgrel::Call(account, kDialed[k], start, id);
        tg_decision d = TG_DECISION_INIT;
        const tg_status st = tg_call_begin(h.e, &c, &d);
        begins.fetch_add(1, std::memory_order_relaxed);
        if (st != TG_OK) {
          fail.Add("begin: " + std::string(tg_status_string(st)));
          continue;
        }
        if (d.score < 0 || d.score > 1000) fail.Add("score " + std::to_string(d.score));
        if (!SameDestination(d, expected[k])) fail.Add(std::string("torn destination for ") + kDialed[k] + ": " + d.e164);
        if (tgrel::Has(d, TG_REASON_DENY_LIST) && (d.action != TG_ACTION_BLOCK || d.score != 1000)) {
          fail.Add("deny-list reason without BLOCK/1000");
        }
        if (d.action == TG_ACTION_BLOCK && d.max_duration_s != 0) fail.Add("blocked call with a duration");
        if (d.top_reason >= 0 && !tgrel::Has(d, d.top_reason)) fail.Add("top reason not among the reasons");
        // The same call, score-only: the same destination.
        tg_decision again = TG_DECISION_INIT;
        if (tg_engine_score(h.e, &c, &again) != TG_OK || !SameDestination(again, d)) fail.Add("score-only differs");
        scores.fetch_add(1, std::memory_order_relaxed);
        if (d.action == TG_ACTION_BLOCK) {
          blocked_seen.fetch_add(1, std::memory_order_relaxed);
          if (tg_call_end(h.e, id, start + 1000, 0) != TG_E_UNKNOWN_CALL) fail.Add("a blocked call was live");
        } else {
          if (d.action == TG_ACTION_ALERT) alerted_seen.fetch_add(1, std::memory_order_relaxed);
          live.emplace_back(id, start);
          if (live.size() > 16) {
            end_one(live.front().first, live.front().second);
            live.pop_front();
          }
        }
        if (n % 64 == 0 && tg_call_end(h.e, (static_cast<uint64_t>(t + 1) << 48) | (1ull << 47) | n, start, 0) !=
                               TG_E_UNKNOWN_CALL) {
          fail.Add("an id never begun was live");
        }
      }
      for (const auto& [id, start] : live) end_one(id, start);
    });
  }
  std::thread reloader([&] {
    int k = 0;
    while (!stop.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      ++k;
      tg_error err = TG_ERROR_INIT;
      const uint64_t v = h.Stats().policy_version;
      if (k % 5 == 0) {
        if (tg_engine_reload(h.e, pc.c_str(), &err) != TG_E_POLICY || err.line != 1) fail.Add("broken reload accepted");
        if (h.Stats().policy_version != v) fail.Add("a broken reload changed the version");
        bad_reloads.fetch_add(1);
      } else {
        if (tg_engine_reload(h.e, k % 2 ? pb.c_str() : pa.c_str(), &err) != TG_OK) fail.Add(std::string("reload: ") + err.message);
        reloads.fetch_add(1);
      }
    }
  });

  // Resident memory every 100 ms.
  std::vector<std::pair<double, uint64_t>> rss;
  const auto t0 = std::chrono::steady_clock::now();
  while (tgrel::Seconds(t0) < seconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    rss.emplace_back(tgrel::Seconds(t0), tgrel::RssBytes());
  }
  stop = true;
  for (auto& th : threads) th.join();
  reloader.join();
  const double elapsed = tgrel::Seconds(t0);

  for (const std::string& f : fail.first) ADD_FAILURE() << f;
  EXPECT_EQ(fail.count.load(), 0u);
  const tg_engine_stats s = h.Stats();
  EXPECT_EQ(s.live_calls, 0u) << "calls were lost";
  EXPECT_EQ(s.decisions, begins.load());
  EXPECT_EQ(s.blocked, blocked_seen.load());
  EXPECT_EQ(s.alerted, alerted_seen.load());
  EXPECT_GE(reloads.load(), static_cast<uint64_t>(seconds * 3));  // up to 8 good reloads a second

  // Warm-up: the first 30% (at least 1.5 s). After it, no growth beyond 8 MiB + 2%.
  const double warm = std::max(1.5, 0.3 * seconds);
  uint64_t warm_peak = 0, after_peak = 0, after_first = 0, last = rss.empty() ? 0 : rss.back().second;
  for (const auto& [at, bytes] : rss) {
    if (at <= warm) {
      warm_peak = std::max(warm_peak, bytes);
    } else {
      if (after_first == 0) after_first = bytes;
      after_peak = std::max(after_peak, bytes);
    }
  }
  const uint64_t tolerance = 8 * kMiB + warm_peak / 50;
  if (!tgrel::kSanitized) {
    EXPECT_LE(after_peak, warm_peak + tolerance) << "resident memory grew after the warm-up";
  }
  std::printf("soak: %.1f s, %d threads: %" PRIu64 " begins (%.0f/s) + as many score-only, %" PRIu64 " ends, %" PRIu64
              " blocked, %" PRIu64 " good + %" PRIu64 " broken reloads; RSS warm-up peak %.1f MiB, after: first "
              "%.1f, peak %.1f, last %.1f MiB (tolerance +%.1f); live at end %" PRIu64 "; %" PRIu64 " failures\n",
              elapsed, kThreads, begins.load(), static_cast<double>(begins.load()) / elapsed, ends.load(),
              blocked_seen.load(), reloads.load(), bad_reloads.load(), static_cast<double>(warm_peak) / kMiB,
              static_cast<double>(after_first) / kMiB, static_cast<double>(after_peak) / kMiB,
              static_cast<double>(last) / kMiB, static_cast<double>(tolerance) / kMiB, s.live_calls, fail.count.load());
}

}  // namespace
