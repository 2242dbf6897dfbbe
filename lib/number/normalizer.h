// Turns a dialed string (as a PBX sends it, or a sip:/tel: URI) into E.164 digits under a dial plan.
// Thread-safety: DialPlan is immutable after MakeDialPlan; Normalize is pure and may run on any thread.
#ifndef TOLLGUARD_LIB_NUMBER_NORMALIZER_H_
#define TOLLGUARD_LIB_NUMBER_NORMALIZER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollguard/tollguard.h"

namespace tollguard::number {

inline constexpr int kMaxE164Digits = 15;
// Room for international access codes in a DialPlan: libphonenumber's metadata has up to 40 concrete
// alternatives (SG 0[0-3]\d, CL 29, KR 16, AU 16, BR 13) of up to 8 digits (AU 14xx0011).
inline constexpr int kMaxIntlPrefixes = 40;
inline constexpr int kMaxIntlPrefixLen = 8;

// A normalized destination: E.164 digits without '+', NUL-terminated.
// Thread-safety: a plain value; the caller owns it.
struct E164 {
  char digits[kMaxE164Digits + 1] = {0};
  uint8_t len = 0;     // number of digits
  uint8_t cc_len = 0;  // length of the country calling code prefix of digits (1..3)
  std::string_view view() const { return std::string_view(digits, len); }
};

// A short digit string of a dial plan with its length (set by MakeDialPlan; the hot path never scans for
// the NUL). view() is bounded by the array even when a hand-made plan sets a wrong len.
template <size_t N>
struct PlanDigits {
  char s[N + 1] = {0};
  uint8_t len = 0;
  std::string_view view() const { return std::string_view(s, len < N ? len : N); }
};

// How numbers are dialed from one home country. Built once per policy; small and copyable.
// Thread-safety: immutable after MakeDialPlan; share it freely between threads.
struct DialPlan {
  char iso[3] = {0};             // "JP"
  PlanDigits<3> cc;              // home country calling code digits, "81"
  // International access codes, longest first, e.g. {"010"} for JP, {"011"} for NANP, {"00"} generic,
  // {"0012", "0014", ...} for BR (00 + carrier). From libphonenumber's metadata.
  PlanDigits<kMaxIntlPrefixLen> intl_prefixes[kMaxIntlPrefixes];
  uint8_t n_intl_prefixes = 0;
  // Carrier-selection codes that may precede an international access code (JP: 001, 0033, 0041, 0061).
  PlanDigits<5> carrier_codes[8];
  uint8_t n_carrier_codes = 0;
  // The first two digits (00..99) of the carrier codes as a bit set: a dialed string that starts with
  // none of them (JP: all but "00...") skips the carrier loop after one test.
  uint64_t carrier_leads[2] = {0, 0};
  PlanDigits<3> trunk_prefix;    // national trunk prefix, "0"; "" for none (NANP uses "1")
  bool nanp = false;             // NANP rules: "1"+10 digits and bare 10 digits are national
  PlanDigits<3> outside_line;    // PBX outside-line access digit(s) always present on dialed strings ("9")
  PlanDigits<5> local_area_code; // NANP: area code for 7-digit local dialing; "" = not allowed
};

// Builds the dial plan of a home country (ISO 3166 alpha-2, case-insensitive) with an optional outside-line
// access prefix (digits only, at most 3) and optional NANP local area code (3 digits, first 2-9; NANP
// countries only). Prefixes and trunk prefix come from libphonenumber's metadata (dial_plan_data.inc);
// JP also gets its carrier-selection codes. Thread-safety: any thread. Allocates: no (the status may).
// Returns InvalidArgument naming the bad value for an unknown country or a malformed prefix.
absl::StatusOr<DialPlan> MakeDialPlan(std::string_view iso_country, std::string_view outside_line = {},
                                      std::string_view local_area_code = {});

// Normalizes `dialed` under `plan`. Hot path: no allocation, no locale, no regex, no exceptions; O(length).
// Rules (lib/number/normalizer.cc has the details):
//  - Input: any bytes. Digits, visual separators (space, tab, - . ( ) /) and one leading '+'; sip:, sips:
//    and tel: URIs give their user part (scheme, host, ;params and ?headers dropped, %XX decoded); a
//    tel/sip ;phone-context=+<digits> is prefixed to a local number (RFC 3966).
//  - '+' form: already E.164. Otherwise the outside-line prefix, when configured, is stripped if the string
//    starts with it (the rule: when configured, the PBX sends it on every external call), then the plan
//    applies: [carrier code] + international prefix + cc..., trunk prefix + national number, or a national
//    significant number without trunk prefix (as libphonenumber parses it). NANP: 011 + cc..., 1 + 10
//    digits, 10 digits, 7 digits only with local_area_code.
//  - A national part shorter than the smallest national number length of its calling code in
//    libphonenumber's metadata (>= 4 everywhere; 10 for +1, 8 for +81) is TG_E_NUMBER_TOO_SHORT.
// REQUIRES: out != nullptr (nullptr gives TG_E_INVALID_ARGUMENT). On error *out is zeroed.
// Returns TG_OK with *out filled, or TG_E_NUMBER_EMPTY / _CHARS / _TOO_LONG / _COUNTRY / _TOO_SHORT.
tg_status Normalize(const DialPlan& plan, std::string_view dialed, E164* out);

// Length (1..3) of the assigned ITU country calling code that starts `digits`, or 0 when none is assigned.
int CountryCodeLength(std::string_view digits);

}  // namespace tollguard::number

#endif  // TOLLGUARD_LIB_NUMBER_NORMALIZER_H_
