// AvailableMemoryBytes over imitation /proc and /sys trees: MemAvailable alone, lowered by a cgroup v2 or v1
// limit (what is left under it), "max" and v1's huge value as no limit, and nothing known without meminfo.
#include "lib/util/memory_info.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace tollguard {
namespace {

namespace fs = std::filesystem;

class MemoryInfoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("tg_meminfo_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "proc");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  std::optional<uint64_t> Available() const { return AvailableMemoryBytes(root_.string() + "/"); }

  fs::path root_;
};

constexpr uint64_t kGiB = uint64_t{1} << 30;
const char* const kMeminfo8G = "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    8388608 kB\n";

TEST_F(MemoryInfoTest, MemAvailableAloneWithoutCgroupFiles) {
  Write("proc/meminfo", kMeminfo8G);
  EXPECT_EQ(Available(), std::optional<uint64_t>(8 * kGiB));
}

TEST_F(MemoryInfoTest, NothingKnownWithoutMeminfoOrItsMemAvailable) {
  EXPECT_EQ(Available(), std::nullopt);
  Write("proc/meminfo", "MemTotal:       16000000 kB\n");  // an old kernel's meminfo
  EXPECT_EQ(Available(), std::nullopt);
}

TEST_F(MemoryInfoTest, CgroupV2LimitLeavesWhatIsLeftUnderIt) {
  Write("proc/meminfo", kMeminfo8G);
  Write("sys/fs/cgroup/memory.max", std::to_string(2 * kGiB) + "\n");
  Write("sys/fs/cgroup/memory.current", std::to_string(kGiB / 2) + "\n");
  EXPECT_EQ(Available(), std::optional<uint64_t>(2 * kGiB - kGiB / 2));
}

TEST_F(MemoryInfoTest, CgroupV2MaxIsNoLimit) {
  Write("proc/meminfo", kMeminfo8G);
  Write("sys/fs/cgroup/memory.max", "max\n");
  Write("sys/fs/cgroup/memory.current", "123\n");
  EXPECT_EQ(Available(), std::optional<uint64_t>(8 * kGiB));
}

TEST_F(MemoryInfoTest, CgroupV1LimitAndItsUnlimitedValue) {
  Write("proc/meminfo", kMeminfo8G);
  Write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
  Write("sys/fs/cgroup/memory/memory.usage_in_bytes", "821948416\n");
  EXPECT_EQ(Available(), std::optional<uint64_t>(8 * kGiB));
  Write("sys/fs/cgroup/memory/memory.limit_in_bytes", std::to_string(3 * kGiB) + "\n");
  EXPECT_EQ(Available(), std::optional<uint64_t>(3 * kGiB - 821948416));
}

TEST_F(MemoryInfoTest, UsageAtOrAboveTheLimitLeavesNothing) {
  Write("proc/meminfo", kMeminfo8G);
  Write("sys/fs/cgroup/memory.max", std::to_string(kGiB) + "\n");
  Write("sys/fs/cgroup/memory.current", std::to_string(2 * kGiB) + "\n");
  EXPECT_EQ(Available(), std::optional<uint64_t>(0));  // known, and nothing: not "unknown"
}

TEST_F(MemoryInfoTest, TheLiveSystemHasSomeMemory) {
  const std::optional<uint64_t> live = AvailableMemoryBytes();
  ASSERT_TRUE(live.has_value());
  EXPECT_GT(*live, 0u);
}

}  // namespace
}  // namespace tollguard
