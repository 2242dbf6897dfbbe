// Helpers for the fault and load tests (docs/RELIABILITY.md): process memory, the long/fast switch, scratch
// folders, engines and calls through the public C API.
// Thread-safety: the helpers are plain functions; an Engine is shared the way tg_engine is.
#ifndef TOLLGUARD_TESTS_RELIABILITY_RELIABILITY_UTIL_H_
#define TOLLGUARD_TESTS_RELIABILITY_RELIABILITY_UTIL_H_

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tollguard/tollguard.h"
#include "../c_api/test_util.h"

namespace tgrel {

using tgtest::kDayMs;
using tgtest::kWeekday10Jst;  // 2026-11-24 (Tuesday) 10:00 Asia/Tokyo
inline constexpr uint64_t kMiB = 1024 * 1024;

// Built with AddressSanitizer or ThreadSanitizer: resident memory then includes shadow memory and the
// quarantine of freed blocks, so the tests report it but do not hold it to the bounds.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

// TG_RELIABILITY_LONG=1 selects the long variants (tools/reliability.sh); an explicit variable wins.
inline bool LongMode() {
  const char* v = std::getenv("TG_RELIABILITY_LONG");
  return v != nullptr && std::string_view(v) == "1";
}
inline uint64_t EnvU64(const char* name, uint64_t fast, uint64_t long_value) {
  const char* v = std::getenv(name);
  if (v != nullptr && *v != 0) return std::strtoull(v, nullptr, 10);
  return LongMode() ? long_value : fast;
}

// Resident set size of this process, from /proc/self/statm.
inline uint64_t RssBytes() {
  std::ifstream f("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  f >> size >> resident;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

inline double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A fresh folder under gtest's temp dir, removed (with its files) by the destructor.
class ScratchDir {
 public:
  ScratchDir() {
    std::string t = std::string(::testing::TempDir()) + "/tg_rel_XXXXXX";
    if (::mkdtemp(t.data()) == nullptr) std::abort();
    path_ = t;
  }
  ~ScratchDir() {
    for (const std::string& f : Files()) std::remove((path_ + "/" + f).c_str());
    ::rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  std::vector<std::string> Files() const {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(path_.c_str())) {
      while (dirent* e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) out.emplace_back(e->d_name);
      }
      ::closedir(d);
    }
    return out;
  }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(File(name), std::ios::binary) << text;
    return File(name);
  }

 private:
  std::string path_;
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The C API tests' helpers (tests/c_api/test_util.h): a call from strings, a reason bit.
using tgtest::Call;
using tgtest::Has;

struct EngineConfig {
  const char* policy = nullptr;
  const char* state = nullptr;
  uint32_t max_accounts = 0;
  uint32_t max_live_calls = 0;
};

// An engine (JP, Asia/Tokyo) through the C API. status/err say how creation went.
class Engine {
 public:
  explicit Engine(const EngineConfig& c = {}) {
    tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
    o.home_country = "JP";
    o.timezone = "Asia/Tokyo";
    o.policy_path = c.policy;
    o.state_path = c.state;
    o.max_accounts = c.max_accounts;
    o.max_live_calls = c.max_live_calls;
    status = tg_engine_create(&o, &e, &err);
  }
  ~Engine() { tg_engine_destroy(e); }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  tg_decision Begin(std::string_view account, std::string_view dialed, int64_t ms, uint64_t id = 0,
                    tg_status* st = nullptr) {
    const tg_call c = Call(account, dialed, ms, id);
    tg_decision d = TG_DECISION_INIT;
    const tg_status s = tg_call_begin(e, &c, &d);
    if (st) *st = s;
    return d;
  }
  tg_decision Score(std::string_view account, std::string_view dialed, int64_t ms, tg_status* st = nullptr) const {
    const tg_call c = Call(account, dialed, ms, 0);
    tg_decision d = TG_DECISION_INIT;
    const tg_status s = tg_engine_score(e, &c, &d);
    if (st) *st = s;
    return d;
  }
  tg_engine_stats Stats() const {
    tg_engine_stats s = TG_ENGINE_STATS_INIT;
    tg_engine_get_stats(e, &s);
    return s;
  }

  tg_engine* e = nullptr;
  tg_error err = TG_ERROR_INIT;
  tg_status status = TG_OK;
};

// Teaches `account` that it calls `dialed`: answered calls on 4 working days a week before kWeekday10Jst.
inline void Teach(Engine& h, const std::string& account, const std::string& dialed, uint64_t* id) {
  for (int d = 0; d < 4; ++d) {
    const int64_t t = kWeekday10Jst - (7 - d) * kDayMs;
    const tg_decision dec = h.Begin(account, dialed, t, ++*id);
    ASSERT_NE(dec.action, TG_ACTION_BLOCK);
    ASSERT_EQ(tg_call_end(h.e, *id, t + 300000, 240), TG_OK);
  }
}

}  // namespace tgrel

#endif  // TOLLGUARD_TESTS_RELIABILITY_RELIABILITY_UTIL_H_
