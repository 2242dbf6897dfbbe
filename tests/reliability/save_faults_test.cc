// tg_engine_save_state when the disk says no: file too large (RLIMIT_FSIZE, EFBIG), disk full (a small
// tmpfs in a private mount namespace, ENOSPC), a folder the process may not write (EACCES), and a target
// that is a folder. Each time: TG_E_IO with a message naming the path and the reason, the previous snapshot
// byte-for-byte intact and still loading, no temporary file left, and the engine keeps deciding.
// The faults are made in a forked child (limits, identities and mounts stay there).
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <functional>
#include <string>

#include "reliability_util.h"

namespace {

using tgrel::Engine;
using tgrel::EngineConfig;
using tgrel::kWeekday10Jst;

constexpr int kSkip = 77;

// Runs fn in a child; fn returns its exit code and may explain itself through Say(). The parent gets both.
struct ChildResult {
  int code = -1;
  std::string said;
};
int g_say_fd = -1;
void Say(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0 && ::write(g_say_fd, buf, std::min<size_t>(n, sizeof buf - 1)) < 0) return;
  if (::write(g_say_fd, "\n", 1) < 0) return;
}
ChildResult InChild(const std::function<int()>& fn) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    g_say_fd = fds[1];
    ::_exit(fn());
  }
  ::close(fds[1]);
  ChildResult r;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) r.said.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int ws = 0;
  ::waitpid(pid, &ws, 0);
  r.code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  return r;
}

void AddAccounts(Engine& h, const std::string& prefix, int n) {
  for (int i = 0; i < n; ++i) h.Begin(prefix + std::to_string(i), "0312345678", kWeekday10Jst + i);
}

// In the child: an engine on `state`, grown, whose save must fail with TG_E_IO naming `path` and `reason`.
// Returns 0 when it did and everything else held.
int SaveMustFail(const std::string& state, const std::string& save_to, const char* reason) {
  Engine h({nullptr, state.c_str(), 0, 0});
  if (h.status != TG_OK || h.err.code != TG_OK) {
    Say("cannot load %s: %s", state.c_str(), h.err.message);
    return 20;
  }
  const uint64_t before = h.Stats().accounts;
  AddAccounts(h, "more-", 3000);
  tg_error err = TG_ERROR_INIT;
  const tg_status st = tg_engine_save_state(h.e, save_to.c_str(), &err);
  if (st != TG_E_IO || err.code != TG_E_IO) {
    Say("save returned %d (%s), expected TG_E_IO", st, tg_status_string(st));
    return 21;
  }
  if (std::strstr(err.message, reason) == nullptr) {
    Say("message does not say '%s': %s", reason, err.message);
    return 22;
  }
  Say("%s", err.message);
  // Still deciding, nothing lost in memory.
  tg_status ds;
  const tg_decision d = h.Begin("after-failure", "0312345678", kWeekday10Jst, 0, &ds);
  if (ds != TG_OK || std::strcmp(d.e164, "81312345678") != 0) return 23;
  if (h.Stats().accounts < before + 3000) return 24;
  return 0;
}

class SaveFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = dir_.File("engine.state");
    Engine h({nullptr, state_.c_str(), 0, 0});
    ASSERT_EQ(h.status, TG_OK) << h.err.message;
    AddAccounts(h, "acct-", 2000);
    ASSERT_EQ(tg_engine_save_state(h.e, nullptr, nullptr), TG_OK);
    accounts_ = h.Stats().accounts;  // 2000 and the tenant record their names imply ("acct")
    original_ = tgrel::ReadAll(state_);
    ASSERT_GT(original_.size(), 64 * 1024u);
  }
  // The previous snapshot: the same bytes, loading without warning, and no temporary file beside it.
  void ExpectOldSnapshotIntact(const std::string& where) {
    EXPECT_EQ(tgrel::ReadAll(state_), original_) << where << ": the previous snapshot changed";
    Engine h({nullptr, state_.c_str(), 0, 0});
    EXPECT_EQ(h.status, TG_OK);
    EXPECT_EQ(h.err.code, TG_OK) << h.err.message;
    EXPECT_EQ(h.Stats().accounts, accounts_);
    for (const std::string& f : dir_.Files()) EXPECT_EQ(f.find(".tmp"), std::string::npos) << where << ": left " << f;
  }
  tgrel::ScratchDir dir_;
  std::string state_;
  std::string original_;
  uint64_t accounts_ = 0;
};

TEST_F(SaveFaults, FileTooLargeIsAnErrorAndKeepsTheOldSnapshot) {
  const ChildResult r = InChild([&] {
    ::signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG instead of killing the process
    const rlimit lim{64 * 1024, 64 * 1024};
    if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) return 30;
    return SaveMustFail(state_, state_, std::strerror(EFBIG));
  });
  EXPECT_EQ(r.code, 0) << r.said;
  std::printf("file too large: %s\n", r.said.c_str());
  ExpectOldSnapshotIntact("RLIMIT_FSIZE");
}

TEST_F(SaveFaults, DiskFullIsAnErrorAndKeepsTheOldSnapshot) {
  // A tmpfs twice the old snapshot's size over a folder, in a mount namespace of the child only: the old
  // snapshot fits, the new one (2.5 times as many accounts) does not. Needs CAP_SYS_ADMIN (root) or
  // unprivileged user namespaces; skipped when neither is available.
  const std::string mnt = dir_.File("small");
  ASSERT_EQ(::mkdir(mnt.c_str(), 0755), 0);
  const std::string size_opt = "size=" + std::to_string(original_.size() * 2);
  const ChildResult r = InChild([&] {
    if (::unshare(CLONE_NEWNS) != 0 && ::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
      Say("no mount namespace: %s", std::strerror(errno));
      return kSkip;
    }
    if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", mnt.c_str(), "tmpfs", 0, size_opt.c_str()) != 0) {
      Say("cannot mount a tmpfs: %s", std::strerror(errno));
      return kSkip;
    }
    // The old snapshot on the small disk, then a save that needs more room than is left.
    const std::string small_state = mnt + "/engine.state";
    {
      const std::string bytes = tgrel::ReadAll(state_);
      FILE* f = std::fopen(small_state.c_str(), "wb");
      if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) return 31;
    }
    const int rc = SaveMustFail(small_state, small_state, std::strerror(ENOSPC));
    if (rc != 0) return rc;
    if (tgrel::ReadAll(small_state) != original_) {
      Say("the snapshot on the full disk changed");
      return 32;
    }
    // The temporary file must be gone, or the disk stays full.
    struct stat st;
    const std::string tmp = small_state + ".tmp";
    if (::stat(tmp.c_str(), &st) == 0) {
      Say("temporary file left on the full disk");
      return 33;
    }
    return 0;
  });
  if (r.code == kSkip) GTEST_SKIP() << r.said;
  EXPECT_EQ(r.code, 0) << r.said;
  std::printf("disk full: %s\n", r.said.c_str());
  ExpectOldSnapshotIntact("ENOSPC");
}

TEST_F(SaveFaults, UnwritableFolderIsAnErrorAndKeepsTheOldSnapshot) {
  // root ignores permissions: the child becomes `nobody` (uid 65534) first; the folder stays root's 0755.
  const std::string ro = dir_.File("readonly");
  ASSERT_EQ(::mkdir(ro.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);  // mkdtemp made it 0700: nobody must reach the state
  ASSERT_EQ(::chmod(state_.c_str(), 0644), 0);
  const ChildResult r = InChild([&] {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      Say("cannot drop to uid 65534: %s", std::strerror(errno));
      return kSkip;
    }
    // Saving next to the old snapshot (a folder of root's) and into a read-only folder both fail.
    const int rc = SaveMustFail(state_, state_, std::strerror(EACCES));
    if (rc != 0) return rc;
    return SaveMustFail(state_, ro + "/engine.state", std::strerror(EACCES));
  });
  if (r.code == kSkip) GTEST_SKIP() << r.said;
  EXPECT_EQ(r.code, 0) << r.said;
  std::printf("unwritable folder: %s\n", r.said.c_str());
  ::rmdir(ro.c_str());
  ExpectOldSnapshotIntact("EACCES");
}

TEST_F(SaveFaults, TargetThatIsAFolderIsAnError) {
  const std::string folder = dir_.File("a-folder");
  ASSERT_EQ(::mkdir(folder.c_str(), 0755), 0);
  Engine h({nullptr, state_.c_str(), 0, 0});
  tg_error err = TG_ERROR_INIT;
  EXPECT_EQ(tg_engine_save_state(h.e, folder.c_str(), &err), TG_E_IO);
  EXPECT_NE(std::string(err.message).find(folder), std::string::npos) << err.message;
  struct stat st;
  EXPECT_EQ(::stat(folder.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  ::rmdir(folder.c_str());
  ExpectOldSnapshotIntact("EISDIR");
}

}  // namespace
