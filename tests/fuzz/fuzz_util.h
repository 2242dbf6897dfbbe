// Helpers shared by the fuzz harnesses: a byte consumer for structured inputs, a per-process scratch folder
// for harnesses that must go through files, and the invariant check that turns a violation into a crash.
// Harness inputs are any bytes; every harness also builds with gcc into a corpus replayer (replay_main.cc).
// Thread-safety: single-threaded, as libFuzzer calls LLVMFuzzerTestOneInput from one thread.
#ifndef TOLLGUARD_TESTS_FUZZ_FUZZ_UTIL_H_
#define TOLLGUARD_TESTS_FUZZ_FUZZ_UTIL_H_

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

// An invariant of the code under test: a violation aborts, which libFuzzer records as a crash.
#define TG_FUZZ_CHECK(cond)                                                              \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace tgfuzz {

// Takes typed values from the front of the input; past the end every value is zero / empty.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : p_(data), n_(size) {}
  size_t left() const { return n_; }
  bool empty() const { return n_ == 0; }
  uint8_t U8() {
    if (n_ == 0) return 0;
    --n_;
    return *p_++;
  }
  template <typename T>
  T Int() {
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>((static_cast<uint64_t>(v) << 8) | U8());
    return v;
  }
  bool Bool() { return U8() & 1; }
  // Up to max_len bytes, the length given by the next byte.
  std::string_view Str(size_t max_len) {
    const size_t want = std::min<size_t>(U8(), max_len);
    return Take(want);
  }
  std::string_view Take(size_t len) {
    len = std::min(len, n_);
    std::string_view s(reinterpret_cast<const char*>(p_), len);
    p_ += len;
    n_ -= len;
    return s;
  }
  std::string_view Rest() { return Take(n_); }

 private:
  const uint8_t* p_;
  size_t n_;
};

inline std::string& ScratchPath() {
  static std::string path;
  return path;
}

// Removes the scratch folder and its files (flat) at a normal exit; a crash leaves it for inspection.
inline void RemoveScratch() {
  const std::string& dir = ScratchPath();
  if (dir.empty()) return;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
        ::unlink((dir + "/" + e->d_name).c_str());
      }
    }
    ::closedir(d);
  }
  ::rmdir(dir.c_str());
}

// A private folder under $TMPDIR (or /tmp) for this process, created on first use and removed at exit
// (harnesses write their inputs there when the code under test reads files).
inline const std::string& ScratchDir() {
  static const bool made = [] {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/tg_fuzz_XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    ScratchPath() = tmpl;
    std::atexit(RemoveScratch);
    return true;
  }();
  (void)made;
  return ScratchPath();
}

// Writes `bytes` to ScratchDir()/name and returns the path.
inline std::string WriteScratch(const std::string& name, std::string_view bytes) {
  const std::string path = ScratchDir() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  TG_FUZZ_CHECK(f != nullptr);
  if (!bytes.empty()) TG_FUZZ_CHECK(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  TG_FUZZ_CHECK(std::fclose(f) == 0);
  return path;
}

inline bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace tgfuzz

#endif  // TOLLGUARD_TESTS_FUZZ_FUZZ_UTIL_H_
