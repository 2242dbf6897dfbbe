// History signals of one account: which destinations (ranges and countries) it has called on enough
// distinct days to count as known, and its usual volume by hour of week.
// Thread-safety: functions on an AccountRecord held through AccountStore::Handle (its record lock).
#ifndef TOLLGUARD_LIB_SIGNALS_HISTORY_H_
#define TOLLGUARD_LIB_SIGNALS_HISTORY_H_

#include <cstdint>
#include <string_view>

#include "lib/state/account.h"

namespace tollguard::signals {

// History keys of a destination: its range (country code + 3 national digits) and its country (region).
struct DestinationKeys {
  uint32_t range = 0;
  uint32_t country = 0;
};
DestinationKeys KeysFor(std::string_view e164, int cc_len, std::string_view region);

bool IsKnownRange(const state::AccountRecord& r, uint32_t range_key);
bool IsKnownCountry(const state::AccountRecord& r, uint32_t country_key);

// An answered call to the destination at `unix_hour` (hours since the epoch). Answered calls at least 16
// hours apart count as distinct days; a destination answered on min_days such days becomes known
// (permanently, until the account is evicted). A burst through one night counts once.
void LearnAnswered(state::AccountRecord& r, const DestinationKeys& k, int64_t unix_hour, int min_days);

// Usual attempts in this hour of the week (about one week's worth), and recording one attempt.
float UsualAtHour(const state::AccountRecord& r, int hour_of_week);
void RecordHour(state::AccountRecord& r, int hour_of_week, int32_t day);

// Distinct local days with attempts (saturating), recorded per attempt.
void RecordActiveDay(state::AccountRecord& r, int32_t day);

}  // namespace tollguard::signals

#endif  // TOLLGUARD_LIB_SIGNALS_HISTORY_H_
