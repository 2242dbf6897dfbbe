// Japan: national holidays, substitute and citizens' holidays, the moved days of 2019-2021 and the
// Dec 29 - Jan 3 closure. Expected lists are the Cabinet Office (内閣府) "国民の祝日について" tables plus the
// closure days.
#include <string>
#include <vector>

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

TEST(HolidaysJpTest, HasBuiltinRules) { EXPECT_TRUE(MustCalendar("JP").has_builtin_rules()); }

TEST(HolidaysJpTest, Year2025MatchesCabinetOfficeList) {
  // Feb 23 and Nov 23 fall on Sundays (substitutes Feb 24, Nov 24); May 4 (Sun) gives May 6.
  EXPECT_THAT(HolidaysOf(MustCalendar("JP"), 2025),
              ElementsAre("01-01", "01-02", "01-03", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29",
                          "05-03", "05-04", "05-05", "05-06", "07-21", "08-11", "09-15", "09-23", "10-13",
                          "11-03", "11-23", "11-24", "12-29", "12-30", "12-31"));
}

TEST(HolidaysJpTest, Year2026MatchesCabinetOfficeList) {
  // May 3 is a Sunday: the substitute skips May 4 and 5 to May 6. Sep 22 lies between two holidays.
  EXPECT_THAT(HolidaysOf(MustCalendar("JP"), 2026),
              ElementsAre("01-01", "01-02", "01-03", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03",
                          "05-04", "05-05", "05-06", "07-20", "08-11", "09-21", "09-22", "09-23", "10-12",
                          "11-03", "11-23", "12-29", "12-30", "12-31"));
}

TEST(HolidaysJpTest, Year2027MatchesCabinetOfficeList) {
  // The vernal equinox falls on Sunday Mar 21: substitute Mar 22.
  EXPECT_THAT(HolidaysOf(MustCalendar("JP"), 2027),
              ElementsAre("01-01", "01-02", "01-03", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29",
                          "05-03", "05-04", "05-05", "07-19", "08-11", "09-20", "09-23", "10-11", "11-03",
                          "11-23", "12-29", "12-30", "12-31"));
}

TEST(HolidaysJpTest, Year2019HasEnthronementDaysAndNoEmperorsBirthday) {
  // Apr 30 and May 2 are citizens' holidays around May 1 (enthronement); Oct 22 is the enthronement
  // ceremony. No Emperor's Birthday at all: neither Dec 23 nor Feb 23.
  EXPECT_THAT(HolidaysOf(MustCalendar("JP"), 2019),
              ElementsAre("01-01", "01-02", "01-03", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01",
                          "05-02", "05-03", "05-04", "05-05", "05-06", "07-15", "08-11", "08-12", "09-16",
                          "09-23", "10-14", "10-22", "11-03", "11-04", "11-23", "12-29", "12-30", "12-31"));
}

TEST(HolidaysJpTest, OlympicYearsMoveMarineSportsAndMountainDays) {
  // 2020: Marine Day Jul 23, Sports Day Jul 24, Mountain Day Aug 10, nothing in October.
  EXPECT_THAT(HolidaysOf(MustCalendar("JP"), 2020),
              ElementsAre("01-01", "01-02", "01-03", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29",
                          "05-03", "05-04", "05-05", "05-06", "07-23", "07-24", "08-10", "09-21", "09-22",
                          "11-03", "11-23", "12-29", "12-30", "12-31"));
  // 2021: Jul 22, Jul 23, and Mountain Day on Sunday Aug 8 with its substitute Aug 9.
  EXPECT_THAT(HolidaysOf(MustCalendar("JP"), 2021),
              ElementsAre("01-01", "01-02", "01-03", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03",
                          "05-04", "05-05", "07-22", "07-23", "08-08", "08-09", "09-20", "09-23", "11-03",
                          "11-23", "12-29", "12-30", "12-31"));
}

TEST(HolidaysJpTest, HeiseiEmperorsBirthdayUntil2018) {
  const HolidayCalendar jp = MustCalendar("JP");
  EXPECT_TRUE(IsHoliday(jp, 2017, 12, 23));
  EXPECT_TRUE(IsHoliday(jp, 2018, 12, 23));
  EXPECT_TRUE(IsHoliday(jp, 2018, 12, 24));  // Dec 23, 2018 was a Sunday
  EXPECT_FALSE(IsHoliday(jp, 2019, 12, 23));
  EXPECT_FALSE(IsHoliday(jp, 2019, 2, 23));
  EXPECT_FALSE(IsHoliday(jp, 2018, 2, 23));
  EXPECT_TRUE(IsHoliday(jp, 2024, 2, 23));
  EXPECT_FALSE(IsHoliday(jp, 2024, 12, 23));
}

TEST(HolidaysJpTest, RulesBefore2007) {
  // 2003: May 4 was a Sunday, hence no citizens' holiday and (old rule, next day only) no May 6.
  EXPECT_THAT(HolidaysOf(MustCalendar("JP"), 2003),
              ElementsAre("01-01", "01-02", "01-03", "01-13", "02-11", "03-21", "04-29", "05-03", "05-05",
                          "07-21", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24", "12-23", "12-29",
                          "12-30", "12-31"));
  const HolidayCalendar jp = MustCalendar("JP");
  EXPECT_TRUE(IsHoliday(jp, 2006, 5, 4));    // citizens' holiday (Thursday)
  EXPECT_TRUE(IsHoliday(jp, 2001, 7, 20));   // Marine Day on its fixed date before 2003
  EXPECT_FALSE(IsHoliday(jp, 2001, 7, 16));  // not yet the 3rd Monday
  EXPECT_TRUE(IsHoliday(jp, 2002, 9, 15));   // Respect for the Aged Day, fixed before 2003
  EXPECT_TRUE(IsHoliday(jp, 2002, 9, 16));   // its substitute (Sep 15, 2002 was a Sunday)
  EXPECT_FALSE(IsHoliday(jp, 2015, 8, 11));  // no Mountain Day before 2016
  EXPECT_TRUE(IsHoliday(jp, 2016, 8, 11));
}

TEST(HolidaysJpTest, SubstituteSkipsHolidaysSince2007) {
  const HolidayCalendar jp = MustCalendar("JP");
  // 2008: May 4 (Greenery Day) on a Sunday: the substitute is Tue May 6, after Children's Day.
  EXPECT_TRUE(IsHoliday(jp, 2008, 5, 6));
  EXPECT_FALSE(IsHoliday(jp, 2008, 5, 7));
  // 2009 and 2015: "Silver Week", Sep 22 between Respect for the Aged Day and the autumnal equinox.
  EXPECT_TRUE(IsHoliday(jp, 2009, 9, 22));
  EXPECT_TRUE(IsHoliday(jp, 2015, 9, 22));
  EXPECT_FALSE(IsHoliday(jp, 2025, 9, 22));
}

TEST(HolidaysJpTest, EquinoxDays) {
  const HolidayCalendar jp = MustCalendar("JP");
  EXPECT_TRUE(IsHoliday(jp, 2000, 3, 20));
  EXPECT_TRUE(IsHoliday(jp, 2000, 9, 23));
  EXPECT_TRUE(IsHoliday(jp, 2011, 3, 21));
  EXPECT_TRUE(IsHoliday(jp, 2012, 9, 22));
  EXPECT_TRUE(IsHoliday(jp, 2023, 3, 21));
  EXPECT_TRUE(IsHoliday(jp, 2023, 9, 23));
  EXPECT_TRUE(IsHoliday(jp, 2024, 3, 20));
  EXPECT_TRUE(IsHoliday(jp, 2024, 9, 22));
  EXPECT_FALSE(IsHoliday(jp, 2024, 3, 21));
  EXPECT_TRUE(IsHoliday(jp, 2024, 9, 23));  // substitute: Sep 22, 2024 was a Sunday
  EXPECT_FALSE(IsHoliday(jp, 2024, 9, 24));
}

TEST(HolidaysJpTest, YearEndClosureIsDec29ToJan3) {
  const HolidayCalendar jp = MustCalendar("JP");
  for (int year : {2000, 2013, 2026, 2050, 2098}) {
    SCOPED_TRACE(year);
    EXPECT_FALSE(IsHoliday(jp, year, 12, 27));
    EXPECT_FALSE(IsHoliday(jp, year, 12, 28));
    for (int day = 29; day <= 31; ++day) EXPECT_TRUE(IsHoliday(jp, year, 12, day));
    for (int day = 1; day <= 3; ++day) EXPECT_TRUE(IsHoliday(jp, year + 1, 1, day));
  }
  EXPECT_FALSE(IsHoliday(jp, 2026, 1, 5));  // Monday
  EXPECT_FALSE(IsHoliday(jp, 2027, 1, 4));  // Monday
}

TEST(HolidaysJpTest, OrdinaryWorkingDaysAreNotHolidays) {
  const HolidayCalendar jp = MustCalendar("JP");
  EXPECT_FALSE(IsHoliday(jp, 2026, 1, 13));
  EXPECT_FALSE(IsHoliday(jp, 2026, 4, 30));
  EXPECT_FALSE(IsHoliday(jp, 2026, 5, 7));
  EXPECT_FALSE(IsHoliday(jp, 2026, 7, 21));
  EXPECT_FALSE(IsHoliday(jp, 2026, 9, 24));
  EXPECT_FALSE(IsHoliday(jp, 2026, 10, 13));
  EXPECT_FALSE(IsHoliday(jp, 2026, 12, 23));
  // A weekend is not a holiday by itself: the calendar lists holidays, weekends are the caller's.
  EXPECT_FALSE(IsHoliday(jp, 2026, 1, 10));  // Saturday
  EXPECT_FALSE(IsHoliday(jp, 2026, 1, 11));  // Sunday
}

}  // namespace
}  // namespace tollguard::time
