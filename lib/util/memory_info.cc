#include "lib/util/memory_info.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace tollguard {
namespace {

// The first number in the file (limits are single lines), or false when it is missing or not a number
// ("max": no limit).
bool ReadNumber(const std::string& path, uint64_t* out) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return false;
  unsigned long long v = 0;
  const bool ok = std::fscanf(f, "%llu", &v) == 1;
  std::fclose(f);
  if (ok) *out = v;
  return ok;
}

std::optional<uint64_t> MemAvailable(const std::string& root) {
  FILE* f = std::fopen((root + "proc/meminfo").c_str(), "r");
  if (f == nullptr) return std::nullopt;
  char line[128];
  unsigned long long kb = 0;
  bool found = false;
  while (!found && std::fgets(line, sizeof line, f) != nullptr) {
    found = std::sscanf(line, "MemAvailable: %llu kB", &kb) == 1;
  }
  std::fclose(f);
  if (!found) return std::nullopt;
  return static_cast<uint64_t>(kb) * 1024;
}

}  // namespace

std::optional<uint64_t> AvailableMemoryBytes(const std::string& root) {
  const std::optional<uint64_t> system = MemAvailable(root);
  if (!system) return std::nullopt;
  uint64_t available = *system;
  // A limit above 2^60 is "unlimited" (cgroup v1 writes the largest page-aligned value).
  constexpr uint64_t kUnlimited = uint64_t{1} << 60;
  const struct {
    const char* limit;
    const char* usage;
  } kFiles[] = {{"sys/fs/cgroup/memory.max", "sys/fs/cgroup/memory.current"},
                {"sys/fs/cgroup/memory/memory.limit_in_bytes", "sys/fs/cgroup/memory/memory.usage_in_bytes"}};
  for (const auto& f : kFiles) {
    uint64_t limit = 0, usage = 0;
    if (!ReadNumber(root + f.limit, &limit) || limit >= kUnlimited) continue;
    if (!ReadNumber(root + f.usage, &usage)) usage = 0;
    available = std::min(available, limit > usage ? limit - usage : 0);
  }
  return available;
}

}  // namespace tollguard
