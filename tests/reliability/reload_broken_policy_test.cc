// tg_engine_reload with a broken policy: an error that says file:line:column (or names the missing file),
// and the engine keeps deciding with the old policy, bit for bit, including while other threads decide
// during the failed reloads. A good reload afterwards takes effect.
#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "reliability_util.h"

namespace {

using tgrel::Engine;
using tgrel::EngineConfig;
using tgrel::kWeekday10Jst;

const char* const kProbes[] = {"010 44 20 7946 0000", "0312345678",     "010 1 212 555 0100", "+44 909 879 0000",
                               "090-1234-5678",       "010 53 5 1234567", "+8821612345678",    "110"};

struct Broken {
  const char* name;
  std::string text;    // policy text; empty name of a file that does not exist when missing
  tg_status status;
  uint32_t line;       // 0: not about a place
  const char* says;    // a part of the message
};

std::vector<Broken> BrokenPolicies() {
  return {
      {"syntax", "profiles { name: \"default\" alert_score: \"high\" }\n", TG_E_POLICY, 1, "high"},
      {"unterminated", "name: \"x\"\nprofiles {\n  name: \"default\"\n", TG_E_POLICY, 4, ""},
      {"unknown_field", "name: \"x\"\n\nno_such_field: 1\n", TG_E_POLICY, 3, "no_such_field"},
      {"out_of_range", "name: \"x\"\nprofiles {\n  name: \"default\"\n  hours { start_hour: 25 }\n}\n", TG_E_POLICY, 4,
       "start_hour"},
      {"bad_zone", "\naccounts { name: \"a\" timezone: \"Mars/Olympus\" }\n", TG_E_POLICY, 2, "Mars/Olympus"},
      {"duplicate_profile", "profiles { name: \"x\" }\nprofiles { name: \"x\" }\n", TG_E_POLICY, 2, "twice"},
      {"bad_holiday", "holidays: [\"2026-02-30\"]\n", TG_E_POLICY, 1, "2026-02-30"},
      {"bad_account", "accounts { name: \"a\" prefix: \"b\" }\n", TG_E_POLICY, 1, "exactly one"},
      {"bad_rate_deck_row", "\n\ntables { rate_deck: \"bad.csv\" }\n", TG_E_POLICY, 3, "bad.csv:3:"},
      {"missing_rate_deck", "tables { overrides: \"nope.csv\" }\n", TG_E_POLICY, 1, "nope.csv"},
      {"binary", std::string("\x00\xff\xfe{{{\x01", 7), TG_E_POLICY, 1, ""},
      {"missing_policy_file", "", TG_E_IO, 0, "missing.textproto"},
  };
}

// Score-only decisions of the probe calls: a pure function of the policy.
std::vector<tg_decision> Probe(const Engine& h) {
  std::vector<tg_decision> out;
  for (const char* dialed : kProbes) out.push_back(h.Score("probe", dialed, kWeekday10Jst));
  return out;
}

bool Same(const std::vector<tg_decision>& a, const std::vector<tg_decision>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(tg_decision)) != 0) return false;
  }
  return true;
}

TEST(ReloadBrokenPolicy, ErrorSaysWhereAndTheOldPolicyKeepsDeciding) {
  tgrel::ScratchDir dir;
  dir.Write("bad.csv", "prefix,description,rate\n44,UK,0.1\n45,DK,lots\n");
  const std::string good_a = dir.Write("a.textproto",
                                       "profiles { name: \"default\" alert_score: 300 block_score: 500 }\n"
                                       "tables { override { prefix: \"4420\" action: BLOCK } }\n");
  const std::string good_b = dir.Write("b.textproto", "tables { override { prefix: \"4420\" action: ALERT } }\n");
  Engine h({good_a.c_str(), nullptr, 0, 0});
  ASSERT_EQ(h.status, TG_OK) << h.err.message;
  const std::vector<tg_decision> before = Probe(h);
  ASSERT_EQ(before[0].action, TG_ACTION_BLOCK);  // policy A's deny-list entry
  uint64_t version = h.Stats().policy_version;

  // Deciding threads compare every decision with the old policy's while the reloads fail.
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> decided{0}, differed{0};
  std::vector<std::thread> deciders;
  struct Joiner {  // joins the deciders however the test leaves this scope
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~Joiner() {
      stop = true;
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } joiner{stop, deciders};
  for (int t = 0; t < 4; ++t) {
    deciders.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        if (!Same(Probe(h), before)) differed.fetch_add(1);
        decided.fetch_add(1);
      }
    });
  }
  const int rounds = static_cast<int>(tgrel::EnvU64("TG_RELOAD_ROUNDS", 5, 50));
  int failed_reloads = 0;
  for (int round = 0; round < rounds; ++round) {
    for (const Broken& b : BrokenPolicies()) {
      SCOPED_TRACE(b.name);
      const std::string path = b.status == TG_E_IO ? dir.File("missing.textproto") : dir.Write(std::string(b.name) + ".textproto", b.text);
      tg_error err = TG_ERROR_INIT;
      const tg_status st = tg_engine_reload(h.e, path.c_str(), &err);
      ++failed_reloads;
      EXPECT_EQ(st, b.status) << err.message;
      if (st == TG_OK) {  // put A back for the rest
        ASSERT_EQ(tg_engine_reload(h.e, good_a.c_str(), nullptr), TG_OK);
        version = h.Stats().policy_version;
        continue;
      }
      EXPECT_EQ(err.code, b.status);
      EXPECT_EQ(err.line, b.line) << err.message;
      if (b.line > 0) {
        EXPECT_GT(err.column, 0u) << err.message;
        const std::string where = path + ":" + std::to_string(err.line) + ":" + std::to_string(err.column) + ": ";
        EXPECT_EQ(std::string(err.message).rfind(where, 0), 0u) << "message does not start with " << where << ": "
                                                                 << err.message;
      }
      EXPECT_NE(std::string(err.message).find(b.says), std::string::npos) << err.message;
      EXPECT_EQ(h.Stats().policy_version, version);
      EXPECT_TRUE(Same(Probe(h), before));
      // Reloading "the current path" after a failure reloads A, not the broken file.
      if (round == 0 && b.status == TG_E_POLICY && std::string(b.name) == "syntax") {
        tg_error e2 = TG_ERROR_INIT;
        EXPECT_EQ(tg_engine_reload(h.e, nullptr, &e2), TG_OK) << e2.message;
        EXPECT_TRUE(Same(Probe(h), before));
        version = h.Stats().policy_version;
      }
    }
  }
  stop = true;
  for (auto& t : deciders) t.join();
  deciders.clear();
  EXPECT_EQ(differed.load(), 0u) << "decisions changed during failed reloads";
  EXPECT_GT(decided.load(), 0u);
  // Calls begin and end normally after all that.
  tg_status st;
  const tg_decision d = h.Begin("after", "0312345678", kWeekday10Jst, 42, &st);
  EXPECT_EQ(st, TG_OK);
  EXPECT_STREQ(d.e164, "81312345678");
  EXPECT_EQ(tg_call_end(h.e, 42, kWeekday10Jst + 60000, 50), TG_OK);

  // A good reload takes effect.
  const uint64_t v = h.Stats().policy_version;
  tg_error err = TG_ERROR_INIT;
  ASSERT_EQ(tg_engine_reload(h.e, good_b.c_str(), &err), TG_OK) << err.message;
  EXPECT_EQ(h.Stats().policy_version, v + 1);
  const std::vector<tg_decision> after = Probe(h);
  EXPECT_EQ(after[0].action, TG_ACTION_ALERT);
  std::printf("reload-broken-policy: %d failed reloads of %zu kinds, %llu probe rounds decided meanwhile, "
              "%llu differed\n",
              failed_reloads, BrokenPolicies().size(), static_cast<unsigned long long>(decided.load()),
              static_cast<unsigned long long>(differed.load()));
}

// Regression for F7: a malformed outside_line (or local_area_code) in the policy file, when the engine
// options name the home country, was blamed on the option ("home_country option: malformed outside_line
// '9a' ...", line 0, column 0) although the bad value is on line 2 of the file (lib/policy/loader.cc).
TEST(ReloadBrokenPolicy, F7_BadOutsideLineIsReportedAtItsLine) {
  tgrel::ScratchDir dir;
  Engine h;  // options: home_country JP
  ASSERT_EQ(h.status, TG_OK);
  const std::string path = dir.Write("p.textproto", "name: \"x\"\noutside_line: \"9a\"\n");
  tg_error err = TG_ERROR_INIT;
  EXPECT_EQ(tg_engine_reload(h.e, path.c_str(), &err), TG_E_POLICY);
  EXPECT_EQ(err.line, 2u) << err.message;
  EXPECT_EQ(std::string(err.message).rfind(path + ":2:", 0), 0u) << err.message;
}

}  // namespace
