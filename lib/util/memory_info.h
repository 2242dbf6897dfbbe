// How much memory this process may still make resident: the system's MemAvailable, lowered to what is left
// under the process's cgroup memory limit (v2 memory.max / memory.current, or v1 memory.limit_in_bytes /
// memory.usage_in_bytes), so that a containerized SBC gets a clear error instead of the OOM killer.
// Read at engine creation only (files under /proc and /sys), never on the decision path.
// Thread-safety: pure function over the file system.
#ifndef TOLLGUARD_LIB_UTIL_MEMORY_INFO_H_
#define TOLLGUARD_LIB_UTIL_MEMORY_INFO_H_

#include <cstdint>
#include <optional>
#include <string>

namespace tollguard {

// Bytes (0 when the cgroup's usage has reached its limit), or nullopt when nothing is known (no
// MemAvailable in /proc/meminfo): then callers check nothing. `root` prefixes the paths ("/" on a live
// system; a test's folder that imitates one).
std::optional<uint64_t> AvailableMemoryBytes(const std::string& root = "/");

}  // namespace tollguard

#endif  // TOLLGUARD_LIB_UTIL_MEMORY_INFO_H_
