// ZoneOffsets: one zone's UTC offsets 1970..2100 as a transition table built once from tzdata through
// absl::TimeZone; ToLocal: the hot-path conversion of a unix time to local day, hour and weekday.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/time/local_time.h"

namespace tollguard::time {
namespace {

constexpr int64_t kTableStart = 0;           // 1970-01-01T00:00:00Z
constexpr int64_t kTableEnd = 4102444800;    // 2100-01-01T00:00:00Z
constexpr int64_t kSecondsPerDay = 86400;
constexpr size_t kMaxZoneNameLength = 64;    // the longest IANA name is 32 characters
constexpr int64_t kThursday = 3;             // weekday of 1970-01-01, Monday = 0

// Debian's abseil has its own absl::string_view, not std::string_view.
absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Names that absl would resolve to something other than a tzdata zone: "localtime" (the host's zone), a
// "file:" prefix or an absolute path (an arbitrary file). IANA names, "UTC" and absl's fixed-offset names
// ("Fixed/UTC+09:00:00") use only letters, digits and "/_+-:".
bool IsPlausibleZoneName(std::string_view name) {
  if (name.empty() || name.size() > kMaxZoneNameLength || name == "localtime" || name.front() == '/' ||
      absl::StartsWith(AsAbsl(name), "file:")) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '_' || c == '+' || c == '-' || c == ':';
  });
}

absl::Status UnknownZone(std::string_view name) {
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown time zone \"", absl::CEscape(AsAbsl(name.substr(0, kMaxZoneNameLength))),
      "\": expected an IANA name such as \"Asia/Tokyo\" (is tzdata installed?)"));
}

// Floor division for a positive divisor: FloorDiv(-1, 86400) is -1.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b < 0) --q;
  return q;
}

}  // namespace

absl::StatusOr<ZoneOffsets> ZoneOffsets::Load(std::string_view iana_name) {
  if (!IsPlausibleZoneName(iana_name)) return UnknownZone(iana_name);
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(iana_name), &tz)) return UnknownZone(iana_name);

  ZoneOffsets zone;
  zone.name_ = std::string(iana_name);
  // Before 1970 the offset of 1970-01-01 applies; after 2100 the last offset of 2099 does.
  absl::Time t = absl::FromUnixSeconds(kTableStart);
  zone.transition_at_.push_back(std::numeric_limits<int64_t>::min());
  zone.offsets_.push_back(tz.At(t).offset);

  const absl::Time end = absl::FromUnixSeconds(kTableEnd);
  absl::TimeZone::CivilTransition transition;
  while (tz.NextTransition(t, &transition)) {
    // The instant of the transition: for a gap `to` is unique, for a fold absl reports the transition.
    const absl::Time at = tz.At(transition.to).trans;
    if (at <= t || at >= end) break;
    const int32_t offset = tz.At(at).offset;
    if (offset != zone.offsets_.back()) {  // skip changes of abbreviation or is_dst only
      zone.transition_at_.push_back(absl::ToUnixSeconds(at));
      zone.offsets_.push_back(offset);
    }
    t = at;
  }
  // The buckets: each bucket's offset at its start, and its transition if it has exactly one.
  const int64_t span = int64_t{1} << kBucketShift;
  const size_t n_buckets = static_cast<size_t>((kTableEnd - kTableStart + span - 1) >> kBucketShift);
  zone.buckets_.resize(n_buckets);
  size_t next = 1;  // the first transition after the current bucket's start
  for (size_t i = 0; i < n_buckets; ++i) {
    const int64_t start = kTableStart + static_cast<int64_t>(i) * span;
    while (next < zone.transition_at_.size() && zone.transition_at_[next] <= start) ++next;
    Bucket& b = zone.buckets_[i];
    b.before = zone.offsets_[next - 1];
    b.after = b.before;
    b.at = kNoTransition;
    size_t inside = next;
    while (inside < zone.transition_at_.size() && zone.transition_at_[inside] < start + span) ++inside;
    if (inside - next == 1) {
      b.after = zone.offsets_[next];
      b.at = static_cast<int32_t>(zone.transition_at_[next] - start);
    } else if (inside - next > 1) {
      b.at = kSearch;
    }
  }
  return zone;
}

int32_t ZoneOffsets::SearchOffsetSeconds(int64_t unix_seconds) const {
  const auto it = std::upper_bound(transition_at_.begin(), transition_at_.end(), unix_seconds);
  if (it == transition_at_.begin()) return 0;  // a default-constructed ZoneOffsets is UTC
  return offsets_[static_cast<size_t>(it - transition_at_.begin()) - 1];
}

int32_t ZoneOffsets::OffsetSeconds(int64_t unix_seconds) const {
  const uint64_t since = static_cast<uint64_t>(unix_seconds) - static_cast<uint64_t>(kTableStart);
  const uint64_t i = since >> kBucketShift;  // before 1970 wraps to a huge index
  if (i >= buckets_.size()) return SearchOffsetSeconds(unix_seconds);
  const Bucket& b = buckets_[i];
  if (b.at == kSearch) return SearchOffsetSeconds(unix_seconds);
  return static_cast<int32_t>(since & ((uint64_t{1} << kBucketShift) - 1)) >= b.at ? b.after : b.before;
}

LocalTime ToLocal(const ZoneOffsets& zone, int64_t unix_seconds) {
  // Split into day and second of day before adding the offset, so that nothing near the int64 limits
  // overflows.
  int64_t day = unix_seconds / kSecondsPerDay;
  int64_t second = unix_seconds % kSecondsPerDay;
  if (second < 0) {
    second += kSecondsPerDay;
    --day;
  }
  second += zone.OffsetSeconds(unix_seconds);
  const int64_t carry = FloorDiv(second, kSecondsPerDay);
  day += carry;
  second -= carry * kSecondsPerDay;

  LocalTime local;
  local.day = static_cast<int32_t>(std::clamp<int64_t>(day, std::numeric_limits<int32_t>::min(),
                                                       std::numeric_limits<int32_t>::max()));
  local.hour = static_cast<uint8_t>(second / 3600);
  local.minute = static_cast<uint8_t>(second % 3600 / 60);
  const int64_t weekday = (day + kThursday) % 7;
  local.weekday = static_cast<uint8_t>(weekday < 0 ? weekday + 7 : weekday);
  local.hour_of_week = static_cast<uint8_t>(local.weekday * 24 + local.hour);
  return local;
}

}  // namespace tollguard::time
