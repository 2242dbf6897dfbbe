// United States: the federal holidays of 5 U.S.C. 6103 and their observed days (a holiday on a Saturday is
// observed on the Friday before, on a Sunday on the Monday after; both the date itself and the observed day
// are holidays in this calendar). Juneteenth from 2021 (observed Fri 2021-06-18).
//
// Deliberately left out: customary closures (the day after Thanksgiving, Christmas Eve), one-off closures by
// executive order (e.g. 2018-12-05, 2019-12-24, 2025-01-09), Inauguration Day (Washington area only) and
// state holidays. A policy adds them as extra dates.
#include "absl/time/civil_time.h"
#include "lib/time/holiday_rules.h"

namespace tollguard::time::internal {
namespace {

using absl::Weekday;

// A fixed-date holiday and its observed day.
void AddObserved(DaySet* days, absl::CivilDay date) {
  days->Add(date);
  const Weekday w = absl::GetWeekday(date);
  if (w == Weekday::saturday) days->Add(date - 1);
  if (w == Weekday::sunday) days->Add(date + 1);
}

}  // namespace

void AddUnitedStates(DaySet* days) {
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    AddObserved(days, Date(y, 1, 1));                          // New Year's Day
    days->Add(NthWeekday(y, 1, Weekday::monday, 3));           // Birthday of Martin Luther King, Jr.
    days->Add(NthWeekday(y, 2, Weekday::monday, 3));           // Washington's Birthday
    days->Add(LastWeekday(y, 5, Weekday::monday));             // Memorial Day
    if (y >= 2021) AddObserved(days, Date(y, 6, 19));          // Juneteenth National Independence Day
    AddObserved(days, Date(y, 7, 4));                          // Independence Day
    days->Add(NthWeekday(y, 9, Weekday::monday, 1));           // Labor Day
    days->Add(NthWeekday(y, 10, Weekday::monday, 2));          // Columbus Day
    AddObserved(days, Date(y, 11, 11));                        // Veterans Day
    days->Add(NthWeekday(y, 11, Weekday::thursday, 4));        // Thanksgiving Day
    AddObserved(days, Date(y, 12, 25));                        // Christmas Day
  }
  // New Year's Day of the year after the range may be observed on its Dec 31.
  AddObserved(days, Date(kLastYear + 1, 1, 1));
}

}  // namespace tollguard::time::internal
