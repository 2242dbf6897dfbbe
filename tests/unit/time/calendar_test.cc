// CivilDay, ParseCivilDate, HolidayCalendar's extra dates, country codes and its 2000..2099 range.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/time/local_time.h"
#include "tests/unit/time/holiday_test_util.h"

namespace tollguard::time {
namespace {

using ::testing::HasSubstr;
using testing::IsHoliday;
using testing::MustCalendar;

TEST(CivilDayTest, DaysSinceEpoch) {
  EXPECT_EQ(CivilDay(1970, 1, 1), 0);
  EXPECT_EQ(CivilDay(1969, 12, 31), -1);
  EXPECT_EQ(CivilDay(2000, 1, 1), 10957);
  EXPECT_EQ(CivilDay(2026, 1, 1), 20454);
  EXPECT_EQ(CivilDay(2099, 12, 31), 47481);
}

TEST(ParseCivilDateTest, ValidDates) {
  EXPECT_EQ(ParseCivilDate("1970-01-01").value(), 0);
  EXPECT_EQ(ParseCivilDate("2026-01-01").value(), 20454);
  EXPECT_EQ(ParseCivilDate("2024-02-29").value(), CivilDay(2024, 2, 29));
  EXPECT_EQ(ParseCivilDate("2000-02-29").value(), CivilDay(2000, 2, 29));
  EXPECT_EQ(ParseCivilDate("2099-12-31").value(), 47481);
  EXPECT_EQ(ParseCivilDate("1969-12-31").value(), -1);
}

TEST(ParseCivilDateTest, MalformedDatesAreInvalidArgumentQuotingTheText) {
  for (const char* text : {"2026-02-30", "2025-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
                           "2026-01-00", "tomorrow", "2026-1-1", "2026-01-1", "26-01-01", "2026/01/01",
                           " 2026-01-01", "2026-01-01 ", "+026-01-01", "2026-01-0a", "2026-01-01T00",
                           "２０２６-01-01", ""}) {
    absl::StatusOr<int32_t> day = ParseCivilDate(text);
    ASSERT_FALSE(day.ok()) << '"' << text << '"';
    EXPECT_EQ(day.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string s(text);
    if (std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; })) {
      EXPECT_THAT(std::string(day.status().message()), HasSubstr('"' + std::string(text) + '"'));
    }
  }
}

TEST(HolidayCalendarTest, ExtraDatesAreHolidays) {
  const std::vector<std::string> extra = {"2026-06-15", "2027-08-13"};
  absl::StatusOr<HolidayCalendar> jp = HolidayCalendar::ForCountry("JP", extra);
  ASSERT_TRUE(jp.ok()) << jp.status();
  EXPECT_TRUE(jp->has_builtin_rules());
  EXPECT_TRUE(IsHoliday(*jp, 2026, 6, 15));
  EXPECT_TRUE(IsHoliday(*jp, 2027, 8, 13));
  EXPECT_TRUE(IsHoliday(*jp, 2026, 1, 12));  // built-in rules still apply
  EXPECT_FALSE(IsHoliday(*jp, 2026, 6, 16));
  EXPECT_FALSE(IsHoliday(MustCalendar("JP"), 2026, 6, 15));
}

TEST(HolidayCalendarTest, CountryWithoutRulesHasOnlyExtraDates) {
  const std::vector<std::string> extra = {"2026-06-06", "2026-12-25"};
  absl::StatusOr<HolidayCalendar> se = HolidayCalendar::ForCountry("SE", extra);
  ASSERT_TRUE(se.ok()) << se.status();
  EXPECT_FALSE(se->has_builtin_rules());
  EXPECT_THAT(testing::HolidaysOf(*se, 2026), ::testing::ElementsAre("06-06", "12-25"));
}

TEST(HolidayCalendarTest, BadExtraDateIsInvalidArgumentNamingIt) {
  for (const char* bad : {"2026-02-30", "tomorrow", "2026-1-1"}) {
    const std::vector<std::string> extra = {"2026-06-15", bad};
    absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::ForCountry("US", extra);
    ASSERT_FALSE(calendar.ok()) << bad;
    EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(calendar.status().message());
    EXPECT_THAT(message, HasSubstr(bad));
    EXPECT_THAT(message, HasSubstr("extra_dates[1]"));
  }
}

TEST(HolidayCalendarTest, ExtraDateOutsideTheRangeIsInvalidArgument) {
  for (const char* outside : {"1999-12-31", "2100-01-01"}) {
    const std::vector<std::string> extra = {outside};
    absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::ForCountry("JP", extra);
    ASSERT_FALSE(calendar.ok()) << outside;
    EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(calendar.status().message()), HasSubstr(outside));
  }
  const std::vector<std::string> edges = {"2000-06-01", "2099-06-01"};
  EXPECT_TRUE(HolidayCalendar::ForCountry("JP", edges).ok());
}

TEST(HolidayCalendarTest, DaysOutsideTheRangeAreNotHolidays) {
  const HolidayCalendar jp = MustCalendar("JP");
  EXPECT_TRUE(IsHoliday(jp, 2000, 1, 1));
  EXPECT_TRUE(IsHoliday(jp, 2099, 12, 31));   // year-end closure
  EXPECT_FALSE(IsHoliday(jp, 1999, 12, 31));  // would be a closure day, but outside the range
  EXPECT_FALSE(IsHoliday(jp, 2100, 1, 1));
  EXPECT_FALSE(IsHoliday(jp, 1970, 1, 1));
  EXPECT_FALSE(jp.IsHoliday(std::numeric_limits<int32_t>::min()));
  EXPECT_FALSE(jp.IsHoliday(std::numeric_limits<int32_t>::max()));
  EXPECT_FALSE(HolidayCalendar().IsHoliday(CivilDay(2026, 1, 1)));
}

TEST(HolidayCalendarTest, CountryCodes) {
  EXPECT_TRUE(IsHoliday(MustCalendar("jp"), 2026, 1, 12));
  EXPECT_TRUE(IsHoliday(MustCalendar("Us"), 2026, 7, 3));
  for (const char* bad : {"JPN", "J", "1A", "J P", "日本"}) {
    absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::ForCountry(bad);
    EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(std::string(HolidayCalendar::ForCountry("JPN").status().message()), HasSubstr("JPN"));
}

}  // namespace
}  // namespace tollguard::time
