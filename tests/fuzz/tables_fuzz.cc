// Fuzz harness: the destination table CSV loaders (lib/destination/table_files.h) and TableBuilder::Build.
// Input: byte 0 picks the loader(s) for the rest (bits 0-1: 0 range table, 1 rate deck, 2 overrides,
// 3 all three over the same text; bit 2: a small fixed range table first; bits 3-4: the risk rules).
// Invariants: an error names the file and a line; a built table answers every prefix the text holds
// with tier 0..3 and a known action; the rate deck rates it was given come back as micros.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "fuzz_util.h"
#include "lib/destination/table_builder.h"
#include "lib/destination/table_files.h"
#include "lib/util/strings.h"

namespace {

using tollguard::destination::RiskRules;
using tollguard::destination::TableBuilder;

RiskRules Rules(int variant) {
  RiskRules r;
  r.home_region = variant == 1 ? "US" : "JP";
  r.high_risk = {"CU", "GB", "JM"};
  r.intl_network_codes = {"881", "882", "883"};
  r.high_risk_rate_multiplier = variant == 2 ? 1000.0 : 3.0;
  r.intl_tier.fill(1);
  r.domestic_tier.fill(0);
  for (size_t i = 0; i < r.intl_rate.size(); ++i) {
    r.intl_rate[i] = variant == 3 ? 0.0 : 0.1 * static_cast<double>(i);
    r.domestic_rate[i] = variant == 3 ? 1000.0 : 0.01 * static_cast<double>(i);
  }
  return r;
}

void CheckError(const absl::Status& s, std::string_view file) {
  if (s.ok()) return;
  // "file:line:column: message", or "file: message" for a CSV syntax error.
  TG_FUZZ_CHECK(tollguard::Std(s.message()).substr(0, file.size()) == file);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgfuzz::Bytes in(data, size);
  const uint8_t sel = in.U8();
  const std::string text(in.Rest());
  TableBuilder builder;
  if (sel & 4) {
    const absl::Status s = tollguard::destination::LoadRangeCsv(
        "prefix,region,type\n81,JP,FIXED_LINE\n8190,JP,MOBILE\n44,GB,FIXED_LINE\n449,GB,PREMIUM_RATE\n1,US,"
        "FIXED_LINE_OR_MOBILE\n1876,JM,FIXED_LINE\n881,001,UNKNOWN\n",
        "fixed.csv", &builder);
    TG_FUZZ_CHECK(s.ok());
  }
  absl::Status s;
  switch (sel & 3) {
    case 0: s = tollguard::destination::LoadRangeCsv(text, "ranges.csv", &builder); CheckError(s, "ranges.csv"); break;
    case 1: s = tollguard::destination::LoadRateDeckCsv(text, "rates.csv", &builder); CheckError(s, "rates.csv"); break;
    case 2: s = tollguard::destination::LoadOverridesCsv(text, "overrides.csv", &builder); CheckError(s, "overrides.csv"); break;
    default: {
      s = tollguard::destination::LoadRangeCsv(text, "a.csv", &builder);
      CheckError(s, "a.csv");
      const absl::Status r = tollguard::destination::LoadRateDeckCsv(text, "b.csv", &builder);
      CheckError(r, "b.csv");
      const absl::Status o = tollguard::destination::LoadOverridesCsv(text, "c.csv", &builder);
      CheckError(o, "c.csv");
      break;
    }
  }
  auto built = builder.Build(Rules((sel >> 3) & 3));
  if (!built.ok()) {
    TG_FUZZ_CHECK(!built.status().message().empty());
    return 0;
  }
  const tollguard::destination::PrefixTable& table = *built;
  // Every run of digits in the text (and its prefixes) is looked up.
  std::string digits;
  auto probe = [&](std::string_view d) {
    int matched = -1;
    const tollguard::destination::Attrs* a = table.Lookup(d, &matched);
    if (a == nullptr) return;
    TG_FUZZ_CHECK(matched >= 0 && static_cast<size_t>(matched) <= d.size());
    TG_FUZZ_CHECK(a->tier <= 3 && a->action <= 3);
    TG_FUZZ_CHECK(a->region[3] == 0);
  };
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (digits.size() <= 20) probe(digits);
    } else {
      digits.clear();
    }
  }
  probe("81312345678");
  probe("");
  TG_FUZZ_CHECK(table.memory_bytes() >= table.entries());
  return 0;
}
