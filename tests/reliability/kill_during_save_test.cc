// A process SIGKILLed at random moments while tg_engine_save_state writes: the snapshot on disk is always
// a whole generation, the previous one or the new one, never a mix or a torn file.
//
// Each round forks a child that loads the snapshot, adds accounts and one more live call (the live-call
// count is the generation number), tells the parent its new account count and then saves in a loop; the
// parent kills it after a random delay spread over about two saves. The parent then creates an engine from
// the file: no warning, and accounts/live calls exactly those of generation g or g+1.
// Rounds: TG_KILL_ROUNDS, default 30 (fast) / 300 (TG_RELIABILITY_LONG=1).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "reliability_util.h"

namespace {

using tgrel::Engine;
using tgrel::EngineConfig;
using tgrel::kWeekday10Jst;

constexpr uint32_t kCapacity = 40000;  // accounts: the file grows to about this many records (~25 MB)
constexpr int kInitial = 20000;
constexpr int kPerRound = 4000;

void AddAccounts(Engine& h, const std::string& prefix, int n) {
  for (int i = 0; i < n; ++i) {
    const std::string a = prefix + std::to_string(i);
    h.Begin(a, "0312345678", kWeekday10Jst + i);
  }
}

// The child: load, grow by one generation, then save until killed. Exit codes say what went wrong.
[[noreturn]] void Child(const std::string& state, int round, int ready_fd) {
  Engine h({nullptr, state.c_str(), kCapacity, 0});
  if (h.status != TG_OK) ::_exit(10);
  if (h.err.code != TG_OK) ::_exit(11);  // the file we were given did not load cleanly
  AddAccounts(h, "r" + std::to_string(round) + "-", kPerRound);
  tg_status st;
  // One more live call, begun now: a call older than the policy's max_call_hours by the wall clock is
  // expired when a snapshot is saved or loaded, which a fixed date would soon be.
  h.Begin("generations", "0312345678", 0, 1000000 + round, &st);
  if (st != TG_OK) ::_exit(12);
  const uint64_t accounts = h.Stats().accounts;  // what the next generation holds
  if (::write(ready_fd, &accounts, sizeof accounts) != sizeof accounts) ::_exit(13);
  for (;;) {
    if (tg_engine_save_state(h.e, nullptr, nullptr) != TG_OK) ::_exit(14);
  }
}

TEST(KillDuringSave, PreviousOrNewSnapshotAlwaysLoadsIntact) {
  const int rounds = static_cast<int>(tgrel::EnvU64("TG_KILL_ROUNDS", 30, 300));
  tgrel::ScratchDir dir;
  const std::string state = dir.File("engine.state");
  double save_ms;
  {
    Engine h({nullptr, state.c_str(), kCapacity, 0});
    ASSERT_EQ(h.status, TG_OK) << h.err.message;
    AddAccounts(h, "base-", kInitial);
    ASSERT_EQ(tg_engine_save_state(h.e, nullptr, nullptr), TG_OK);
    // How long a save of the full-size file takes, to spread the kills over it.
    AddAccounts(h, "size-", kCapacity - kInitial);
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(tg_engine_save_state(h.e, dir.File("probe.state").c_str(), nullptr), TG_OK);
    save_ms = tgrel::Seconds(t0) * 1000;
    std::remove(dir.File("probe.state").c_str());
  }
  std::mt19937_64 rng(20261124);
  uint64_t accounts = kInitial, generation = 0;
  int kept_old = 0, got_new = 0, stale_tmp = 0;
  for (int round = 0; round < rounds; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      Child(state, round, fds[1]);
    }
    ::close(fds[1]);
    uint64_t child_accounts = 0;
    const bool ready = ::read(fds[0], &child_accounts, sizeof child_accounts) == sizeof child_accounts;
    ::close(fds[0]);
    if (ready) {
      const double delay_ms = std::uniform_real_distribution<double>(0, 2.2 * save_ms)(rng);
      std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(delay_ms * 1000)));
      ::kill(pid, SIGKILL);
    }
    int wstatus = 0;
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(ready && WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "round " << round << ": the child failed before the kill, exit status "
        << (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);

    Engine h({nullptr, state.c_str(), kCapacity, 0});
    ASSERT_EQ(h.status, TG_OK) << "round " << round << ": " << h.err.message;
    ASSERT_EQ(h.err.code, TG_OK) << "round " << round << ": the snapshot did not load intact: " << h.err.message;
    const tg_engine_stats s = h.Stats();
    if (s.live_calls == generation) {
      EXPECT_EQ(s.accounts, accounts) << "round " << round << ": old generation with other accounts";
      ++kept_old;
    } else {
      ASSERT_EQ(s.live_calls, generation + 1) << "round " << round << ": neither generation";
      EXPECT_EQ(s.accounts, child_accounts) << "round " << round << ": new generation with other accounts";
      ++got_new;
      generation = s.live_calls;
      accounts = s.accounts;
    }
    // A killed save may leave its temporary file; the next save reuses it: never more than one (F8).
    int tmp_files = 0;
    for (const std::string& f : dir.Files()) tmp_files += f.rfind("engine.state.tmp", 0) == 0;
    EXPECT_LE(tmp_files, 1) << "round " << round << ": temporary files pile up";
    stale_tmp = std::max(stale_tmp, tmp_files);
  }
  std::printf("kill-during-save: %d kills, snapshot of ~%llu accounts (save %.1f ms): %d kept the previous "
              "generation, %d had the new one, 0 torn; at most %d temporary file at any time\n",
              rounds, static_cast<unsigned long long>(accounts), save_ms, kept_old, got_new, stale_tmp);
  RecordProperty("kills", rounds);
  RecordProperty("kept_old", kept_old);
  RecordProperty("got_new", got_new);
  RecordProperty("stale_tmp", stale_tmp);
}

// Regression for F8: a save killed after it created its temporary file left <state>.tmp.<pid> behind, as
// large as the snapshot, and nothing removed it: a process crashing while saving, again and again, filled
// the disk (about a third of the kills above left one). Fixed: one temporary name per state path,
// <state>.tmp, which each save truncates and renames.
TEST(KillDuringSave, F8_KilledSavesLeaveNoTemporaryFilesBehind) {
  tgrel::ScratchDir dir;
  const std::string state = dir.File("engine.state");
  {
    Engine h({nullptr, state.c_str(), 0, 0});
    AddAccounts(h, "a", 20000);
    ASSERT_EQ(tg_engine_save_state(h.e, nullptr, nullptr), TG_OK);
  }
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Engine h({nullptr, state.c_str(), 0, 0});
    for (;;) tg_engine_save_state(h.e, nullptr, nullptr);
  }
  // Kill it while its temporary file exists.
  bool seen = false;
  for (int i = 0; i < 20000 && !seen; ++i) {
    for (const std::string& f : dir.Files()) seen |= f.find(".tmp") != std::string::npos;
    if (!seen) std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(seen);
  {
    Engine h({nullptr, state.c_str(), 0, 0});
    ASSERT_EQ(h.err.code, TG_OK) << h.err.message;
    ASSERT_EQ(tg_engine_save_state(h.e, nullptr, nullptr), TG_OK);
  }
  for (const std::string& f : dir.Files()) EXPECT_EQ(f.find(".tmp"), std::string::npos) << "left behind: " << f;
}

}  // namespace
