// Internal to lib/time: the day set and date helpers that HolidayCalendar is built with, and one rule
// function per country (holidays_jp.cc, holidays_us.cc, holidays_other.cc).
// Thread-safety: DaySet is a plain value (not synchronized); the functions are pure.
#ifndef TOLLGUARD_LIB_TIME_HOLIDAY_RULES_H_
#define TOLLGUARD_LIB_TIME_HOLIDAY_RULES_H_

#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"

namespace tollguard::time::internal {

// The calendar covers 2000-01-01 .. 2099-12-31.
inline constexpr int kFirstYear = 2000;
inline constexpr int kLastYear = 2099;

// Days 2000-01-01 .. 2099-12-31 as a bitset. Add and Remove ignore a day outside the range; Contains is
// false for it.
class DaySet {
 public:
  DaySet();

  void Add(absl::CivilDay day);
  void Remove(absl::CivilDay day);
  bool Contains(absl::CivilDay day) const;
  void AddAll(const DaySet& other);

  // The words of the bitset, bit (i % 64) of word (i / 64) for day i counted from 2000-01-01.
  std::vector<uint64_t> ReleaseBits() && { return std::move(bits_); }

  static constexpr int64_t kDays = 36525;  // 2000-01-01 .. 2099-12-31
  static constexpr int64_t kWords = (kDays + 63) / 64;

 private:
  std::vector<uint64_t> bits_;
};

inline absl::CivilDay Date(int year, int month, int day) { return absl::CivilDay(year, month, day); }

// The n-th (1-based) `weekday` of a month: NthWeekday(2026, 1, monday, 2) is 2026-01-12.
absl::CivilDay NthWeekday(int year, int month, absl::Weekday weekday, int n);
// The last `weekday` of a month: LastWeekday(2026, 5, monday) is 2026-05-25.
absl::CivilDay LastWeekday(int year, int month, absl::Weekday weekday);
// Western Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher): 2026 is April 5.
absl::CivilDay EasterSunday(int year);

bool IsWeekend(absl::CivilDay day);

// Adds every day of `dates`, then, in order, gives each one that falls on a Saturday or Sunday a substitute:
// the first following Monday..Friday not already in `days` (GB, AU and CA practice; Christmas on a Saturday
// gives Mon 27 for Christmas and Tue 28 for Boxing Day).
void AddWithWeekdaySubstitutes(DaySet* days, std::initializer_list<absl::CivilDay> dates);

// Country rules, each adding years kFirstYear..kLastYear to `days`.
void AddJapan(DaySet* days);
void AddUnitedStates(DaySet* days);
void AddGreatBritain(DaySet* days);
void AddGermany(DaySet* days);
void AddFrance(DaySet* days);
void AddAustralia(DaySet* days);
void AddCanada(DaySet* days);

}  // namespace tollguard::time::internal

#endif  // TOLLGUARD_LIB_TIME_HOLIDAY_RULES_H_
