// Test helpers for HolidayCalendar: a calendar that must build, and the holidays of one year as "MM-DD".
#ifndef TOLLGUARD_TESTS_UNIT_TIME_HOLIDAY_TEST_UTIL_H_
#define TOLLGUARD_TESTS_UNIT_TIME_HOLIDAY_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "lib/time/local_time.h"

namespace tollguard::time::testing {

inline HolidayCalendar MustCalendar(std::string_view country) {
  absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::ForCountry(country);
  if (!calendar.ok()) {
    ADD_FAILURE() << "ForCountry(" << country << "): " << calendar.status();
    return HolidayCalendar();
  }
  return *std::move(calendar);
}

// Every day of `year` that `calendar` marks, as "MM-DD", in order.
inline std::vector<std::string> HolidaysOf(const HolidayCalendar& calendar, int year) {
  std::vector<std::string> out;
  for (absl::CivilDay d(year, 1, 1); d.year() == year; ++d) {
    if (calendar.IsHoliday(CivilDay(year, d.month(), d.day()))) {
      out.push_back(absl::StrFormat("%02d-%02d", d.month(), d.day()));
    }
  }
  return out;
}

inline bool IsHoliday(const HolidayCalendar& calendar, int year, int month, int day) {
  return calendar.IsHoliday(CivilDay(year, month, day));
}

}  // namespace tollguard::time::testing

#endif  // TOLLGUARD_TESTS_UNIT_TIME_HOLIDAY_TEST_UTIL_H_
