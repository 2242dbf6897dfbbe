// United States: federal holidays (5 U.S.C. 6103) with their observed days, checked against OPM's tables.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/time/local_time.h"
#include "tests/unit/time/holiday_test_util.h"

namespace tollguard::time {
namespace {

using ::testing::ElementsAre;
using testing::HolidaysOf;
using testing::IsHoliday;
using testing::MustCalendar;

TEST(HolidaysUsTest, Year2026FederalWithObserved) {
  // Independence Day is a Saturday: observed Friday Jul 3 (the date itself is kept too).
  EXPECT_THAT(HolidaysOf(MustCalendar("US"), 2026),
              ElementsAre("01-01", "01-19", "02-16", "05-25", "06-19", "07-03", "07-04", "09-07", "10-12",
                          "11-11", "11-26", "12-25"));
}

TEST(HolidaysUsTest, Year2021ObservedDaysIncludingNextNewYear) {
  // Juneteenth (new in 2021) on a Saturday -> Fri Jun 18; Jul 4 a Sunday -> Mon Jul 5; Christmas a
  // Saturday -> Fri Dec 24; New Year's Day 2022 a Saturday -> Fri Dec 31, 2021.
  EXPECT_THAT(HolidaysOf(MustCalendar("US"), 2021),
              ElementsAre("01-01", "01-18", "02-15", "05-31", "06-18", "06-19", "07-04", "07-05", "09-06",
                          "10-11", "11-11", "11-25", "12-24", "12-25", "12-31"));
}

TEST(HolidaysUsTest, Year2022SundayHolidaysObservedMonday) {
  EXPECT_THAT(HolidaysOf(MustCalendar("US"), 2022),
              ElementsAre("01-01", "01-17", "02-21", "05-30", "06-19", "06-20", "07-04", "09-05", "10-10",
                          "11-11", "11-24", "12-25", "12-26"));
}

TEST(HolidaysUsTest, NoJuneteenthBefore2021) {
  const HolidayCalendar us = MustCalendar("US");
  EXPECT_FALSE(IsHoliday(us, 2020, 6, 19));
  EXPECT_FALSE(IsHoliday(us, 2019, 6, 19));
  EXPECT_TRUE(IsHoliday(us, 2023, 6, 19));
}

TEST(HolidaysUsTest, CustomaryClosuresAreNotFederalHolidays) {
  const HolidayCalendar us = MustCalendar("US");
  EXPECT_TRUE(us.has_builtin_rules());
  EXPECT_FALSE(IsHoliday(us, 2026, 11, 27));  // day after Thanksgiving
  EXPECT_FALSE(IsHoliday(us, 2026, 12, 24));  // Christmas Eve (Thursday)
  EXPECT_FALSE(IsHoliday(us, 2026, 12, 31));  // New Year's Eve; Jan 1, 2027 is a Friday
  EXPECT_FALSE(IsHoliday(us, 2026, 1, 2));
}

TEST(HolidaysUsTest, OrdinaryWorkingDaysAreNotHolidays) {
  const HolidayCalendar us = MustCalendar("US");
  EXPECT_FALSE(IsHoliday(us, 2026, 1, 20));
  EXPECT_FALSE(IsHoliday(us, 2026, 5, 26));
  EXPECT_FALSE(IsHoliday(us, 2026, 7, 6));
  EXPECT_FALSE(IsHoliday(us, 2026, 11, 12));
}

TEST(HolidaysUsTest, MovingHolidaysInOtherYears) {
  const HolidayCalendar us = MustCalendar("US");
  EXPECT_TRUE(IsHoliday(us, 2000, 1, 17));   // MLK Day
  EXPECT_TRUE(IsHoliday(us, 2024, 5, 27));   // Memorial Day
  EXPECT_TRUE(IsHoliday(us, 2024, 11, 28));  // Thanksgiving
  EXPECT_TRUE(IsHoliday(us, 2099, 11, 26));  // Thanksgiving, last year of the range
  EXPECT_TRUE(IsHoliday(us, 2027, 12, 24));  // Christmas 2027 is a Saturday
  EXPECT_TRUE(IsHoliday(us, 2027, 12, 31));  // New Year's Day 2028 is a Saturday
}

}  // namespace
}  // namespace tollguard::time
