// Internal to lib/number: the facts generated from libphonenumber's metadata (dial_plan_data.inc) and
// lookups over them. Everything here is constant data; every function is pure and allocation-free.
#ifndef TOLLGUARD_LIB_NUMBER_METADATA_H_
#define TOLLGUARD_LIB_NUMBER_METADATA_H_

#include <cstdint>
#include <string_view>

namespace tollguard::number::internal {

// One region's dial-plan facts, as generated. Thread-safety: immutable static data.
struct RegionDialData {
  const char* iso;    // "JP"
  const char* cc;     // "81"
  const char* trunk;  // national (trunk) prefix, "0"; "" when the region has none
  const char* intl;   // international prefixes, space separated, longest first: "0011 0014 ..."
};

// One assigned country calling code, as generated. Thread-safety: immutable static data.
struct CountryCodeData {
  uint16_t cc;                // 1..999
  uint8_t min_national_len;   // smallest national (significant) number length over the code's regions
};

// What starts a string of E.164 digits. Thread-safety: a plain value.
struct CountryCodeInfo {
  int len = 0;               // 1..3, or 0 when no assigned calling code starts the digits
  int min_national_len = 0;  // of that code; 0 when len == 0
};

// The region with ISO code `iso` (two upper-case letters), or nullptr when libphonenumber has none.
const RegionDialData* FindRegion(std::string_view iso);

// The assigned calling code that starts `digits` (only the first three bytes are read; non-digits are
// never part of a code). Hot path: two or three table reads.
CountryCodeInfo LookupCountryCode(std::string_view digits);

// Number of generated regions and calling codes (for tests and tools).
int RegionCount();
const RegionDialData& RegionAt(int i);
int CountryCodeCount();
const CountryCodeData& CountryCodeAt(int i);

}  // namespace tollguard::number::internal

#endif  // TOLLGUARD_LIB_NUMBER_METADATA_H_
