// Regression tests for the bugs the fuzzers found (docs/RELIABILITY.md, "Findings"), each stating the
// fixed behaviour; the inputs that found them are in the corpora (corpus/*/crash_F*). A new finding gets a
// DISABLED_F<n>_ test here until its fix lands.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "lib/policy/loader.h"
#include "lib/state/account_store.h"
#include "lib/state/live_calls.h"
#include "lib/state/snapshot_file.h"

namespace {

namespace st = tollguard::state;

constexpr int64_t kMinMs = 946684800000LL;   // 2000-01-01, the engine's earliest time
constexpr int64_t kMaxMs = 7258118400000LL;  // 2200-01-01
constexpr int64_t kWeekday10Jst = 1795482000000LL;

std::string TempPath(const std::string& name) {
  return std::string(::testing::TempDir()) + "/tg_findings_" + std::to_string(::getpid()) + "_" + name;
}

std::unique_ptr<tollguard::policy::PolicySnapshot> Load(const std::string& text, tollguard::policy::LoadError* err) {
  const std::string path = TempPath("policy.textproto");
  std::ofstream(path) << text;
  tollguard::policy::LoadOptions o;
  o.policy_path = path;
  auto snap = tollguard::policy::LoadPolicy(o, err);
  std::remove(path.c_str());
  return snap;
}

// F1 (policy_fuzz, corpus/policy/crash_F1_nan_high_rate): risk.high_rate: nan reaches
// static_cast<uint32_t>(NaN) in lib/policy/loader.cc (Compile, high_rate_micros): undefined behaviour
// (UBSan: "nan is outside the range of representable values of type 'unsigned int'"). Fixed: an error at
// high_rate.
TEST(OpenFindings, F1_NanHighRateIsAPolicyError) {
  tollguard::policy::LoadError err;
  auto snap = Load("risk { high_rate: nan }\n", &err);
  EXPECT_TRUE(snap == nullptr) << "the policy was accepted";
  EXPECT_EQ(err.line, 1u);
  EXPECT_GT(err.column, 0u);
}

// F2 (policy_fuzz, corpus/policy/crash_F2_inf_rate_multiplier): risk.high_risk_rate_multiplier: inf is
// accepted; a type with international_rate 0 in a high-risk country then gives rate 0 * inf = NaN and
// static_cast<uint32_t>(NaN) in lib/destination/table_builder.cc (Compute, rate_micros). Fixed: an error.
TEST(OpenFindings, F2_InfiniteRateMultiplierIsAPolicyError) {
  tollguard::policy::LoadError err;
  auto snap = Load("risk { high_risk_rate_multiplier: inf }\n", &err);
  EXPECT_TRUE(snap == nullptr) << "the policy was accepted";
  EXPECT_EQ(err.line, 1u);
}

// A snapshot written by SaveSnapshot from a store whose records were altered: what a buggy or foreign
// build, or a corrupted file whose checksum still matches, would leave on disk.
std::string SaveAltered(void (*alter)(st::AccountRecord*), int64_t live_start_ms) {
  st::AccountStore store(16);
  st::LiveCalls live(16);
  {
    st::AccountStore::Handle h = store.Acquire(st::HashAccount("victim"), kWeekday10Jst, true);
    alter(h.record());
  }
  st::LiveCall lc;
  lc.account_key = st::HashAccount("victim").key;
  lc.account_check = st::HashAccount("victim").check;
  lc.start_ms = live_start_ms;
  live.Add(7, lc);
  const std::string path = TempPath("altered.state");
  EXPECT_TRUE(st::SaveSnapshot(path, store, live).ok());
  return path;
}

// F3 (snapshot_fuzz, corpus/snapshot/crash_F3_recent_pos): a record with recent_pos >= kRecentNumbers is
// restored as is; the next tg_call_begin of that account writes recent[recent_pos] out of bounds
// (lib/signals/patterns.cc RecordNumber). Fixed: the loader rejects the file (corrupt); repairing the
// field would do too.
TEST(OpenFindings, F3_SnapshotLoadNeverRestoresRecentPosOutsideTheRing) {
  const std::string path = SaveAltered([](st::AccountRecord* r) { r->recent_pos = 200; }, kWeekday10Jst);
  st::AccountStore store(16);
  st::LiveCalls live(16);
  const st::LoadResult res = st::LoadSnapshot(path, &store, &live);
  std::remove(path.c_str());
  if (!res.status.ok()) return;  // rejecting the file is a fix too
  store.ForEach([](const st::AccountRecord& r) { EXPECT_LT(r.recent_pos, st::kRecentNumbers); });
}

// F4 (snapshot_fuzz, corpus/snapshot/crash_F4_times): times far outside the engine's 2000..2200 range in a
// record (first_seen_ms, rate_t_ms, spend_t_ms, ...) or a live call (start_ms) are restored as is; later
// differences overflow int64 (lib/engine/engine.cc End: end_ms - lc.start_ms; Decide: start_ms - r->*_ms)
// and std::clamp(end_ms, lc.start_ms, kMaxTimeMs) gets lo > hi. Fixed: the loader rejects the file.
TEST(OpenFindings, F4_SnapshotLoadNeverRestoresTimesOutsideTheEngineRange) {
  const std::string path = SaveAltered(
      [](st::AccountRecord* r) {
        r->rate_t_ms = INT64_MIN + 5;
        r->spend_t_ms = INT64_MAX - 5;
      },
      INT64_MIN + 1000);
  st::AccountStore store(16);
  st::LiveCalls live(16);
  const st::LoadResult res = st::LoadSnapshot(path, &store, &live);
  std::remove(path.c_str());
  if (!res.status.ok()) return;
  store.ForEach([](const st::AccountRecord& r) {
    for (int64_t t : {r.first_seen_ms, r.last_seen_ms, r.rate_t_ms, r.spend_t_ms}) {
      EXPECT_GE(t, kMinMs);
      EXPECT_LE(t, kMaxMs);
    }
  });
  live.ForEach([](uint64_t, const st::LiveCall& c) {
    EXPECT_GE(c.start_ms, kMinMs);
    EXPECT_LE(c.start_ms, kMaxMs);
  });
}

}  // namespace
