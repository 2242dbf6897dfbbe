// Memory stays under the configured caps under attack, and decisions stay right for the accounts in use.
//  - Accounts: TG_ATTACK_ACCOUNTS distinct accounts (default 1,000,000; 10,000,000 with
//    TG_RELIABILITY_LONG=1) each place one call against an engine with max_accounts = 100,000, while a
//    handful of active accounts keep calling. The store never holds more than the cap, resident memory
//    stays under a bound computed from the cap and the record size, stops growing once the store is full,
//    and the active accounts keep their history (a country they call stays known).
//  - Live calls: 200,000 calls begun and never ended against max_live_calls = 10,000: the table holds
//    10,000, the rest get TG_E_CAPACITY with the decision still made, and memory does not grow.
#include <cinttypes>
#include <cstdio>
#include <random>
#include <string>

#include "reliability_util.h"

namespace {

using tgrel::Engine;
using tgrel::EngineConfig;
using tgrel::kMiB;
using tgrel::kWeekday10Jst;

// Bytes one account record takes in a state snapshot (= in the store): the size of a snapshot with one
// account more.
uint64_t RecordBytes(const tgrel::ScratchDir& dir) {
  Engine h;
  EXPECT_EQ(tg_engine_save_state(h.e, dir.File("0.state").c_str(), nullptr), TG_OK);
  h.Begin("one", "0312345678", kWeekday10Jst);
  EXPECT_EQ(tg_engine_save_state(h.e, dir.File("1.state").c_str(), nullptr), TG_OK);
  const uint64_t n = tgrel::ReadAll(dir.File("1.state")).size() - tgrel::ReadAll(dir.File("0.state")).size();
  std::remove(dir.File("0.state").c_str());
  std::remove(dir.File("1.state").c_str());
  return n;
}

TEST(MemoryCap, AccountFloodStaysUnderTheCapAndActiveAccountsKeepTheirHistory) {
  const uint32_t cap = 100000;
  const uint64_t attack = tgrel::EnvU64("TG_ATTACK_ACCOUNTS", 1000000, 10000000);
  tgrel::ScratchDir dir;
  const uint64_t record = RecordBytes(dir);
  ASSERT_GT(record, 64u);
  // The store: the records, plus per account an index entry (16-byte slot + control byte, at most 2x
  // over-reserved, hence 48) and a free-list slot (4); a quarter on top for allocator slack, 16 MiB for the
  // rest (stacks, policy swaps).
  const uint64_t bound = static_cast<uint64_t>(static_cast<double>(cap) * static_cast<double>(record + 52) * 1.25) +
                         16 * kMiB;

  Engine h({nullptr, nullptr, cap, 0});
  ASSERT_EQ(h.status, TG_OK) << h.err.message;
  uint64_t id = 0;
  const char* const kActive[] = {"active-0", "active-1", "active-2", "active-3", "active-4"};
  for (const char* a : kActive) {
    tgrel::Teach(h, a, "010 32 2 555 1234", &id);  // Belgium, answered on 4 days
    if (HasFatalFailure()) return;
    ASSERT_FALSE(tgrel::Has(h.Score(a, "010 32 2 555 9999", kWeekday10Jst), TG_REASON_NEW_COUNTRY));
  }
  const uint64_t rss0 = tgrel::RssBytes();

  static const char* const kDialed[] = {"010 44 20 7946 0000", "0312345678",    "010 1 212 555 0100",
                                        "090-1234-5678",       "+53 5 1234567", "010 32 2 555 1234",
                                        "+8821612345678",      "0120-123-456"};
  uint64_t rss_half = 0, max_accounts_seen = 0;
  char name[32];
  const auto t0 = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < attack; ++i) {
    const int n = std::snprintf(name, sizeof name, "atk-%" PRIu64, i);
    const int64_t t = kWeekday10Jst + static_cast<int64_t>(i / 10);
    h.Begin(std::string_view(name, static_cast<size_t>(n)), kDialed[i % 8], t);
    if (i % 1000 == 999) {
      for (const char* a : kActive) h.Begin(a, "0312345678", t);
    }
    if ((i + 1) % (attack / 4) == 0) {
      const tg_engine_stats s = h.Stats();
      max_accounts_seen = std::max(max_accounts_seen, s.accounts);
      if (i + 1 == attack / 2) rss_half = tgrel::RssBytes();
    }
  }
  const double secs = tgrel::Seconds(t0);
  const uint64_t rss_end = tgrel::RssBytes();
  const tg_engine_stats s = h.Stats();

  EXPECT_LE(max_accounts_seen, cap);
  EXPECT_LE(s.accounts, cap);
  EXPECT_GE(s.evicted, attack + 5 - s.accounts);  // (+ the tenant records "atk", "active" the names imply)
  EXPECT_LE(s.memory_bytes, bound);
  if (!tgrel::kSanitized) {
    EXPECT_LE(rss_end - std::min(rss_end, rss0), bound) << "resident memory beyond the bound computed from the cap";
    // Once the store is full (half-way, 5x the cap for the default), memory stops growing.
    EXPECT_LE(rss_end - std::min(rss_end, rss_half), 4 * kMiB) << "memory still grows with a full store";
  }
  // The active accounts survived the flood with their history.
  const int64_t later = kWeekday10Jst + static_cast<int64_t>(attack / 10) + 1000;
  for (const char* a : kActive) {
    const tg_decision d = h.Score(a, "010 32 2 555 9999", later);
    EXPECT_FALSE(tgrel::Has(d, TG_REASON_NEW_COUNTRY)) << a << " forgot Belgium";
    EXPECT_FALSE(tgrel::Has(d, TG_REASON_NEW_ACCOUNT)) << a << " was evicted and recreated";
  }
  std::printf("memory-cap: %" PRIu64 " accounts in %.1f s (%.0f calls/s), cap %u, record %" PRIu64
              " B: accounts %" PRIu64 ", evicted %" PRIu64 ", RSS +%.1f MiB (bound %.1f MiB, +%.2f MiB over the "
              "second half), memory_bytes %.1f MiB; 5/5 active accounts kept their history\n",
              attack, secs, static_cast<double>(attack) / secs, cap, record, s.accounts, s.evicted,
              static_cast<double>(rss_end - std::min(rss_end, rss0)) / kMiB, static_cast<double>(bound) / kMiB,
              static_cast<double>(rss_end - std::min(rss_end, rss_half)) / kMiB,
              static_cast<double>(s.memory_bytes) / kMiB);
}

TEST(MemoryCap, LiveCallFloodStaysUnderTheCap) {
  const uint32_t cap = 10000;
  Engine h({nullptr, nullptr, 0, cap});
  ASSERT_EQ(h.status, TG_OK);
  // Warm up the allocator with a first full table, then measure a second flood.
  uint64_t id = 0;
  // Calls from 5,000 accounts, 100 ms apart. A call refused for capacity is still decided; one the policy
  // blocks (the flood trips rate limits) is never live either.
  auto flood = [&](uint64_t calls, uint64_t* refused) {
    for (uint64_t i = 0; i < calls; ++i, ++id) {
      const bool full = h.Stats().live_calls >= cap;
      tg_status st;
      const tg_decision d = h.Begin("pbx-" + std::to_string(id % 5000), "0312345678",
                                    kWeekday10Jst + static_cast<int64_t>(id) * 100, id + 1, &st);
      if (st == TG_E_CAPACITY) {
        ++*refused;
        ASSERT_STREQ(d.e164, "81312345678");  // still decided
      } else {
        ASSERT_EQ(st, TG_OK);
        if (full) {
          ASSERT_EQ(d.action, TG_ACTION_BLOCK);
        }
      }
    }
  };
  uint64_t refused = 0;
  flood(cap, &refused);
  EXPECT_EQ(refused, 0u);
  const uint64_t rss0 = tgrel::RssBytes();
  flood(200000, &refused);
  const uint64_t rss1 = tgrel::RssBytes();
  EXPECT_GT(refused, 100000u);
  EXPECT_EQ(h.Stats().live_calls, cap);
  if (!tgrel::kSanitized) {
    EXPECT_LE(rss1 - std::min(rss1, rss0), 2 * kMiB);
  }
  // Ending them frees the table.
  uint64_t ended = 0;
  for (uint64_t i = 1; i <= id; ++i) {
    const tg_status st = tg_call_end(h.e, i, kWeekday10Jst + static_cast<int64_t>(i) * 100 + 60000, 10);
    if (st == TG_OK) ++ended;
  }
  EXPECT_EQ(ended, cap);
  EXPECT_EQ(h.Stats().live_calls, 0u);
  std::printf("live-call flood: 210000 begun against a table of %u: %" PRIu64 " refused with TG_E_CAPACITY (the "
              "others blocked by the policy), "
              "RSS +%.2f MiB, %" PRIu64 " ended, live 0\n",
              cap, refused, static_cast<double>(rss1 - std::min(rss1, rss0)) / kMiB, ended);
}

// Regression for F6 (found by the flood above): max_accounts = 100,000 held up to 100,096 accounts, as
// lib/state/account_store.cc sized each of its 256 shards at ceil(capacity / shards) = 391. The header says
// the store keeps "accounts evicted to stay under max_accounts".
TEST(MemoryCap, F6_AccountStoreNeverHoldsMoreThanMaxAccounts) {
  for (const uint32_t cap : {1000u, 100000u}) {
    Engine h({nullptr, nullptr, cap, 0});
    for (uint32_t i = 0; i < 3 * cap; ++i) h.Begin("x" + std::to_string(i), "0312345678", kWeekday10Jst + i);
    EXPECT_LE(h.Stats().accounts, cap);
  }
}

// Regression for F5: with a small live-call table and arbitrary call ids (an SBC's hashes, not 1, 2, 3),
// TG_E_CAPACITY came before the table was full (256: refused at 201 live), as lib/state/live_calls.cc
// capped each of its 64 shards at twice its even share. tollguard.h promises TG_E_CAPACITY "when the
// live-call table is full".
TEST(MemoryCap, F5_SmallLiveCallTableFillsBeforeRefusing) {
  for (const uint32_t cap : {64u, 256u, 1000u}) {
    Engine h({nullptr, nullptr, 0, cap});
    std::mt19937_64 rng(cap);
    uint64_t accepted = 0;
    for (uint32_t i = 0; i < cap; ++i) {
      tg_status st;
      h.Begin("sbc", "0312345678", kWeekday10Jst, rng() | 1, &st);
      if (st == TG_OK) ++accepted;
    }
    EXPECT_EQ(accepted, cap) << "max_live_calls " << cap << ": refused with " << h.Stats().live_calls << " live";
  }
}

// Regression for F9 (C API fuzzer): with the live-call table full, a begin with an id that is already live
// returned TG_E_CAPACITY; it is a duplicate (TG_E_INVALID_ARGUMENT), whatever the table's fill.
TEST(MemoryCap, F9_DuplicateIdIsReportedAsDuplicateWhenFull) {
  Engine h({nullptr, nullptr, 0, 2});
  tg_status st;
  h.Begin("sbc", "0312345678", kWeekday10Jst, 11, &st);
  ASSERT_EQ(st, TG_OK);
  h.Begin("sbc", "0312345678", kWeekday10Jst, 12, &st);
  ASSERT_EQ(st, TG_OK);
  h.Begin("sbc", "0312345678", kWeekday10Jst, 13, &st);
  EXPECT_EQ(st, TG_E_CAPACITY);  // full
  h.Begin("sbc", "0312345678", kWeekday10Jst, 11, &st);
  EXPECT_EQ(st, TG_E_INVALID_ARGUMENT);  // already live: a duplicate, not a capacity problem
  EXPECT_EQ(h.Stats().live_calls, 2u);
}

}  // namespace
