// MakeDialPlan: plans from libphonenumber's metadata, JP carrier codes, and rejection of bad arguments.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/number/metadata.h"
#include "lib/number/normalizer.h"
#include "tests/unit/number/number_test_util.h"

namespace tollguard::number {
namespace {

using ::testing::HasSubstr;
using testing::Norm;
using testing::Plan;

std::vector<std::string> IntlPrefixes(const DialPlan& plan) {
  std::vector<std::string> out;
  for (int i = 0; i < plan.n_intl_prefixes; ++i) out.emplace_back(plan.intl_prefixes[i].view());
  return out;
}

TEST(MakeDialPlan, JapanHasZeroOneZeroTrunkZeroAndCarrierCodes) {
  DialPlan jp = Plan("JP");
  EXPECT_STREQ(jp.iso, "JP");
  EXPECT_EQ(jp.cc.view(), "81");
  EXPECT_EQ(jp.trunk_prefix.view(), "0");
  EXPECT_EQ(IntlPrefixes(jp), std::vector<std::string>{"010"});
  EXPECT_FALSE(jp.nanp);
  std::vector<std::string> carriers;
  for (int i = 0; i < jp.n_carrier_codes; ++i) carriers.emplace_back(jp.carrier_codes[i].view());
  EXPECT_THAT(carriers, ::testing::IsSupersetOf({"001", "0033", "0041", "0061"}));
}

TEST(MakeDialPlan, NanpRegionsUseZeroOneOneAndTrunkOne) {
  for (const char* iso : {"US", "CA", "JM", "PR", "BS", "TT", "VG", "GD"}) {
    DialPlan plan = Plan(iso);
    EXPECT_TRUE(plan.nanp) << iso;
    EXPECT_EQ(plan.cc.view(), "1") << iso;
    EXPECT_EQ(plan.trunk_prefix.view(), "1") << iso;
    EXPECT_EQ(IntlPrefixes(plan), std::vector<std::string>{"011"}) << iso;
  }
}

TEST(MakeDialPlan, EuropeUsesDoubleZeroAndTrunkZero) {
  for (const char* iso : {"GB", "DE", "FR"}) {
    DialPlan plan = Plan(iso);
    EXPECT_FALSE(plan.nanp) << iso;
    EXPECT_EQ(plan.trunk_prefix.view(), "0") << iso;
    EXPECT_EQ(IntlPrefixes(plan), std::vector<std::string>{"00"}) << iso;
  }
  EXPECT_EQ(Plan("IT").trunk_prefix.view(), "");  // closed numbering plan
}

TEST(MakeDialPlan, AustraliaExpandsMetadataRegexLongestFirst) {
  std::vector<std::string> prefixes = IntlPrefixes(Plan("AU"));
  EXPECT_THAT(prefixes, ::testing::IsSupersetOf({"0011", "0014", "0015", "0016", "0018", "0019", "14110011"}));
  for (size_t i = 1; i < prefixes.size(); ++i) EXPECT_GE(prefixes[i - 1].size(), prefixes[i].size());
  EXPECT_EQ(Plan("AU").trunk_prefix.view(), "0");
}

TEST(MakeDialPlan, BrazilAndThailandTakeMetadataAlternatives) {
  EXPECT_THAT(IntlPrefixes(Plan("BR")), ::testing::IsSupersetOf({"0012", "0014", "0015", "0021", "0041"}));
  EXPECT_THAT(IntlPrefixes(Plan("BR")), ::testing::Not(::testing::Contains("00")));
  EXPECT_EQ(IntlPrefixes(Plan("TH")).size(), 9u);  // 00[1-9]
}

TEST(MakeDialPlan, TooManyAlternativesFallBackToPreferredPrefix) {
  EXPECT_EQ(IntlPrefixes(Plan("CN")), std::vector<std::string>{"00"});
  EXPECT_EQ(IntlPrefixes(Plan("RU")), std::vector<std::string>{"810"});  // "8~10" without the wait
  EXPECT_EQ(Plan("RU").trunk_prefix.view(), "8");
}

TEST(MakeDialPlan, CountryIsCaseInsensitive) {
  EXPECT_STREQ(Plan("jp").iso, "JP");
  EXPECT_EQ(Plan("gB").cc.view(), "44");
}

TEST(MakeDialPlan, CarrierCodesOnlyForJapan) {
  EXPECT_EQ(Plan("US").n_carrier_codes, 0);
  EXPECT_EQ(Plan("DE").n_carrier_codes, 0);
}

TEST(MakeDialPlan, KeepsOutsideLineAndLocalAreaCode) {
  DialPlan us = Plan("US", "9", "212");
  EXPECT_EQ(us.outside_line.view(), "9");
  EXPECT_EQ(us.local_area_code.view(), "212");
  EXPECT_EQ(Plan("JP", "000").outside_line.view(), "000");
}

TEST(MakeDialPlan, RejectsUnknownCountryNamingIt) {
  for (const char* bad : {"XX", "ZZ", "", "J", "JPN", "1A", "001", "U\xC5"}) {
    absl::StatusOr<DialPlan> plan = MakeDialPlan(bad);
    ASSERT_FALSE(plan.ok()) << bad;
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(std::string(MakeDialPlan("XX").status().message()), HasSubstr("'XX'"));
}

TEST(MakeDialPlan, RejectsMalformedOutsideLineNamingIt) {
  for (const char* bad : {"9a", "1234", "+", " 9", "*"}) {
    absl::StatusOr<DialPlan> plan = MakeDialPlan("US", bad);
    ASSERT_FALSE(plan.ok()) << bad;
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(plan.status().message()), HasSubstr("outside_line"));
    EXPECT_THAT(std::string(plan.status().message()), HasSubstr(std::string("'") + bad + "'"));
  }
  absl::StatusOr<DialPlan> nul = MakeDialPlan("US", std::string_view("9\0", 2));
  ASSERT_FALSE(nul.ok());
  EXPECT_THAT(std::string(nul.status().message()), HasSubstr("'9\\x00'"));
}

TEST(MakeDialPlan, RejectsMalformedLocalAreaCodeNamingIt) {
  for (const char* bad : {"21", "2125", "21a", "012", "112"}) {
    absl::StatusOr<DialPlan> plan = MakeDialPlan("US", "", bad);
    ASSERT_FALSE(plan.ok()) << bad;
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(plan.status().message()), HasSubstr(std::string("'") + bad + "'"));
  }
}

TEST(MakeDialPlan, RejectsLocalAreaCodeOutsideNanp) {
  absl::StatusOr<DialPlan> plan = MakeDialPlan("DE", "", "212");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(plan.status().message()), HasSubstr("'212'"));
}

TEST(MakeDialPlan, EveryMetadataRegionBuildsAndDialsLondon) {
  ASSERT_GE(internal::RegionCount(), 240);
  for (int i = 0; i < internal::RegionCount(); ++i) {
    const internal::RegionDialData& region = internal::RegionAt(i);
    absl::StatusOr<DialPlan> plan = MakeDialPlan(region.iso);
    ASSERT_TRUE(plan.ok()) << region.iso << ": " << plan.status();
    EXPECT_EQ(plan->nanp, std::string(region.cc) == "1") << region.iso;
    EXPECT_EQ(CountryCodeLength(plan->cc.view()), static_cast<int>(plan->cc.view().size())) << region.iso;
    ASSERT_GT(plan->n_intl_prefixes, 0) << region.iso;
    // Through every one of its international prefixes.
    for (int p = 0; p < plan->n_intl_prefixes; ++p) {
      std::string dialed = std::string(plan->intl_prefixes[p].view()) + " 44 20 7946 0000";
      EXPECT_EQ(Norm(*plan, dialed), "442079460000") << region.iso << ": " << dialed;
    }
    EXPECT_EQ(Norm(*plan, "+44 20 7946 0000"), "442079460000") << region.iso;
  }
}

TEST(CountryCodeLength, AssignedCodesOfEachLength) {
  EXPECT_EQ(CountryCodeLength("12125550100"), 1);
  EXPECT_EQ(CountryCodeLength("74951234567"), 1);
  EXPECT_EQ(CountryCodeLength("442079460000"), 2);
  EXPECT_EQ(CountryCodeLength("81312345678"), 2);
  EXPECT_EQ(CountryCodeLength("880212345678"), 3);
  EXPECT_EQ(CountryCodeLength("358"), 3);
}

TEST(CountryCodeLength, NonGeographicCodesAreAssigned) {
  for (const char* code : {"800", "808", "870", "878", "881", "882", "883", "888", "979"}) {
    EXPECT_EQ(CountryCodeLength(code), 3) << code;
  }
}

TEST(CountryCodeLength, UnassignedOrMalformedIsZero) {
  EXPECT_EQ(CountryCodeLength(""), 0);
  EXPECT_EQ(CountryCodeLength("0"), 0);
  EXPECT_EQ(CountryCodeLength("0044"), 0);
  EXPECT_EQ(CountryCodeLength("999"), 0);
  EXPECT_EQ(CountryCodeLength("80"), 0);
  EXPECT_EQ(CountryCodeLength("801"), 0);
  EXPECT_EQ(CountryCodeLength("35"), 0);  // only a prefix of 350..359
  EXPECT_EQ(CountryCodeLength("4"), 0);
  EXPECT_EQ(CountryCodeLength("a1"), 0);
  EXPECT_EQ(CountryCodeLength("8a1"), 0);
  EXPECT_EQ(CountryCodeLength(std::string_view("4\0" "4", 3)), 0);
}

TEST(CountryCodeLength, EveryGeneratedCodeAndNothingElse) {
  EXPECT_EQ(internal::CountryCodeCount(), 215);  // libphonenumber 8.12.57
  int assigned = 0;
  for (int v = 1; v <= 999; ++v) {
    std::string s = std::to_string(v);
    if (CountryCodeLength(s) == static_cast<int>(s.size())) ++assigned;
  }
  EXPECT_EQ(assigned, internal::CountryCodeCount());
  for (int i = 0; i < internal::CountryCodeCount(); ++i) {
    const internal::CountryCodeData& c = internal::CountryCodeAt(i);
    std::string s = std::to_string(c.cc);
    EXPECT_EQ(CountryCodeLength(s + "123456"), static_cast<int>(s.size())) << s;
    EXPECT_GE(c.min_national_len, 4) << s;  // short codes (110, 112, 911) can never be numbers
  }
}

}  // namespace
}  // namespace tollguard::number
