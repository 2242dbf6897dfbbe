// Times of CDR rows: ISO 8601 / Unix-seconds parsing and local PBX time to UTC, with the C++ standard library
// and the C library only (the tools link nothing but the public tollguard API).
// Thread-safety: the parse functions are pure; a loaded Zone is immutable and may be shared. Zone::Load briefly
// sets the process's TZ variable (see there) and must not run concurrently with other code that reads TZ.
#ifndef TOLLGUARD_TOOLS_REPLAY_CIVIL_TIME_H_
#define TOLLGUARD_TOOLS_REPLAY_CIVIL_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tollguard::replay {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil; what timegm computes).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

// Seconds since the epoch of a civil time read as if it were UTC (timegm without the C library's tm limits).
int64_t CivilSeconds(int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second);

// A time zone: the UTC offset in force at every instant, so that local PBX times can be turned into UTC.
// Either a fixed offset ("UTC", "Z", "+09:00", "-0500", "+09") or an IANA name ("Asia/Tokyo").
class Zone {
 public:
  // Loads `name`. IANA names must exist under $TZDIR or /usr/share/zoneinfo (tzdata). Their offsets are read
  // once through the C library (TZ set to the zone, localtime_r over 1999-2201, TZ restored) into a private
  // transition table; after that the Zone never touches global state. Returns false and sets *error.
  static bool Load(std::string_view name, Zone* out, std::string* error);

  // UTC offset in seconds at a UTC instant.
  int32_t OffsetAt(int64_t unix_seconds) const;

  // Unix seconds of a local civil time given as CivilSeconds(...) of its fields. A time that occurs twice
  // (the hour when clocks go back) is the earlier instant; a time that does not exist (clocks go forward) is
  // read with the offset before the change, i.e. shifted forward by the gap (as cctz and Python do).
  int64_t LocalToUnix(int64_t local_seconds) const;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  int32_t initial_offset_ = 0;
  std::vector<int64_t> transitions_;  // UTC seconds at which offsets_[i] starts, ascending
  std::vector<int32_t> offsets_;
};

// Parses a CDR start time into Unix milliseconds:
//   ISO 8601 "2026-03-02T09:15:03+09:00", "2026-03-02 09:15:03Z", fractions "09:15:03.250", offsets
//   "+09:00" "+0900" "+09" "Z", optionally after one space; without an offset the time is local in
//   `naive_zone` (an error when naive_zone is null);
//   Unix seconds "1772410503" or "1772410503.25".
// Surrounding blanks are ignored. Returns false and sets *why (static text) on a malformed time.
bool ParseStart(std::string_view text, const Zone* naive_zone, int64_t* unix_ms, const char** why);

// Parses Asterisk's "YYYY-MM-DD HH:MM:SS" as local time in `zone`. Returns false and sets *why on error.
bool ParseAsteriskTime(std::string_view text, const Zone& zone, int64_t* unix_ms, const char** why);

}  // namespace tollguard::replay

#endif  // TOLLGUARD_TOOLS_REPLAY_CIVIL_TIME_H_
