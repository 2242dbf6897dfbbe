// Japan: the national holidays of the Act on National Holidays (国民の祝日に関する法律) as in force in each
// year 2000..2099, its holidays by rule (振替休日 substitute holidays and 国民の休日 citizens' holidays), the
// one-off days of 2019 to 2021, and the customary year-end / new-year closure Dec 29 - Jan 3 (the closing days
// of government offices under 行政機関の休日に関する法律, also kept by most companies), which this calendar
// counts as holidays although the law does not.
//
// Known limits: the equinox days are the standard approximation formula (valid 1980..2099); the official
// dates are announced each February for the next year and could, rarely, differ from it. Future changes of
// the law are of course not known.
#include "absl/time/civil_time.h"
#include "lib/time/holiday_rules.h"

namespace tollguard::time::internal {
namespace {

using absl::Weekday;

// 春分の日: floor(20.8431 + 0.242194 (Y - 1980) - floor((Y - 1980) / 4)) in integer arithmetic.
int VernalEquinoxDay(int year) {
  const int n = year - 1980;
  return (20843100 + 242194 * n) / 1000000 - n / 4;
}

// 秋分の日: floor(23.2488 + 0.242194 (Y - 1980) - floor((Y - 1980) / 4)).
int AutumnalEquinoxDay(int year) {
  const int n = year - 1980;
  return (23248800 + 242194 * n) / 1000000 - n / 4;
}

// The 国民の祝日 (national holidays proper) of one year, which alone give rise to substitute and citizens'
// holidays. The 2019 enthronement days count as such by their special law.
void AddNationalHolidays(int y, DaySet* national) {
  national->Add(Date(y, 1, 1));                              // 元日
  national->Add(NthWeekday(y, 1, Weekday::monday, 2));       // 成人の日 (2nd Monday since 2000)
  national->Add(Date(y, 2, 11));                             // 建国記念の日
  if (y >= 2020) national->Add(Date(y, 2, 23));              // 天皇誕生日 (Reiwa)
  national->Add(Date(y, 3, VernalEquinoxDay(y)));            // 春分の日
  national->Add(Date(y, 4, 29));                             // みどりの日 to 2006, 昭和の日 from 2007
  national->Add(Date(y, 5, 3));                              // 憲法記念日
  if (y >= 2007) national->Add(Date(y, 5, 4));               // みどりの日 (before: a 国民の休日 by rule)
  national->Add(Date(y, 5, 5));                              // こどもの日

  // 海の日: Jul 20, 3rd Monday of July from 2003, moved for the Tokyo Olympics in 2020 and 2021.
  if (y == 2020) {
    national->Add(Date(y, 7, 23));
  } else if (y == 2021) {
    national->Add(Date(y, 7, 22));
  } else {
    national->Add(y >= 2003 ? NthWeekday(y, 7, Weekday::monday, 3) : Date(y, 7, 20));
  }

  // 山の日 from 2016, moved in 2020 and 2021.
  if (y == 2020) {
    national->Add(Date(y, 8, 10));
  } else if (y == 2021) {
    national->Add(Date(y, 8, 8));
  } else if (y >= 2016) {
    national->Add(Date(y, 8, 11));
  }

  // 敬老の日: Sep 15, 3rd Monday of September from 2003.
  national->Add(y >= 2003 ? NthWeekday(y, 9, Weekday::monday, 3) : Date(y, 9, 15));
  national->Add(Date(y, 9, AutumnalEquinoxDay(y)));          // 秋分の日

  // 体育の日 (スポーツの日 from 2020): 2nd Monday of October, moved in 2020 and 2021.
  if (y == 2020) {
    national->Add(Date(y, 7, 24));
  } else if (y == 2021) {
    national->Add(Date(y, 7, 23));
  } else {
    national->Add(NthWeekday(y, 10, Weekday::monday, 2));
  }

  national->Add(Date(y, 11, 3));                             // 文化の日
  national->Add(Date(y, 11, 23));                            // 勤労感謝の日
  if (y <= 2018) national->Add(Date(y, 12, 23));             // 天皇誕生日 (Heisei); none in 2019

  if (y == 2019) {
    national->Add(Date(y, 5, 1));                            // 天皇の即位の日
    national->Add(Date(y, 10, 22));                          // 即位礼正殿の儀の行われる日
  }
}

}  // namespace

void AddJapan(DaySet* days) {
  DaySet national;
  for (int y = kFirstYear; y <= kLastYear; ++y) AddNationalHolidays(y, &national);
  days->AddAll(national);

  const absl::CivilDay first = Date(kFirstYear, 1, 1);
  const absl::CivilDay end = Date(kLastYear + 1, 1, 1);

  // 振替休日 (Art. 3(2)): a national holiday on a Sunday makes the next day a holiday; from 2007 the nearest
  // following day that is not a national holiday (May 3 on a Sunday gives May 6).
  DaySet substitutes;
  for (absl::CivilDay d = first; d < end; ++d) {
    if (!national.Contains(d) || absl::GetWeekday(d) != Weekday::sunday) continue;
    absl::CivilDay next = d + 1;
    if (d.year() >= 2007) {
      while (national.Contains(next)) ++next;
      substitutes.Add(next);
    } else if (!national.Contains(next)) {
      substitutes.Add(next);
    }
  }
  days->AddAll(substitutes);

  // 国民の休日 (Art. 3(3)): a day that is not a national holiday between two national holidays (2026-09-22,
  // 2019-04-30, 2019-05-02). Before 2007 a Sunday or a substitute holiday was excluded.
  for (absl::CivilDay d = first; d < end; ++d) {
    if (national.Contains(d) || !national.Contains(d - 1) || !national.Contains(d + 1)) continue;
    if (d.year() < 2007 && (absl::GetWeekday(d) == Weekday::sunday || substitutes.Contains(d))) continue;
    days->Add(d);
  }

  // Year-end / new-year closure, Dec 29 - Jan 3 (Jan 1 is 元日 above).
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    days->Add(Date(y, 1, 2));
    days->Add(Date(y, 1, 3));
    days->Add(Date(y, 12, 29));
    days->Add(Date(y, 12, 30));
    days->Add(Date(y, 12, 31));
  }
}

}  // namespace tollguard::time::internal
