// MakeDialPlan: a home country's dial plan from the generated metadata (dial_plan_data.inc), plus the
// per-policy outside-line prefix and NANP local area code. Runs once per policy load, not per call.
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "lib/number/metadata.h"
#include "lib/number/normalizer.h"

namespace tollguard::number {
namespace {

// Japan's carrier-selection codes for international calls (KDDI 001, NTT Communications 0033, SoftBank
// 0041/0046/0061, and the 0036/0039 codes). They precede 010 ("0033 010 1 212 ..."); "001" + country code
// is KDDI's direct international form. Not in libphonenumber's metadata, hence listed here.
constexpr const char* kJapanCarrierCodes[] = {"001", "0033", "0036", "0039", "0041", "0046", "0061"};
static_assert(std::size(kJapanCarrierCodes) <= std::size(DialPlan{}.carrier_codes));

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// For error messages: quoted, with anything unprintable escaped.
// (Debian's abseil has its own absl::string_view, not an alias of std::string_view.)
std::string Quote(std::string_view s) {
  return absl::StrCat("'", absl::CHexEscape(absl::string_view(s.data(), s.size())), "'");
}

template <size_t N>
void CopyField(char (&dst)[N], std::string_view src) {
  // REQUIRES: src.size() < N (checked by the callers and by the generator's asserts).
  size_t n = src.size() < N ? src.size() : N - 1;
  if (n > 0) std::memcpy(dst, src.data(), n);  // an empty view may have a null data()
  dst[n] = 0;
}
template <size_t N>
void CopyField(PlanDigits<N>& dst, std::string_view src) {
  CopyField(dst.s, src);
  dst.len = static_cast<uint8_t>(std::strlen(dst.s));
}

// Fills plan->intl_prefixes from a generated "longest first, space separated" list.
absl::Status CopyIntlPrefixes(const internal::RegionDialData& region, DialPlan* plan) {
  std::string_view rest = region.intl;
  plan->n_intl_prefixes = 0;
  while (!rest.empty()) {
    size_t space = rest.find(' ');
    std::string_view p = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (p.empty()) continue;
    // Longest first: MatchIntlPrefix takes the first match.
    const bool longer = plan->n_intl_prefixes > 0 && p.size() > plan->intl_prefixes[plan->n_intl_prefixes - 1].len;
    if (plan->n_intl_prefixes >= kMaxIntlPrefixes || p.size() > static_cast<size_t>(kMaxIntlPrefixLen) ||
        !AllDigits(p) || longer) {
      return absl::InternalError(
          absl::StrCat("dial_plan_data.inc: bad international prefixes for ", region.iso, ": ", region.intl));
    }
    CopyField(plan->intl_prefixes[plan->n_intl_prefixes++], p);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DialPlan> MakeDialPlan(std::string_view iso_country, std::string_view outside_line,
                                      std::string_view local_area_code) {
  char iso[3] = {0};
  bool iso_ok = iso_country.size() == 2;
  for (size_t i = 0; iso_ok && i < 2; ++i) {
    char c = iso_country[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    iso_ok = c >= 'A' && c <= 'Z';
    iso[i] = c;
  }
  const internal::RegionDialData* region = iso_ok ? internal::FindRegion(std::string_view(iso, 2)) : nullptr;
  if (region == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown country ", Quote(iso_country), ": expected an ISO 3166 alpha-2 code known to ",
                     "libphonenumber (e.g. 'JP', 'US', 'DE')"));
  }
  if (outside_line.size() > 3 || !AllDigits(outside_line)) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed outside_line ", Quote(outside_line), ": expected 1 to 3 digits, or empty"));
  }

  DialPlan plan;
  CopyField(plan.iso, region->iso);
  CopyField(plan.cc, region->cc);
  CopyField(plan.trunk_prefix, region->trunk);
  plan.nanp = std::string_view(region->cc) == "1";
  CopyField(plan.outside_line, outside_line);
  absl::Status status = CopyIntlPrefixes(*region, &plan);
  if (!status.ok()) return status;

  if (!local_area_code.empty()) {
    if (!plan.nanp) {
      return absl::InvalidArgumentError(absl::StrCat("local_area_code ", Quote(local_area_code),
                                                     " is only for NANP countries (+1), not ", plan.iso));
    }
    if (local_area_code.size() != 3 || !AllDigits(local_area_code) || local_area_code[0] < '2') {
      return absl::InvalidArgumentError(absl::StrCat("malformed local_area_code ", Quote(local_area_code),
                                                     ": expected a 3-digit NANP area code, first digit 2-9"));
    }
    CopyField(plan.local_area_code, local_area_code);
  }

  if (std::string_view(plan.iso) == "JP") {
    for (const char* code : kJapanCarrierCodes) {
      const int lead = (code[0] - '0') * 10 + (code[1] - '0');  // every code has at least 2 digits
      plan.carrier_leads[lead >> 6] |= uint64_t{1} << (lead & 63);
      CopyField(plan.carrier_codes[plan.n_carrier_codes++], code);
    }
  }
  return plan;
}

}  // namespace tollguard::number
