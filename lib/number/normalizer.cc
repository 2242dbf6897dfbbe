// Normalize: dialed string -> E.164 digits under a home country's dial plan.
//
// Stage 1 (dialed_string.cc) keeps the digits and notes a '+' (or a URI phone-context). Stage 2, here:
//   global ('+')   the digits are E.164 already.
//   otherwise      strip DialPlan::outside_line when the digits start with it. The rule: when a policy
//                  configures it, its PBX sends it on every external call, so it is always the first
//                  digit(s); a string without it is taken as it is.
//   NANP (+1)      011 + international; 1 + exactly 10 digits; exactly 10 digits; 7 digits when
//                  local_area_code is set (that area code is put in front). Any other length: fewer than
//                  10 digits TG_E_NUMBER_TOO_SHORT (911, 7-digit local without an area code), more
//                  TG_E_NUMBER_TOO_LONG (a NANP national number is exactly 10 digits).
//   other plans    in order:
//                  1. a carrier-selection code (JP 001, 0033, ...) followed by an international prefix
//                     -> international; followed by the trunk prefix -> national; followed by anything
//                     else -> international without 010 (KDDI's "001 1 212 ..."; a domestic call after a
//                     carrier code always starts with 0, so this reading is the only one, and it errs to
//                     the international side);
//                  2. the longest international prefix of the plan (metadata alternatives, e.g. BR 0021)
//                     -> international;
//                  3. the trunk prefix -> national number after it. When the trunk prefix starts with
//                     '0' and the national part starts with '0' again ("0044 ..." in JP, whose
//                     international prefix is 010) the string starts with an access code this plan does
//                     not know, and the destination country cannot be told: TG_E_NUMBER_COUNTRY, unless
//                     it is too short to be any number (AU 000: TG_E_NUMBER_TOO_SHORT). (No metadata
//                     region with trunk 0 has geographic numbers starting with 0; only JP, ID and KR
//                     have special 00x ranges.) JP 011... is thus Sapporo: 0 + 11...;
//                  4. anything else is the national significant number as dialed (libphonenumber's
//                     parse does the same): closed plans (IT, ES, DK) and local numbers.
//   checks         E.164 digits > 15: TG_E_NUMBER_TOO_LONG; no assigned calling code:
//                  TG_E_NUMBER_COUNTRY; nothing after the international prefix, or a national part
//                  shorter than the code's smallest national number length: TG_E_NUMBER_TOO_SHORT.
#include "lib/number/normalizer.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "lib/number/dialed_string.h"
#include "lib/number/metadata.h"
#include "lib/util/digits.h"

namespace tollguard::number {
namespace {

// (Prefixes here are 1..8 digits: a loop beats a memcmp call.)
bool StartsWith(std::string_view s, std::string_view prefix) {
  if (prefix.empty() || s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (s[i] != prefix[i]) return false;
  }
  return true;
}

// Length of the longest international prefix of `plan` that starts `s`; 0 when none does. The plan lists
// them longest first (MakeDialPlan checks), so the first match is the longest.
size_t MatchIntlPrefix(const DialPlan& plan, std::string_view s) {
  if (s.empty()) return 0;
  const int n = std::min<int>(plan.n_intl_prefixes, kMaxIntlPrefixes);
  for (int i = 0; i < n; ++i) {
    if (plan.intl_prefixes[i].s[0] != s[0]) continue;  // cheap first-digit filter
    const std::string_view p = plan.intl_prefixes[i].view();
    if (StartsWith(s, p)) return p.size();
  }
  return 0;
}

// Checks E.164 digits (calling code first) and writes them to *out.
tg_status FinishInternational(std::string_view e164, E164* out) {
  if (e164.empty()) return TG_E_NUMBER_TOO_SHORT;  // nothing after the international prefix
  if (e164.size() > static_cast<size_t>(kMaxE164Digits)) return TG_E_NUMBER_TOO_LONG;
  const internal::CountryCodeInfo cc = internal::LookupCountryCode(e164);
  if (cc.len == 0) return TG_E_NUMBER_COUNTRY;
  if (e164.size() - static_cast<size_t>(cc.len) < static_cast<size_t>(cc.min_national_len)) {
    return TG_E_NUMBER_TOO_SHORT;
  }
  std::memcpy(out->digits, e164.data(), e164.size());
  out->digits[e164.size()] = 0;
  out->len = static_cast<uint8_t>(e164.size());
  out->cc_len = static_cast<uint8_t>(cc.len);
  return TG_OK;
}

// The plan's own calling code followed by a national significant number.
tg_status FinishNational(const DialPlan& plan, std::string_view national, E164* out) {
  const std::string_view cc = plan.cc.view();
  if (cc.size() + national.size() > static_cast<size_t>(kMaxE164Digits)) return TG_E_NUMBER_TOO_LONG;
  char buf[kMaxE164Digits];
  std::memcpy(buf, cc.data(), cc.size());
  std::memcpy(buf + cc.size(), national.data(), national.size());
  tg_status status = FinishInternational(std::string_view(buf, cc.size() + national.size()), out);
  if (status == TG_OK && out->cc_len != cc.size()) {  // a hand-made plan with a bad calling code
    *out = E164{};
    return TG_E_NUMBER_COUNTRY;
  }
  return status;
}

// The national number after a trunk prefix (rule 3 above). A "0 0..." string too short to be a number
// (AU's 000 emergency code) stays TG_E_NUMBER_TOO_SHORT rather than an unknown access code.
tg_status FinishAfterTrunk(const DialPlan& plan, std::string_view trunk, std::string_view national, E164* out) {
  tg_status status = FinishNational(plan, national, out);
  if (trunk[0] == '0' && !national.empty() && national[0] == '0' && status != TG_E_NUMBER_TOO_SHORT) {
    return TG_E_NUMBER_COUNTRY;  // Normalize clears *out
  }
  return status;
}

tg_status NormalizeNanp(const DialPlan& plan, std::string_view s, E164* out) {
  constexpr size_t kNanpNational = 10;
  if (size_t intl = MatchIntlPrefix(plan, s)) return FinishInternational(s.substr(intl), out);
  const std::string_view area = plan.local_area_code.view();
  if (!s.empty() && s[0] == '1') {
    s.remove_prefix(1);  // the NANP trunk prefix
  } else if (s.size() == 7 && area.size() == 3) {
    char buf[kNanpNational];
    std::memcpy(buf, area.data(), 3);
    std::memcpy(buf + 3, s.data(), 7);
    return FinishNational(plan, std::string_view(buf, kNanpNational), out);
  }
  if (s.size() < kNanpNational) return TG_E_NUMBER_TOO_SHORT;
  if (s.size() > kNanpNational) return TG_E_NUMBER_TOO_LONG;
  return FinishNational(plan, s, out);
}

tg_status NormalizeGeneric(const DialPlan& plan, std::string_view s, E164* out) {
  const std::string_view trunk = plan.trunk_prefix.view();
  int n_carriers = std::min<int>(plan.n_carrier_codes, static_cast<int>(std::size(plan.carrier_codes)));
  if (s.size() < 2 || static_cast<unsigned char>(s[0] - '0') > 9 || static_cast<unsigned char>(s[1] - '0') > 9) {
    n_carriers = 0;  // every carrier code has at least two digits
  } else {
    const int lead = (s[0] - '0') * 10 + (s[1] - '0');
    if (!((plan.carrier_leads[lead >> 6] >> (lead & 63)) & 1)) n_carriers = 0;
  }
  for (int i = 0; i < n_carriers; ++i) {
    if (s.empty() || plan.carrier_codes[i].s[0] != s[0]) continue;
    const std::string_view carrier = plan.carrier_codes[i].view();
    if (!StartsWith(s, carrier)) continue;
    std::string_view rest = s.substr(carrier.size());
    if (size_t intl = MatchIntlPrefix(plan, rest)) return FinishInternational(rest.substr(intl), out);
    if (StartsWith(rest, trunk)) return FinishAfterTrunk(plan, trunk, rest.substr(trunk.size()), out);
    return FinishInternational(rest, out);
  }
  if (size_t intl = MatchIntlPrefix(plan, s)) return FinishInternational(s.substr(intl), out);
  if (StartsWith(s, trunk)) return FinishAfterTrunk(plan, trunk, s.substr(trunk.size()), out);
  return FinishNational(plan, s, out);
}

// True when `s` is 1..TG_MAX_DIALED_LEN ASCII digits with an optional leading '+' (sets *global), the form
// the lexer would pass through unchanged. Eight bytes per step (the last step overlaps the previous).
bool IsPlainDigits(std::string_view s, bool* global) {
  if (s.empty() || s.size() > TG_MAX_DIALED_LEN) return false;
  const size_t start = s[0] == '+' ? 1 : 0;
  if (start == s.size()) return false;
  *global = start == 1;
  const std::string_view d = s.substr(start);
  if (d.size() < 8) {
    for (char c : d) {
      if (static_cast<unsigned char>(c - '0') > 9) return false;
    }
    return true;
  }
  for (size_t i = 0; i + 8 < d.size(); i += 8) {
    if (!util::EightDigits(util::Load8(d.data() + i))) return false;
  }
  return util::EightDigits(util::Load8(d.data() + d.size() - 8));
}

}  // namespace

tg_status Normalize(const DialPlan& plan, std::string_view dialed, E164* out) {
  if (out == nullptr) return TG_E_INVALID_ARGUMENT;
  *out = E164{};
  // Fast path: what PBXs send almost always ("+4420...", "0312...", "01144...") is digits with at most a
  // leading '+'; the lexer (URIs, separators, percent-decoding) is only needed otherwise.
  std::string_view digits;
  bool global = false;
  internal::DialedDigits lexed;
  if (IsPlainDigits(dialed, &global)) {
    digits = dialed.substr(global ? 1 : 0);
  } else {
    const tg_status lex_status = internal::LexDialed(dialed, &lexed);
    if (lex_status != TG_OK) return lex_status;
    digits = lexed.view();
    global = lexed.global;
  }
  tg_status status;
  if (global) {
    status = FinishInternational(digits, out);
  } else {
    const std::string_view outside = plan.outside_line.view();
    if (StartsWith(digits, outside)) digits.remove_prefix(outside.size());
    status = plan.nanp ? NormalizeNanp(plan, digits, out) : NormalizeGeneric(plan, digits, out);
  }
  if (status != TG_OK) *out = E164{};
  return status;
}

}  // namespace tollguard::number
