// The main national public holidays of GB, DE, FR, AU and CA, 2000..2099. Regional holidays (Scotland,
// German Länder, Australian states, Canadian provinces) are not included; a policy adds them as extra dates.
#include "absl/time/civil_time.h"
#include "lib/time/holiday_rules.h"

namespace tollguard::time::internal {

using absl::Weekday;

// England and Wales bank holidays, with substitute days (the next weekday not already a bank holiday) for
// New Year's Day, Christmas and Boxing Day, and the moved and one-off days of 2002, 2011, 2012, 2020, 2022 and
// 2023.
void AddGreatBritain(DaySet* days) {
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    const absl::CivilDay easter = EasterSunday(y);
    AddWithWeekdaySubstitutes(days, {Date(y, 1, 1)});
    days->Add(easter - 2);                                     // Good Friday
    days->Add(easter + 1);                                     // Easter Monday
    // Early May bank holiday: 1st Monday of May; 2020: Fri May 8 (VE Day 75).
    days->Add(y == 2020 ? Date(y, 5, 8) : NthWeekday(y, 5, Weekday::monday, 1));
    // Spring bank holiday: last Monday of May; moved for the jubilees.
    if (y == 2002 || y == 2012) {
      days->Add(Date(y, 6, 4));
    } else if (y == 2022) {
      days->Add(Date(y, 6, 2));
    } else {
      days->Add(LastWeekday(y, 5, Weekday::monday));
    }
    days->Add(LastWeekday(y, 8, Weekday::monday));             // Summer bank holiday
    AddWithWeekdaySubstitutes(days, {Date(y, 12, 25), Date(y, 12, 26)});
  }
  days->Add(Date(2002, 6, 3));   // Golden Jubilee
  days->Add(Date(2011, 4, 29));  // Royal Wedding
  days->Add(Date(2012, 6, 5));   // Diamond Jubilee
  days->Add(Date(2022, 6, 3));   // Platinum Jubilee
  days->Add(Date(2022, 9, 19));  // State Funeral of Queen Elizabeth II
  days->Add(Date(2023, 5, 8));   // Coronation of King Charles III
}

// Germany: the nationwide holidays (no substitute days in Germany), plus Reformation Day 2017 (500th
// anniversary, nationwide that year).
void AddGermany(DaySet* days) {
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    const absl::CivilDay easter = EasterSunday(y);
    days->Add(Date(y, 1, 1));     // Neujahr
    days->Add(easter - 2);        // Karfreitag
    days->Add(easter + 1);        // Ostermontag
    days->Add(Date(y, 5, 1));     // Tag der Arbeit
    days->Add(easter + 39);       // Christi Himmelfahrt
    days->Add(easter + 50);       // Pfingstmontag
    days->Add(Date(y, 10, 3));    // Tag der Deutschen Einheit
    days->Add(Date(y, 12, 25));   // 1. Weihnachtstag
    days->Add(Date(y, 12, 26));   // 2. Weihnachtstag
  }
  days->Add(Date(2017, 10, 31));  // Reformationstag (500 years)
}

// France (metropolitan): the jours fériés of the Code du travail, no substitute days. Whit Monday is kept
// although many employers work it as the journée de solidarité.
void AddFrance(DaySet* days) {
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    const absl::CivilDay easter = EasterSunday(y);
    days->Add(Date(y, 1, 1));     // Jour de l'an
    days->Add(easter + 1);        // Lundi de Pâques
    days->Add(Date(y, 5, 1));     // Fête du Travail
    days->Add(Date(y, 5, 8));     // Victoire 1945
    days->Add(easter + 39);       // Ascension
    days->Add(easter + 50);       // Lundi de Pentecôte
    days->Add(Date(y, 7, 14));    // Fête nationale
    days->Add(Date(y, 8, 15));    // Assomption
    days->Add(Date(y, 11, 1));    // Toussaint
    days->Add(Date(y, 11, 11));   // Armistice
    days->Add(Date(y, 12, 25));   // Noël
  }
}

// Australia: the holidays kept in every state, with the Monday (or next free weekday) substitutes that all
// states give New Year's Day, Australia Day, Christmas and Boxing Day. Anzac Day has no substitute here (the
// states differ), and Easter Saturday / Sunday and the states' own days are left out. 2022-09-22 was the
// National Day of Mourning for Queen Elizabeth II.
void AddAustralia(DaySet* days) {
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    const absl::CivilDay easter = EasterSunday(y);
    AddWithWeekdaySubstitutes(days, {Date(y, 1, 1)});          // New Year's Day
    AddWithWeekdaySubstitutes(days, {Date(y, 1, 26)});         // Australia Day
    days->Add(easter - 2);                                     // Good Friday
    days->Add(easter + 1);                                     // Easter Monday
    days->Add(Date(y, 4, 25));                                 // Anzac Day
    AddWithWeekdaySubstitutes(days, {Date(y, 12, 25), Date(y, 12, 26)});
  }
  days->Add(Date(2022, 9, 22));
}

// Canada: the general holidays of the Canada Labour Code (federally regulated employers), with a holiday on a
// Saturday or Sunday moved to the next free weekday as the federal public service does (the Holidays Act
// itself moves Canada Day only from Sunday to Monday). Easter Monday (public service only) and provincial
// days are left out. 2022-09-19 was the federal day of mourning for Queen Elizabeth II.
void AddCanada(DaySet* days) {
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    const absl::CivilDay easter = EasterSunday(y);
    AddWithWeekdaySubstitutes(days, {Date(y, 1, 1)});          // New Year's Day
    days->Add(easter - 2);                                     // Good Friday
    // Victoria Day: the Monday before May 25.
    days->Add(absl::PrevWeekday(Date(y, 5, 25), Weekday::monday));
    AddWithWeekdaySubstitutes(days, {Date(y, 7, 1)});          // Canada Day
    days->Add(NthWeekday(y, 9, Weekday::monday, 1));           // Labour Day
    if (y >= 2021) {
      AddWithWeekdaySubstitutes(days, {Date(y, 9, 30)});       // National Day for Truth and Reconciliation
    }
    days->Add(NthWeekday(y, 10, Weekday::monday, 2));          // Thanksgiving Day
    AddWithWeekdaySubstitutes(days, {Date(y, 11, 11)});        // Remembrance Day
    AddWithWeekdaySubstitutes(days, {Date(y, 12, 25), Date(y, 12, 26)});
  }
  days->Add(Date(2022, 9, 19));
}

}  // namespace tollguard::time::internal
