// GB (England & Wales), DE, FR, AU, CA national holidays, Easter, and a country without built-in rules.
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/time/holiday_rules.h"
#include "lib/time/local_time.h"
#include "tests/unit/time/holiday_test_util.h"

namespace tollguard::time {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::HolidaysOf;
using testing::IsHoliday;
using testing::MustCalendar;

TEST(EasterTest, AnonymousGregorianAlgorithm) {
  EXPECT_EQ(internal::EasterSunday(2026), absl::CivilDay(2026, 4, 5));
  EXPECT_EQ(internal::EasterSunday(2000), absl::CivilDay(2000, 4, 23));
  EXPECT_EQ(internal::EasterSunday(2008), absl::CivilDay(2008, 3, 23));
  EXPECT_EQ(internal::EasterSunday(2011), absl::CivilDay(2011, 4, 24));
  EXPECT_EQ(internal::EasterSunday(2019), absl::CivilDay(2019, 4, 21));
  EXPECT_EQ(internal::EasterSunday(2024), absl::CivilDay(2024, 3, 31));
  EXPECT_EQ(internal::EasterSunday(2025), absl::CivilDay(2025, 4, 20));
  EXPECT_EQ(internal::EasterSunday(2027), absl::CivilDay(2027, 3, 28));
  EXPECT_EQ(internal::EasterSunday(2038), absl::CivilDay(2038, 4, 25));
  for (int year = 2000; year <= 2099; ++year) {
    EXPECT_EQ(absl::GetWeekday(internal::EasterSunday(year)), absl::Weekday::sunday) << year;
  }
}

TEST(HolidaysGbTest, Year2026EnglandAndWales) {
  // Good Friday Apr 3, Easter Monday Apr 6; Boxing Day on a Saturday -> substitute Mon Dec 28.
  EXPECT_THAT(HolidaysOf(MustCalendar("GB"), 2026),
              ElementsAre("01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-26", "12-28"));
}

TEST(HolidaysGbTest, Year2022JubileeFuneralAndSubstitutes) {
  // New Year's Day a Saturday -> Mon Jan 3; Spring bank holiday moved to Jun 2, Jun 3 added; Sep 19
  // state funeral; Christmas a Sunday -> Boxing Day Mon 26, substitute Tue 27.
  EXPECT_THAT(HolidaysOf(MustCalendar("GB"), 2022),
              ElementsAre("01-01", "01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19",
                          "12-25", "12-26", "12-27"));
}

TEST(HolidaysGbTest, OtherMovedAndOneOffDays) {
  const HolidayCalendar gb = MustCalendar("GB");
  EXPECT_TRUE(IsHoliday(gb, 2020, 5, 8));    // VE Day 75
  EXPECT_FALSE(IsHoliday(gb, 2020, 5, 4));
  EXPECT_TRUE(IsHoliday(gb, 2011, 4, 29));   // Royal Wedding
  EXPECT_TRUE(IsHoliday(gb, 2012, 6, 4));
  EXPECT_TRUE(IsHoliday(gb, 2012, 6, 5));
  EXPECT_FALSE(IsHoliday(gb, 2012, 5, 28));
  EXPECT_TRUE(IsHoliday(gb, 2023, 5, 8));    // Coronation
  EXPECT_TRUE(IsHoliday(gb, 2021, 12, 27));  // Christmas on Saturday, Boxing Day on Sunday
  EXPECT_TRUE(IsHoliday(gb, 2021, 12, 28));
  EXPECT_FALSE(IsHoliday(gb, 2021, 12, 29));
  EXPECT_TRUE(MustCalendar("uk").IsHoliday(CivilDay(2026, 8, 31)));
}

TEST(HolidaysDeTest, Year2026) {
  // Ascension = Easter + 39 (May 14), Whit Monday = Easter + 50 (May 25).
  EXPECT_THAT(HolidaysOf(MustCalendar("DE"), 2026),
              ElementsAre("01-01", "04-03", "04-06", "05-01", "05-14", "05-25", "10-03", "12-25", "12-26"));
  EXPECT_TRUE(IsHoliday(MustCalendar("DE"), 2017, 10, 31));
  EXPECT_FALSE(IsHoliday(MustCalendar("DE"), 2018, 10, 31));
}

TEST(HolidaysFrTest, Year2026) {
  EXPECT_THAT(HolidaysOf(MustCalendar("FR"), 2026),
              ElementsAre("01-01", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01",
                          "11-11", "12-25"));
  EXPECT_FALSE(IsHoliday(MustCalendar("FR"), 2026, 4, 3));  // no Good Friday outside Alsace-Moselle
}

TEST(HolidaysAuTest, Years2026And2027WithSubstitutes) {
  // 2026: Boxing Day a Saturday -> Mon Dec 28. Anzac Day (Saturday) has no substitute.
  EXPECT_THAT(HolidaysOf(MustCalendar("AU"), 2026),
              ElementsAre("01-01", "01-26", "04-03", "04-06", "04-25", "12-25", "12-26", "12-28"));
  // 2027: Easter Mar 28; Christmas a Saturday and Boxing Day a Sunday -> Mon 27 and Tue 28.
  EXPECT_THAT(HolidaysOf(MustCalendar("AU"), 2027),
              ElementsAre("01-01", "01-26", "03-26", "03-29", "04-25", "12-25", "12-26", "12-27", "12-28"));
  const HolidayCalendar au = MustCalendar("AU");
  EXPECT_TRUE(IsHoliday(au, 2025, 1, 27));  // Australia Day 2025 was a Sunday
  EXPECT_TRUE(IsHoliday(au, 2022, 1, 3));   // New Year's Day 2022 was a Saturday
  EXPECT_TRUE(IsHoliday(au, 2022, 9, 22));  // National Day of Mourning
}

TEST(HolidaysCaTest, Year2026FederalStatutory) {
  // Victoria Day is the Monday before May 25 (May 18); Boxing Day a Saturday -> Mon Dec 28.
  EXPECT_THAT(HolidaysOf(MustCalendar("CA"), 2026),
              ElementsAre("01-01", "04-03", "05-18", "07-01", "09-07", "09-30", "10-12", "11-11", "12-25",
                          "12-26", "12-28"));
}

TEST(HolidaysCaTest, WeekendHolidaysMoveToMonday) {
  const HolidayCalendar ca = MustCalendar("CA");
  EXPECT_TRUE(IsHoliday(ca, 2023, 7, 3));    // Canada Day 2023 was a Saturday
  EXPECT_TRUE(IsHoliday(ca, 2023, 10, 2));   // Truth and Reconciliation Day 2023 was a Saturday
  EXPECT_TRUE(IsHoliday(ca, 2018, 7, 2));    // Canada Day 2018 was a Sunday
  EXPECT_TRUE(IsHoliday(ca, 2024, 5, 20));   // Victoria Day when May 25 is a Saturday
  EXPECT_TRUE(IsHoliday(ca, 2020, 5, 18));   // Victoria Day when May 25 is a Monday
  EXPECT_FALSE(IsHoliday(ca, 2020, 5, 25));
  EXPECT_FALSE(IsHoliday(ca, 2020, 9, 30));  // Truth and Reconciliation Day only from 2021
  EXPECT_FALSE(IsHoliday(ca, 2026, 4, 6));   // Easter Monday is not federal statutory
}

TEST(HolidaysOtherTest, OrdinaryWorkingDaysAreNotHolidays) {
  for (const char* country : {"GB", "DE", "FR", "AU", "CA"}) {
    SCOPED_TRACE(country);
    const HolidayCalendar calendar = MustCalendar(country);
    EXPECT_TRUE(calendar.has_builtin_rules());
    EXPECT_FALSE(IsHoliday(calendar, 2026, 3, 10));
    EXPECT_FALSE(IsHoliday(calendar, 2026, 6, 17));
    EXPECT_FALSE(IsHoliday(calendar, 2026, 10, 20));
    EXPECT_FALSE(IsHoliday(calendar, 2026, 12, 22));
  }
}

TEST(HolidaysOtherTest, CountryWithoutRulesHasNoHolidays) {
  const HolidayCalendar se = MustCalendar("SE");
  EXPECT_FALSE(se.has_builtin_rules());
  EXPECT_THAT(HolidaysOf(se, 2026), IsEmpty());
  const HolidayCalendar none = MustCalendar("");
  EXPECT_FALSE(none.has_builtin_rules());
  EXPECT_FALSE(IsHoliday(none, 2026, 1, 1));
}

}  // namespace
}  // namespace tollguard::time
