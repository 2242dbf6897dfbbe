// TableBuilder: longest-prefix merge of the layers and the risk rules.
#include "lib/destination/table_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/destination/table_files.h"
#include "tollguard/tollguard.h"

namespace tollguard::destination {
namespace {

RiskRules Rules() {
  RiskRules r;
  r.home_region = "JP";
  r.high_risk = {"CU"};
  r.high_risk_tier = 2;
  r.intl_network_codes = {"881"};
  r.intl_network_tier = 3;
  r.unknown_range_tier = 2;
  r.high_risk_rate_multiplier = 3.0;
  r.intl_tier.fill(1);
  r.domestic_tier.fill(0);
  r.intl_rate.fill(0.1);
  r.domestic_rate.fill(0.03);
  r.intl_tier[TG_NUMBER_PREMIUM_RATE] = 3;
  return r;
}

TEST(TableBuilderTest, LongestPrefixWinsAndLayersMerge) {
  TableBuilder b;
  b.AddRange("44", "GB", TG_NUMBER_UNKNOWN);
  b.AddRange("447", "GB", TG_NUMBER_MOBILE);
  b.AddRange("449", "GB", TG_NUMBER_PREMIUM_RATE);
  b.AddRate("44", 0.05);
  b.AddRate("4479", 0.5);
  auto t = b.Build(Rules());
  ASSERT_TRUE(t.ok()) << t.status();
  int len = 0;
  const Attrs* a = t->Lookup("447912345678", &len);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->type, TG_NUMBER_MOBILE);  // type from the range layer's 447
  EXPECT_EQ(a->rate_micros, 500000u);    // rate from the deck's longer 4479
  EXPECT_TRUE(a->flags & kRateFromDeck);
  a = t->Lookup("447012345678");
  EXPECT_EQ(a->rate_micros, 50000u);
  a = t->Lookup("449012345678");
  EXPECT_EQ(a->type, TG_NUMBER_PREMIUM_RATE);
  EXPECT_EQ(a->tier, 3);
  EXPECT_EQ(t->Lookup("33123"), nullptr);
}

TEST(TableBuilderTest, RiskRulesSetTiersFlagsAndEstimatedRates) {
  TableBuilder b;
  b.AddRange("53", "CU", TG_NUMBER_UNKNOWN);
  b.AddRange("535", "CU", TG_NUMBER_MOBILE);
  b.AddRange("81", "JP", TG_NUMBER_UNKNOWN);
  b.AddRange("813", "JP", TG_NUMBER_FIXED_LINE);
  b.AddRange("881", "001", TG_NUMBER_UNKNOWN);
  auto t = b.Build(Rules());
  ASSERT_TRUE(t.ok());
  const Attrs* cu = t->Lookup("5351234567");
  EXPECT_EQ(cu->tier, 2);
  EXPECT_TRUE(cu->flags & kHighRiskCountry);
  EXPECT_EQ(cu->rate_micros, 300000u);  // 0.1 x 3
  const Attrs* jp = t->Lookup("81312345678");
  EXPECT_EQ(jp->tier, 0);
  EXPECT_TRUE(jp->flags & kDomestic);
  EXPECT_EQ(jp->rate_micros, 30000u);
  const Attrs* sat = t->Lookup("88161234567");
  EXPECT_EQ(sat->tier, 3);
  EXPECT_TRUE(sat->flags & kIntlNetwork);
}

TEST(TableBuilderTest, OverridesWinWholeByLongestPrefix) {
  TableBuilder b;
  b.AddRange("49", "DE", TG_NUMBER_FIXED_LINE);
  b.AddOverride("49", 3, -1, 0);    // block Germany...
  b.AddOverride("4930", 1, 0, 0);   // ...but allow Berlin, tier 0
  auto t = b.Build(Rules());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Lookup("49891234567")->action, 3);
  const Attrs* berlin = t->Lookup("49301234567");
  EXPECT_EQ(berlin->action, 1);
  EXPECT_EQ(berlin->tier, 0);
}

TEST(TableBuilderTest, BadPrefixesAreRejected) {
  TableBuilder b;
  b.AddRange("4x", "GB", TG_NUMBER_MOBILE);
  EXPECT_FALSE(b.Build(Rules()).ok());
}

TEST(TableBuilderTest, EqualChildrenAreNotStored) {
  TableBuilder b;
  b.AddRange("44", "GB", TG_NUMBER_MOBILE);
  for (int i = 0; i < 10; ++i) b.AddRange("44" + std::to_string(i), "GB", TG_NUMBER_MOBILE);
  auto t = b.Build(Rules());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->entries(), 1u);
}

TEST(TableFilesTest, RateDeckWithHeaderQuotesAndPlus) {
  TableBuilder b;
  ASSERT_TRUE(LoadRateDeckCsv("prefix,description,rate\n+44,\"United Kingdom, fixed\",0.02\n44 7,UK mobile,0.1\n",
                              "deck.csv", &b).ok());
  b.AddRange("44", "GB", TG_NUMBER_FIXED_LINE);
  auto t = b.Build(Rules());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Lookup("4420")->rate_micros, 20000u);
  EXPECT_EQ(t->Lookup("4479")->rate_micros, 100000u);
}

TEST(TableFilesTest, ErrorsNameFileLineAndColumn) {
  TableBuilder b;
  auto s = LoadRateDeckCsv("44,UK,0.02\n33,France,-1\n", "deck.csv", &b);
  EXPECT_NE(std::string(s.message()).find("deck.csv:2:11"), std::string::npos) << s;
  s = LoadOverridesCsv("prefix,action,risk_tier,note\n44,deny,,x\n", "ovr.csv", &b);
  EXPECT_NE(std::string(s.message()).find("ovr.csv:2:4"), std::string::npos) << s;
  s = LoadOverridesCsv("44,block,7,x\n", "ovr.csv", &b);
  EXPECT_NE(std::string(s.message()).find("ovr.csv:1:10"), std::string::npos) << s;
  s = LoadRangeCsv("44,GB,WEIRD\n", "t.csv", &b);
  EXPECT_NE(std::string(s.message()).find("t.csv:1:7"), std::string::npos) << s;
  s = LoadRateDeckCsv("44,\"unterminated,0.1\n", "q.csv", &b);
  EXPECT_FALSE(s.ok());
}


// Rates in every form a deck writes them give the value strtod gives (the plain-decimal fast path and the
// fallback agree); malformed ones are errors with their column.
TEST(TableFilesTest, RateFormsParseExactly) {
  const char* rates[] = {"0.0123", "12", "4.", ".5", "0.123456789012345", "1e-2", "0.1234567890123456789", " 0.25 ",
                         "999.999999", "0"};
  for (const char* r : rates) {
    TableBuilder b;
    const std::string csv = std::string("44,UK,") + r + "\n";
    ASSERT_TRUE(LoadRateDeckCsv(csv, "deck.csv", &b).ok()) << r;
    b.AddRange("44", "GB", TG_NUMBER_FIXED_LINE);
    auto t = b.Build(Rules());
    ASSERT_TRUE(t.ok());
    const double want = std::strtod(r, nullptr);
    EXPECT_EQ(t->Lookup("4420")->rate_micros, static_cast<uint32_t>(std::llround(want * 1e6))) << r;
  }
  for (const char* bad : {"1.2.3", "-0.1", "0x10", "inf", "", ".", "1,5"}) {
    TableBuilder b;
    const std::string csv = std::string("44,UK,") + bad + "\n";
    auto st = LoadRateDeckCsv(csv, "deck.csv", &b);
    if (std::string(bad) == "1,5") {  // a fourth field: the rate is "1"
      EXPECT_TRUE(st.ok()) << bad;
      continue;
    }
    EXPECT_NE(std::string(st.message()).find("deck.csv:1:7"), std::string::npos) << bad << ": " << st;
  }
}

// Lookup builds the candidates' keys from two 8-byte loads when the number has 8+ digits, digit by digit
// otherwise or when a non-digit stops the match: both must give the longest stored prefix, at every
// length up to 15 digits and beyond (the match looks at 15 at most).
TEST(TableBuilderTest, LookupIsTheLongestPrefixAtEveryLength) {
  std::mt19937 rng(11);
  std::vector<std::pair<std::string, uint32_t>> stored;  // prefix, its unique rate in micros
  TableBuilder b;
  for (int i = 0; i < 4000; ++i) {
    std::string p = std::to_string(1 + rng() % 9);
    const int len = static_cast<int>(rng() % 14);  // 1..14 digits
    for (int k = 0; k < len; ++k) p += static_cast<char>('0' + rng() % 3);  // few digits: deep overlaps
    const uint32_t micros = 1000u * static_cast<uint32_t>(i + 1);
    b.AddRate(p, micros / 1e6);
    stored.emplace_back(p, micros);
  }
  auto t = b.Build(Rules());
  ASSERT_TRUE(t.ok()) << t.status();
  std::map<std::string, uint32_t> ref;
  for (const auto& [p, m] : stored) ref[p] = m;  // a later duplicate row wins, as in the build
  for (int i = 0; i < 30000; ++i) {
    std::string n = std::to_string(1 + rng() % 9);
    const int len = static_cast<int>(rng() % 18);
    for (int k = 0; k < len; ++k) n += static_cast<char>('0' + rng() % 3);
    if (rng() % 5 == 0) n[rng() % n.size()] = "x+/ "[rng() % 4];
    uint32_t expect = 0;
    int expect_len = 0;
    for (size_t l = 1; l <= std::min<size_t>(n.size(), 15); ++l) {
      if (n[l - 1] < '0' || n[l - 1] > '9') break;
      auto it = ref.find(n.substr(0, l));
      if (it != ref.end()) {
        expect = it->second;
        expect_len = static_cast<int>(l);
      }
    }
    int got_len = -1;
    const Attrs* a = t->Lookup(n, &got_len);
    ASSERT_EQ(a ? a->rate_micros : 0u, expect) << n;
    if (a) {
      EXPECT_LE(got_len, expect_len) << n;  // equal children are merged into their parent
    }
  }
}

// The build sorts its entries by (prefix, layer, insertion order); the table must not depend on the order
// in which layers and rows were added.
TEST(TableBuilderTest, InsertionOrderDoesNotMatter) {
  struct Row {
    int layer;
    std::string prefix;
    double rate;
  };
  std::vector<Row> rows;
  std::mt19937 rng(5);
  for (int i = 0; i < 3000; ++i) {
    std::string p = std::to_string(1 + rng() % 9);
    const int len = 1 + static_cast<int>(rng() % 9);
    for (int k = 0; k < len; ++k) p += static_cast<char>('0' + rng() % 10);
    rows.push_back({static_cast<int>(rng() % 3), p, 0.001 * (1 + rng() % 5000)});
  }
  auto build = [&](const std::vector<Row>& in) {
    TableBuilder b;
    for (const Row& r : in) {
      if (r.layer == 0) b.AddRange(r.prefix, "GB", static_cast<uint8_t>(static_cast<int>(r.rate * 1000) % 7));
      if (r.layer == 1) b.AddRate(r.prefix, r.rate);
      if (r.layer == 2) b.AddOverride(r.prefix, static_cast<uint8_t>(static_cast<int>(r.rate * 1000) % 4), -1, 0);
    }
    auto t = b.Build(Rules());
    EXPECT_TRUE(t.ok());
    return std::move(*t);
  };
  // Layer order as the loaders add them (ranges, deck, overrides), then shuffled; rows within a layer keep
  // their relative order (a later duplicate row wins in both).
  std::vector<Row> layered;
  for (int layer = 0; layer < 3; ++layer) {
    for (const Row& r : rows) if (r.layer == layer) layered.push_back(r);
  }
  std::vector<Row> shuffled = rows;
  std::stable_sort(shuffled.begin(), shuffled.end(), [](const Row& a, const Row& b) { return a.prefix < b.prefix; });
  const PrefixTable a = build(layered), b = build(shuffled);
  EXPECT_EQ(a.entries(), b.entries());
  for (int i = 0; i < 20000; ++i) {
    std::string n = std::to_string(1 + rng() % 9);
    for (int k = 0; k < 11; ++k) n += static_cast<char>('0' + rng() % 10);
    const Attrs* x = a.Lookup(n);
    const Attrs* y = b.Lookup(n);
    ASSERT_EQ(x == nullptr, y == nullptr) << n;
    if (x) {
      EXPECT_TRUE(*x == *y) << n;
    }
  }
}

}  // namespace
}  // namespace tollguard::destination
