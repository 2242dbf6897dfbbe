// ToLocal: local day, hour, minute and weekday at known instants, negative unix times, and against absl.
#include <cstdint>
#include <limits>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "lib/time/local_time.h"

namespace tollguard::time {
namespace {

constexpr uint8_t kMonday = 0;
constexpr uint8_t kWednesday = 2;
constexpr uint8_t kThursday = 3;
constexpr uint8_t kSunday = 6;

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

TEST(ToLocalTest, EpochIsThursdayMidnightUtc) {
  const LocalTime local = ToLocal(MustLoad("UTC"), 0);
  EXPECT_EQ(local.day, 0);
  EXPECT_EQ(local.hour, 0);
  EXPECT_EQ(local.minute, 0);
  EXPECT_EQ(local.weekday, kThursday);
  EXPECT_EQ(local.hour_of_week, 72);
}

TEST(ToLocalTest, TokyoNewYear2026) {
  const ZoneOffsets tokyo = MustLoad("Asia/Tokyo");
  const int64_t midnight = Utc(2025, 12, 31, 15);  // 2026-01-01 00:00 JST, a Thursday
  LocalTime local = ToLocal(tokyo, midnight);
  EXPECT_EQ(local.day, CivilDay(2026, 1, 1));
  EXPECT_EQ(local.hour, 0);
  EXPECT_EQ(local.minute, 0);
  EXPECT_EQ(local.weekday, kThursday);
  EXPECT_EQ(local.hour_of_week, 72);
  local = ToLocal(tokyo, midnight - 1);
  EXPECT_EQ(local.day, CivilDay(2025, 12, 31));
  EXPECT_EQ(local.hour, 23);
  EXPECT_EQ(local.minute, 59);
  EXPECT_EQ(local.weekday, kWednesday);
  EXPECT_EQ(local.hour_of_week, 2 * 24 + 23);
}

TEST(ToLocalTest, NewYorkAcrossSpringForward2026) {
  const ZoneOffsets ny = MustLoad("America/New_York");
  const int64_t at = Utc(2026, 3, 8, 7);
  LocalTime local = ToLocal(ny, at - 1);  // 01:59:59 EST, Sunday
  EXPECT_EQ(local.day, CivilDay(2026, 3, 8));
  EXPECT_EQ(local.hour, 1);
  EXPECT_EQ(local.minute, 59);
  EXPECT_EQ(local.weekday, kSunday);
  EXPECT_EQ(local.hour_of_week, 6 * 24 + 1);
  local = ToLocal(ny, at);  // 03:00 EDT
  EXPECT_EQ(local.hour, 3);
  EXPECT_EQ(local.minute, 0);
  EXPECT_EQ(local.hour_of_week, 6 * 24 + 3);
}

TEST(ToLocalTest, NewYorkFallBackRepeatsOneAm) {
  const ZoneOffsets ny = MustLoad("America/New_York");
  const int64_t at = Utc(2026, 11, 1, 6);
  EXPECT_EQ(ToLocal(ny, at - 1).hour, 1);  // 01:59:59 EDT
  EXPECT_EQ(ToLocal(ny, at).hour, 1);      // 01:00:00 EST
  EXPECT_EQ(ToLocal(ny, at).minute, 0);
}

TEST(ToLocalTest, MondayAfternoonInLondonSummer) {
  const LocalTime local = ToLocal(MustLoad("Europe/London"), Utc(2026, 7, 6, 13, 34));  // 14:34 BST
  EXPECT_EQ(local.day, CivilDay(2026, 7, 6));
  EXPECT_EQ(local.hour, 14);
  EXPECT_EQ(local.minute, 34);
  EXPECT_EQ(local.weekday, kMonday);
  EXPECT_EQ(local.hour_of_week, 14);
}

TEST(ToLocalTest, NegativeUnixTimes) {
  const ZoneOffsets utc = MustLoad("UTC");
  LocalTime local = ToLocal(utc, -1);  // 1969-12-31 23:59:59, a Wednesday
  EXPECT_EQ(local.day, -1);
  EXPECT_EQ(local.hour, 23);
  EXPECT_EQ(local.minute, 59);
  EXPECT_EQ(local.weekday, kWednesday);
  local = ToLocal(utc, -86400);  // exactly 1969-12-31 00:00
  EXPECT_EQ(local.day, -1);
  EXPECT_EQ(local.hour, 0);
  local = ToLocal(utc, -4 * 86400 + 3600);  // 1969-12-28 01:00, a Sunday
  EXPECT_EQ(local.day, -4);
  EXPECT_EQ(local.hour, 1);
  EXPECT_EQ(local.weekday, kSunday);
  EXPECT_EQ(local.hour_of_week, 6 * 24 + 1);

  local = ToLocal(MustLoad("Asia/Tokyo"), -1);  // 1970-01-01 08:59:59 JST
  EXPECT_EQ(local.day, 0);
  EXPECT_EQ(local.hour, 8);
  EXPECT_EQ(local.minute, 59);
  EXPECT_EQ(local.weekday, kThursday);

  local = ToLocal(MustLoad("America/New_York"), 0);  // 1969-12-31 19:00 EST
  EXPECT_EQ(local.day, -1);
  EXPECT_EQ(local.hour, 19);
  EXPECT_EQ(local.weekday, kWednesday);

  const int64_t long_ago = Utc(1900, 1, 1, 12);  // a Monday
  local = ToLocal(utc, long_ago);
  EXPECT_EQ(local.day, CivilDay(1900, 1, 1));
  EXPECT_EQ(local.day, -25567);
  EXPECT_EQ(local.hour, 12);
  EXPECT_EQ(local.weekday, kMonday);
}

TEST(ToLocalTest, ExtremeInstantsStayInRange) {
  const ZoneOffsets tokyo = MustLoad("Asia/Tokyo");
  for (int64_t t : {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    const LocalTime local = ToLocal(tokyo, t);
    EXPECT_LT(local.hour, 24);
    EXPECT_LT(local.minute, 60);
    EXPECT_LT(local.weekday, 7);
    EXPECT_LT(local.hour_of_week, 168);
  }
  EXPECT_EQ(ToLocal(tokyo, std::numeric_limits<int64_t>::max()).day, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(ToLocal(tokyo, std::numeric_limits<int64_t>::min()).day, std::numeric_limits<int32_t>::min());
}

int Weekday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday: return 0;
    case absl::Weekday::tuesday: return 1;
    case absl::Weekday::wednesday: return 2;
    case absl::Weekday::thursday: return 3;
    case absl::Weekday::friday: return 4;
    case absl::Weekday::saturday: return 5;
    case absl::Weekday::sunday: return 6;
  }
  return -1;
}

// Local fields agree with absl's civil time over 1970..2100 (and before 1970 for zones whose offset did not
// change then).
TEST(ToLocalTest, MatchesAbslCivilTime) {
  struct Case {
    const char* zone;
    int64_t from;
  };
  for (const Case& c : {Case{"UTC", -2000000000}, Case{"Asia/Tokyo", -400000000}, Case{"America/New_York", 0},
                        Case{"Europe/London", 0}, Case{"Australia/Lord_Howe", 0}, Case{"Asia/Kathmandu", 0}}) {
    SCOPED_TRACE(c.zone);
    absl::TimeZone tz;
    ASSERT_TRUE(absl::LoadTimeZone(c.zone, &tz));
    const ZoneOffsets zone = MustLoad(c.zone);
    int mismatches = 0;
    for (int64_t t = c.from; t < Utc(2100, 1, 1); t += 98765) {
      const absl::CivilSecond cs = absl::ToCivilSecond(absl::FromUnixSeconds(t), tz);
      const LocalTime local = ToLocal(zone, t);
      const absl::CivilDay day(cs);
      if (local.day != day - absl::CivilDay(1970, 1, 1) || local.hour != cs.hour() ||
          local.minute != cs.minute() || local.weekday != Weekday(day) ||
          local.hour_of_week != local.weekday * 24 + cs.hour()) {
        if (++mismatches < 5) ADD_FAILURE() << "at " << t << ": absl says " << cs;
      }
    }
    EXPECT_EQ(mismatches, 0);
  }
}

}  // namespace
}  // namespace tollguard::time
