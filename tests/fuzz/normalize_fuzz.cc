// Fuzz harness: number normalization. Input: byte 0 picks the dial plan (JP US GB DE FR AU BR; the upper
// choices add a PBX outside-line digit, and for US a local area code), the rest is the dialed string.
// Invariants: a documented status; on success 1..15 NUL-terminated digits that start with an assigned
// calling code of cc_len digits, the same answer twice, and the same digits when re-dialed as "+digits";
// on error a zeroed result.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "lib/number/normalizer.h"

namespace {

using tollguard::number::DialPlan;
using tollguard::number::E164;

struct Plans {
  static constexpr int kCountries = 7;
  DialPlan plain[kCountries];
  DialPlan pbx[kCountries];  // with an outside-line prefix (US: also 7-digit local dialing)
  Plans() {
    static const char* const kIso[kCountries] = {"JP", "US", "GB", "DE", "FR", "AU", "BR"};
    for (int i = 0; i < kCountries; ++i) {
      auto p = tollguard::number::MakeDialPlan(kIso[i]);
      TG_FUZZ_CHECK(p.ok());
      plain[i] = *p;
      const bool us = std::string_view(kIso[i]) == "US";
      auto q = tollguard::number::MakeDialPlan(kIso[i], us ? "9" : "0", us ? "212" : "");
      TG_FUZZ_CHECK(q.ok());
      pbx[i] = *q;
    }
  }
};

bool IsZero(const E164& e) {
  if (e.len != 0 || e.cc_len != 0) return false;
  for (char c : e.digits) {
    if (c != 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Plans plans;
  tgfuzz::Bytes in(data, size);
  const uint8_t sel = in.U8();
  const int country = sel % Plans::kCountries;
  const DialPlan& plan = (sel / Plans::kCountries) % 2 ? plans.pbx[country] : plans.plain[country];
  const std::string dialed(in.Rest());  // an exact-size heap copy, so ASan sees reads past the end

  E164 e;
  const tg_status st = tollguard::number::Normalize(plan, dialed, &e);
  TG_FUZZ_CHECK(st == TG_OK || st == TG_E_NUMBER_EMPTY || st == TG_E_NUMBER_CHARS || st == TG_E_NUMBER_TOO_LONG ||
                st == TG_E_NUMBER_COUNTRY || st == TG_E_NUMBER_TOO_SHORT);
  E164 again;
  TG_FUZZ_CHECK(tollguard::number::Normalize(plan, dialed, &again) == st);
  if (st != TG_OK) {
    TG_FUZZ_CHECK(IsZero(e));
    return 0;
  }
  TG_FUZZ_CHECK(e.len >= 1 && e.len <= tollguard::number::kMaxE164Digits);
  TG_FUZZ_CHECK(e.digits[e.len] == 0);
  TG_FUZZ_CHECK(tgfuzz::AllDigits(e.view()));
  TG_FUZZ_CHECK(e.cc_len >= 1 && e.cc_len <= 3 && e.cc_len < e.len);
  TG_FUZZ_CHECK(tollguard::number::CountryCodeLength(e.view()) == e.cc_len);
  TG_FUZZ_CHECK(again.view() == e.view() && again.cc_len == e.cc_len);
  // The result is E.164: dialed with '+' under any plan it is itself.
  const std::string plus = "+" + std::string(e.view());
  for (int i = 0; i < Plans::kCountries; ++i) {
    E164 g;
    TG_FUZZ_CHECK(tollguard::number::Normalize(plans.plain[i], plus, &g) == TG_OK);
    TG_FUZZ_CHECK(g.view() == e.view() && g.cc_len == e.cc_len);
  }
  return 0;
}
