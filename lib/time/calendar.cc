// HolidayCalendar: the built-in rules of one country plus a policy's extra dates, as a bitset of the days
// 2000-01-01 .. 2099-12-31; the DaySet and date helpers the country rules are written with; civil dates.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "lib/time/holiday_rules.h"
#include "lib/time/local_time.h"

namespace tollguard::time {
namespace internal {
namespace {

constexpr absl::CivilDay kFirstCivilDay(kFirstYear, 1, 1);

// Index of `day` in the bitset, or -1 outside 2000..2099.
int64_t IndexOf(absl::CivilDay day) {
  const int64_t i = day - kFirstCivilDay;
  return (i < 0 || i >= DaySet::kDays) ? -1 : i;
}

}  // namespace

DaySet::DaySet() : bits_(kWords, 0) {}

void DaySet::Add(absl::CivilDay day) {
  const int64_t i = IndexOf(day);
  if (i >= 0) bits_[static_cast<size_t>(i >> 6)] |= uint64_t{1} << (i & 63);
}

void DaySet::Remove(absl::CivilDay day) {
  const int64_t i = IndexOf(day);
  if (i >= 0) bits_[static_cast<size_t>(i >> 6)] &= ~(uint64_t{1} << (i & 63));
}

bool DaySet::Contains(absl::CivilDay day) const {
  const int64_t i = IndexOf(day);
  return i >= 0 && ((bits_[static_cast<size_t>(i >> 6)] >> (i & 63)) & 1) != 0;
}

void DaySet::AddAll(const DaySet& other) {
  for (size_t w = 0; w < bits_.size(); ++w) bits_[w] |= other.bits_[w];
}

absl::CivilDay NthWeekday(int year, int month, absl::Weekday weekday, int n) {
  // The first `weekday` on or after the 1st, then n - 1 weeks on.
  const absl::CivilDay first = absl::NextWeekday(absl::CivilDay(year, month, 1) - 1, weekday);
  return first + 7 * (n - 1);
}

absl::CivilDay LastWeekday(int year, int month, absl::Weekday weekday) {
  const absl::CivilDay first_of_next = absl::CivilDay(absl::CivilMonth(year, month) + 1);
  return absl::PrevWeekday(first_of_next, weekday);
}

absl::CivilDay EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(year, month, day);
}

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

void AddWithWeekdaySubstitutes(DaySet* days, std::initializer_list<absl::CivilDay> dates) {
  for (const absl::CivilDay d : dates) days->Add(d);
  for (const absl::CivilDay d : dates) {
    if (!IsWeekend(d)) continue;
    absl::CivilDay substitute = d + 1;
    while (IsWeekend(substitute) || days->Contains(substitute)) ++substitute;
    days->Add(substitute);
  }
}

}  // namespace internal

namespace {

constexpr absl::CivilDay kEpoch(1970, 1, 1);
constexpr int32_t kFirstDayNumber = 10957;  // 2000-01-01
static_assert(internal::kFirstCivilDay - kEpoch == kFirstDayNumber);

// Debian's abseil has its own absl::string_view, not std::string_view.
absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status BadDate(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("bad date \"", absl::CEscape(AsAbsl(text.substr(0, 40))), "\": ", AsAbsl(why)));
}

// The n ASCII digits at text[pos..pos+n) as a number; -1 when any is not a digit.
int Digits(std::string_view text, size_t pos, size_t n) {
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

int32_t CivilDay(int year, int month, int day) {
  return static_cast<int32_t>(absl::CivilDay(year, month, day) - kEpoch);
}

absl::StatusOr<int32_t> ParseCivilDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return BadDate(text, "expected YYYY-MM-DD");
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) return BadDate(text, "expected YYYY-MM-DD");
  if (month < 1 || month > 12) return BadDate(text, "no such month");
  const absl::CivilDay civil(year, month, day);  // normalizes: Feb 30 becomes Mar 2
  if (day < 1 || civil.day() != day) return BadDate(text, "no such day");
  return static_cast<int32_t>(civil - kEpoch);
}

absl::StatusOr<HolidayCalendar> HolidayCalendar::ForCountry(std::string_view iso_country,
                                                            absl::Span<const std::string> extra_dates) {
  // ISO 3166 alpha-2, case-insensitive ("UK" is taken for GB); "" means no country, only extra dates.
  std::string code(iso_country);
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  const bool two_letters =
      code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
  if (!code.empty() && !two_letters) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad country \"", absl::CEscape(AsAbsl(iso_country.substr(0, 16))),
                     "\": expected an ISO 3166 alpha-2 code such as \"JP\""));
  }

  internal::DaySet days;
  bool builtin = true;
  if (code == "JP") {
    internal::AddJapan(&days);
  } else if (code == "US") {
    internal::AddUnitedStates(&days);
  } else if (code == "GB" || code == "UK") {
    internal::AddGreatBritain(&days);
  } else if (code == "DE") {
    internal::AddGermany(&days);
  } else if (code == "FR") {
    internal::AddFrance(&days);
  } else if (code == "AU") {
    internal::AddAustralia(&days);
  } else if (code == "CA") {
    internal::AddCanada(&days);
  } else {
    builtin = false;
  }

  for (size_t i = 0; i < extra_dates.size(); ++i) {
    absl::StatusOr<int32_t> day = ParseCivilDate(extra_dates[i]);
    if (!day.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("extra_dates[", i, "]: ", day.status().message()));
    }
    const absl::CivilDay civil = kEpoch + *day;
    if (civil.year() < internal::kFirstYear || civil.year() > internal::kLastYear) {
      return absl::InvalidArgumentError(absl::StrCat("extra_dates[", i, "]: date \"", extra_dates[i],
                                                     "\" is outside the calendar's years 2000..2099"));
    }
    days.Add(civil);
  }

  HolidayCalendar calendar;
  calendar.bits_ = std::move(days).ReleaseBits();
  calendar.builtin_ = builtin;
  return calendar;
}

bool HolidayCalendar::IsHoliday(int32_t civil_day) const {
  const int64_t i = int64_t{civil_day} - kFirstDayNumber;
  if (i < 0 || i >= internal::DaySet::kDays || bits_.empty()) return false;
  return ((bits_[static_cast<size_t>(i >> 6)] >> (i & 63)) & 1) != 0;
}

}  // namespace tollguard::time
