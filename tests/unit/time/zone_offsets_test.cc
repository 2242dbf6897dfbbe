// ZoneOffsets: UTC offsets from tzdata at fixed instants, across DST transitions, and against absl.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/time/local_time.h"

namespace tollguard::time {
namespace {

using ::testing::HasSubstr;

constexpr int32_t kHour = 3600;

int64_t Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone()));
}

ZoneOffsets MustLoad(const std::string& name) {
  absl::StatusOr<ZoneOffsets> zone = ZoneOffsets::Load(name);
  if (!zone.ok()) {
    ADD_FAILURE() << name << ": " << zone.status();
    return ZoneOffsets();
  }
  return *std::move(zone);
}

TEST(ZoneOffsetsTest, TokyoIsAlwaysPlusNine) {
  const ZoneOffsets tokyo = MustLoad("Asia/Tokyo");
  EXPECT_EQ(tokyo.name(), "Asia/Tokyo");
  for (int64_t t : {int64_t{0}, int64_t{-86400}, Utc(2026, 1, 1), Utc(2026, 7, 1, 12), Utc(2099, 12, 31, 23),
                    Utc(2150, 6, 1)}) {
    EXPECT_EQ(tokyo.OffsetSeconds(t), 9 * kHour) << t;
  }
}

TEST(ZoneOffsetsTest, NewYorkSpringForward2026) {
  const ZoneOffsets ny = MustLoad("America/New_York");
  const int64_t at = Utc(2026, 3, 8, 7);  // 02:00 EST -> 03:00 EDT
  EXPECT_EQ(ny.OffsetSeconds(at - 1), -5 * kHour);
  EXPECT_EQ(ny.OffsetSeconds(at), -4 * kHour);
  EXPECT_EQ(ny.OffsetSeconds(Utc(2026, 1, 15)), -5 * kHour);
  EXPECT_EQ(ny.OffsetSeconds(Utc(2026, 7, 15)), -4 * kHour);
}

TEST(ZoneOffsetsTest, NewYorkFallBack2026) {
  const ZoneOffsets ny = MustLoad("America/New_York");
  const int64_t at = Utc(2026, 11, 1, 6);  // 02:00 EDT -> 01:00 EST
  EXPECT_EQ(ny.OffsetSeconds(at - 1), -4 * kHour);
  EXPECT_EQ(ny.OffsetSeconds(at), -5 * kHour);
  EXPECT_EQ(ny.OffsetSeconds(Utc(2026, 12, 1)), -5 * kHour);
}

TEST(ZoneOffsetsTest, LondonSummerTime2026) {
  const ZoneOffsets london = MustLoad("Europe/London");
  const int64_t bst_starts = Utc(2026, 3, 29, 1);
  const int64_t bst_ends = Utc(2026, 10, 25, 1);
  EXPECT_EQ(london.OffsetSeconds(bst_starts - 1), 0);
  EXPECT_EQ(london.OffsetSeconds(bst_starts), kHour);
  EXPECT_EQ(london.OffsetSeconds(bst_ends - 1), kHour);
  EXPECT_EQ(london.OffsetSeconds(bst_ends), 0);
}

TEST(ZoneOffsetsTest, UtcIsZero) {
  const ZoneOffsets utc = MustLoad("UTC");
  for (int64_t t : {int64_t{0}, int64_t{-1}, Utc(2026, 3, 8, 7), Utc(2099, 1, 1),
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(utc.OffsetSeconds(t), 0) << t;
  }
}

TEST(ZoneOffsetsTest, FixedOffsetZones) {
  EXPECT_EQ(MustLoad("Etc/GMT-9").OffsetSeconds(Utc(2026, 7, 1)), 9 * kHour);
  EXPECT_EQ(MustLoad("Etc/GMT+5").OffsetSeconds(Utc(2026, 7, 1)), -5 * kHour);
  EXPECT_EQ(MustLoad("Fixed/UTC+05:30:00").OffsetSeconds(Utc(2026, 7, 1)), 5 * kHour + 30 * 60);
  EXPECT_EQ(MustLoad("Asia/Kolkata").OffsetSeconds(Utc(2026, 7, 1)), 5 * kHour + 30 * 60);
}

TEST(ZoneOffsetsTest, BeyondTheTableTheLastOffsetHolds) {
  const ZoneOffsets ny = MustLoad("America/New_York");
  EXPECT_EQ(ny.OffsetSeconds(Utc(2099, 7, 1)), -4 * kHour);
  EXPECT_EQ(ny.OffsetSeconds(Utc(2150, 7, 1)), -5 * kHour);  // EST since Nov 2099
  EXPECT_EQ(ny.OffsetSeconds(std::numeric_limits<int64_t>::max()), -5 * kHour);
  EXPECT_EQ(ny.OffsetSeconds(std::numeric_limits<int64_t>::min()), -5 * kHour);  // the 1970-01-01 offset
}

TEST(ZoneOffsetsTest, UnknownZoneIsInvalidArgumentNamingIt) {
  absl::StatusOr<ZoneOffsets> zone = ZoneOffsets::Load("Mars/Olympus_Mons");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(zone.status().message()), HasSubstr("Mars/Olympus_Mons"));
}

TEST(ZoneOffsetsTest, NamesThatAreNotTzdataZonesAreRejected) {
  for (const char* name : {"", "localtime", "/usr/share/zoneinfo/UTC", "file:/usr/share/zoneinfo/UTC",
                           "../zoneinfo/UTC", "utc", "Fixed/UTC+09:00", "Asia/Tokyo "}) {
    absl::StatusOr<ZoneOffsets> zone = ZoneOffsets::Load(name);
    EXPECT_EQ(zone.status().code(), absl::StatusCode::kInvalidArgument) << '"' << name << '"';
  }
}

TEST(ZoneOffsetsTest, DefaultConstructedIsUtc) {
  const ZoneOffsets none;
  EXPECT_EQ(none.OffsetSeconds(Utc(2026, 7, 1)), 0);
}

// Every transition 1970..2100 of zones with unusual rules, one second either side, and a sample of
// instants in between, agree with absl::TimeZone.
TEST(ZoneOffsetsTest, MatchesAbslTimeZone) {
  const int64_t end = Utc(2100, 1, 1);
  for (const char* name : {"America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo",
                           "Asia/Tehran", "Pacific/Apia", "Africa/Casablanca", "Europe/Moscow",
                           "America/St_Johns", "Pacific/Chatham", "Asia/Kathmandu"}) {
    SCOPED_TRACE(name);
    absl::TimeZone tz;
    ASSERT_TRUE(absl::LoadTimeZone(name, &tz));
    const ZoneOffsets zone = MustLoad(name);
    int transitions = 0;
    absl::Time t = absl::UnixEpoch();
    absl::TimeZone::CivilTransition transition;
    while (tz.NextTransition(t, &transition)) {
      t = tz.At(transition.to).trans;
      const int64_t at = absl::ToUnixSeconds(t);
      if (at >= end) break;
      ++transitions;
      EXPECT_EQ(zone.OffsetSeconds(at - 1), tz.At(absl::FromUnixSeconds(at - 1)).offset) << at;
      EXPECT_EQ(zone.OffsetSeconds(at), tz.At(t).offset) << at;
    }
    int mismatches = 0;
    for (int64_t s = 0; s < end; s += 262801) {
      if (zone.OffsetSeconds(s) != tz.At(absl::FromUnixSeconds(s)).offset) ++mismatches;
    }
    EXPECT_EQ(mismatches, 0);
    if (std::string(name) != "Asia/Kathmandu") {
      EXPECT_GT(transitions, 10);
    }
  }
}

// The bucket table gives the binary search's answer at every transition (both sides), at every bucket's
// edges, and at random instants, for zones with yearly DST, half-hour DST, southern-hemisphere DST,
// Ramadan suspensions (several transitions a month apart: buckets that fall back to the search) and none.
TEST(ZoneOffsetsTest, BucketsAgreeWithTheSearchEverywhere) {
  for (const char* name : {"America/New_York", "Europe/London", "Asia/Tokyo", "Africa/Casablanca",
                           "Australia/Lord_Howe", "America/Santiago", "Asia/Tehran", "Pacific/Chatham",
                           "America/Sao_Paulo", "UTC"}) {
    const ZoneOffsets zone = MustLoad(name);
    std::vector<int64_t> probes = {std::numeric_limits<int64_t>::min(), -1, 0, 1, Utc(2100, 1, 1) - 1,
                                   Utc(2100, 1, 1), Utc(2101, 6, 1), std::numeric_limits<int64_t>::max()};
    const int64_t span = int64_t{1} << ZoneOffsets::kBucketShift;
    for (int64_t b = 0; b <= Utc(2100, 1, 1) + span; b += span) {
      for (int64_t d : {-1, 0, 1}) probes.push_back(b + d);
    }
    // Every transition: where the search's answer changes between two seconds.
    int transitions = 0;
    for (int64_t t = 0; t < Utc(2100, 1, 1); t += 3600) {
      if (zone.SearchOffsetSeconds(t) != zone.SearchOffsetSeconds(t + 3600)) {
        int64_t lo = t, hi = t + 3600;  // the offset changes in (lo, hi]
        while (hi - lo > 1) {
          const int64_t mid = lo + (hi - lo) / 2;
          (zone.SearchOffsetSeconds(mid) == zone.SearchOffsetSeconds(lo) ? lo : hi) = mid;
        }
        for (int64_t d : {-1, 0, 1}) probes.push_back(hi + d);
        ++transitions;
      }
    }
    uint64_t x = 12345;
    for (int i = 0; i < 20000; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      probes.push_back(static_cast<int64_t>(x >> 32));  // 1970 .. 2106
    }
    for (int64_t t : probes) {
      ASSERT_EQ(zone.OffsetSeconds(t), zone.SearchOffsetSeconds(t)) << name << " at " << t;
    }
    if (std::string(name) == "America/New_York") {
      EXPECT_GT(transitions, 200);  // the test saw DST at all
    }
  }
}

}  // namespace
}  // namespace tollguard::time
