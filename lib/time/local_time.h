// Local time of an account without localtime_r on the hot path: per-zone UTC offsets precomputed once.
// Thread-safety: ZoneOffsets and HolidayCalendar are immutable after construction; read from any thread.
#ifndef TOLLGUARD_LIB_TIME_LOCAL_TIME_H_
#define TOLLGUARD_LIB_TIME_LOCAL_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace tollguard::time {

// The UTC offset of one IANA zone at any instant 1970..2100, from absl's time zone database (tzdata),
// as a sorted list of transitions plus a direct table of 2^22-second (~48.5-day) buckets: OffsetSeconds
// reads one 12-byte bucket (one cache line, where a binary search over a DST zone's ~260 transitions
// follows ~8 dependent lines); a bucket with two transitions or more, and instants outside 1970..2100,
// use the binary search. No allocation, no lock, no syscall.
class ZoneOffsets {
 public:
  // InvalidArgument naming the zone when tzdata does not know it.
  static absl::StatusOr<ZoneOffsets> Load(std::string_view iana_name);
  int32_t OffsetSeconds(int64_t unix_seconds) const;
  // The binary search alone (the reference the buckets are built from and tested against).
  int32_t SearchOffsetSeconds(int64_t unix_seconds) const;
  const std::string& name() const { return name_; }

  static constexpr int kBucketShift = 22;

 private:
  struct Bucket {
    int32_t before;  // the offset at the bucket's first second
    int32_t after;   // the offset from `at` on (= before when the bucket has no transition)
    int32_t at;      // seconds into the bucket of its one transition; kNoTransition; kSearch: several
  };
  static constexpr int32_t kNoTransition = int32_t{1} << kBucketShift;  // never reached inside a bucket
  static constexpr int32_t kSearch = -1;

  std::string name_;
  std::vector<int64_t> transition_at_;  // unix seconds, ascending; offsets_[i] applies from transition_at_[i]
  std::vector<int32_t> offsets_;
  std::vector<Bucket> buckets_;         // from 1970-01-01; empty for a default-constructed (UTC) zone
};

struct LocalTime {
  int32_t day = 0;       // local civil day number, days since 1970-01-01
  uint8_t hour = 0;      // 0..23
  uint8_t minute = 0;    // 0..59
  uint8_t weekday = 0;   // 0 = Monday .. 6 = Sunday
  uint8_t hour_of_week = 0;  // weekday * 24 + hour, 0..167
};

// Hot path: arithmetic only.
LocalTime ToLocal(const ZoneOffsets& zone, int64_t unix_seconds);

// Public holidays (and customary business closures, such as Japan's Dec 29 - Jan 3) of one country as a
// bitset of civil days 2000-01-01 .. 2099-12-31, plus extra dates from the policy.
class HolidayCalendar {
 public:
  // Built-in rules: JP and US (full national / federal rules with substitute and observed days), plus
  // GB, DE, FR, AU, CA (main national holidays). Any other country: only `extra_dates`.
  // extra_dates are "YYYY-MM-DD"; a malformed one is InvalidArgument naming it.
  static absl::StatusOr<HolidayCalendar> ForCountry(std::string_view iso_country,
                                                    absl::Span<const std::string> extra_dates = {});
  bool IsHoliday(int32_t civil_day) const;  // civil_day as in LocalTime::day; false outside 2000..2099
  bool has_builtin_rules() const { return builtin_; }

 private:
  std::vector<uint64_t> bits_;
  bool builtin_ = false;
};

// Civil day number (days since 1970-01-01) of a date; helper for tests and the policy loader.
int32_t CivilDay(int year, int month, int day);

// Parses exactly "YYYY-MM-DD" (four, two and two ASCII digits, a real Gregorian date) into a civil day number
// as CivilDay returns. Used for HolidayCalendar's extra dates.
// Thread-safety: pure. Allocates: only for an error. Returns: InvalidArgument quoting the text when malformed.
absl::StatusOr<int32_t> ParseCivilDate(std::string_view yyyy_mm_dd);

}  // namespace tollguard::time

#endif  // TOLLGUARD_LIB_TIME_LOCAL_TIME_H_
