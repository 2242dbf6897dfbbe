// Internal to lib/number: the first stage of Normalize. Reads a dialed string as a PBX or SBC sends it
// (plain digits with visual separators, "+E.164", or a sip:/sips:/tel: URI) and keeps only its digits.
// No dial plan is applied here.
#ifndef TOLLGUARD_LIB_NUMBER_DIALED_STRING_H_
#define TOLLGUARD_LIB_NUMBER_DIALED_STRING_H_

#include <string_view>

#include "tollguard/tollguard.h"

namespace tollguard::number::internal {

// The digits of one dialed string. Lives on the caller's stack (no allocation); the digits of the
// number and of a phone-context come from disjoint input bytes, so TG_MAX_DIALED_LEN is always enough.
// Thread-safety: a plain value, owned by one call.
struct DialedDigits {
  char digits[TG_MAX_DIALED_LEN];
  int len = 0;
  // The number was written in global form: a leading '+' (also "%2B" in a URI), or a local number in a
  // URI whose phone-context is a global number ("+81"); in that case the context digits lead `digits`.
  bool global = false;

  std::string_view view() const { return std::string_view(digits, static_cast<size_t>(len)); }
};

// Lexes `dialed` into *out.
// Accepted: ASCII digits; visual separators ' ', '\t', '-', '.', '(', ')', '/'; one '+' before the first
// digit. A string that starts (after blanks, scheme case-insensitive) with
//   sip: / sips:  keeps the user part: what precedes '@' (the whole body when there is no '@');
//   tel:          keeps the whole body;
// then drops "?headers", cuts ";params" off the number, and percent-decodes the number (%2B is '+').
// A ";phone-context=" parameter whose value is a global number ("+81", "+1-212") is prefixed to a local
// number (RFC 3966 section 5.1.5); a domain-name context is ignored.
// Returns TG_OK; TG_E_NUMBER_TOO_LONG when dialed is over TG_MAX_DIALED_LEN bytes; TG_E_NUMBER_CHARS for
// any other byte (letters, '*', '#', '@' or '%' outside a URI, controls, NUL, non-ASCII, a second '+');
// TG_E_NUMBER_EMPTY when no digit remains. Allocates: no.
tg_status LexDialed(std::string_view dialed, DialedDigits* out);

}  // namespace tollguard::number::internal

#endif  // TOLLGUARD_LIB_NUMBER_DIALED_STRING_H_
