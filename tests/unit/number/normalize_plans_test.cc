// Normalize under each home country's dial plan: international, national and local forms.
#include "gtest/gtest.h"
#include "lib/number/normalizer.h"
#include "tests/unit/number/number_test_util.h"

namespace tollguard::number {
namespace {

using testing::Err;
using testing::Norm;
using testing::Plan;

// --- Japan

TEST(NormalizeJapan, AreaCodeNumberDropsTrunkZero) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "03-1234-5678"), "81312345678");
  EXPECT_EQ(Norm(jp, "06 6123 4567"), "81661234567");
}

TEST(NormalizeJapan, SapporoZeroElevenIsDomesticNotInternational) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "011-123-4567"), "81111234567");
  EXPECT_EQ(Norm(jp, "0112345678"), "81112345678");
}

TEST(NormalizeJapan, MobilesTollFreeAndNaviDial) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "090-1234-5678"), "819012345678");
  EXPECT_EQ(Norm(jp, "080 1234 5678"), "818012345678");
  EXPECT_EQ(Norm(jp, "070-1234-5678"), "817012345678");
  EXPECT_EQ(Norm(jp, "0120-123-456"), "81120123456");
  EXPECT_EQ(Norm(jp, "0800-123-4567"), "818001234567");
  EXPECT_EQ(Norm(jp, "0570-123-456"), "81570123456");
}

TEST(NormalizeJapan, ZeroOneZeroIsInternational) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "010-1-212-555-0100"), "12125550100");
  EXPECT_EQ(Norm(jp, "010 44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(jp, "010 81 3 1234 5678"), "81312345678");
}

TEST(NormalizeJapan, CarrierCodeBeforeZeroOneZeroIsInternational) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "0033 010 1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(jp, "0041-010-44-20-7946-0000"), "442079460000");
  EXPECT_EQ(Norm(jp, "0061010442079460000"), "442079460000");
  EXPECT_EQ(Norm(jp, "001 010 63 2 8123 4567"), "63281234567");
  EXPECT_EQ(Norm(jp, "0036 010 1 876 555 0100"), "18765550100");
  EXPECT_EQ(Norm(jp, "0039 010 1 876 555 0100"), "18765550100");
  EXPECT_EQ(Norm(jp, "0046 010 1 876 555 0100"), "18765550100");
}

TEST(NormalizeJapan, KddiDirectZeroZeroOneIsInternationalWithoutZeroOneZero) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "001 1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(jp, "001-44-20-7946-0000"), "442079460000");
}

TEST(NormalizeJapan, CarrierCodeBeforeTrunkZeroIsDomestic) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "0033 03 1234 5678"), "81312345678");
  EXPECT_EQ(Norm(jp, "001 090 1234 5678"), "819012345678");
}

TEST(NormalizeJapan, UnknownDoubleZeroAccessCodeIsCountryError) {
  // 00 + cc is how Europe dials abroad, not Japan: the destination can't be told, so it is not domestic.
  EXPECT_EQ(Norm(Plan("JP"), "0044 20 7946 0000"), Err(TG_E_NUMBER_COUNTRY));
}

TEST(NormalizeJapan, LocalNumberWithoutAreaCodeIsTakenAsNationalNumber) {
  EXPECT_EQ(Norm(Plan("JP"), "1234-5678"), "8112345678");
}

TEST(NormalizeJapan, PoliceAndFireCodesAreTooShort) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "110"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(jp, "119"), Err(TG_E_NUMBER_TOO_SHORT));
}

// --- NANP

TEST(NormalizeUs, CaribbeanAreaCodesStayUnderPlusOne) {
  DialPlan us = Plan("US");
  EXPECT_EQ(Norm(us, "1-876-555-0100"), "18765550100");  // Jamaica
  EXPECT_EQ(Norm(us, "1 284 555 0100"), "12845550100");  // British Virgin Islands
  EXPECT_EQ(Norm(us, "1 (473) 555-0100"), "14735550100");  // Grenada
}

TEST(NormalizeUs, ZeroOneOneIsInternational) {
  DialPlan us = Plan("US");
  EXPECT_EQ(Norm(us, "011 44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(us, "011-81-3-1234-5678"), "81312345678");
  EXPECT_EQ(Norm(us, "011 1 212 555 0100"), "12125550100");
}

TEST(NormalizeUs, TenAndElevenDigitNationalForms) {
  DialPlan us = Plan("US");
  EXPECT_EQ(Norm(us, "212-555-0100"), "12125550100");
  EXPECT_EQ(Norm(us, "(212) 555-0100"), "12125550100");
  EXPECT_EQ(Norm(us, "1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(us, "12125550100"), "12125550100");
}

TEST(NormalizeUs, SevenDigitLocalNeedsConfiguredAreaCode) {
  EXPECT_EQ(Norm(Plan("US", "", "212"), "555-0100"), "12125550100");
  EXPECT_EQ(Norm(Plan("US"), "555-0100"), Err(TG_E_NUMBER_TOO_SHORT));
  // Ten digits still win over the configured area code.
  EXPECT_EQ(Norm(Plan("US", "", "212"), "415 555 0100"), "14155550100");
}

TEST(NormalizeUs, WrongLengthsAreRejected) {
  DialPlan us = Plan("US");
  EXPECT_EQ(Norm(us, "911"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(us, "1 212 555 010"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(us, "1 212 555 01009"), Err(TG_E_NUMBER_TOO_LONG));
  EXPECT_EQ(Norm(us, "21255501001"), Err(TG_E_NUMBER_TOO_LONG));  // 11 digits not starting with 1
  EXPECT_EQ(Norm(us, "0044 20 7946 0000"), Err(TG_E_NUMBER_TOO_LONG));
}

TEST(NormalizeCanada, SameRulesAsUs) {
  DialPlan ca = Plan("CA");
  EXPECT_TRUE(ca.nanp);
  EXPECT_EQ(Norm(ca, "416-555-0100"), "14165550100");
  EXPECT_EQ(Norm(ca, "1-876-555-0100"), "18765550100");
  EXPECT_EQ(Norm(ca, "011 33 1 23 45 67 89"), "33123456789");
  EXPECT_EQ(Norm(Plan("CA", "", "604"), "555 0100"), "16045550100");
}

TEST(NormalizeNanpRegion, JamaicaDialsLikeTheUs) {
  DialPlan jm = Plan("JM");
  EXPECT_TRUE(jm.nanp);
  EXPECT_EQ(Norm(jm, "876 555 0100"), "18765550100");
  EXPECT_EQ(Norm(jm, "1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(jm, "011 44 20 7946 0000"), "442079460000");
}

// --- Europe

TEST(NormalizeUk, TrunkZeroAndDoubleZero) {
  DialPlan gb = Plan("GB");
  EXPECT_EQ(Norm(gb, "020 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(gb, "07700 900123"), "447700900123");
  EXPECT_EQ(Norm(gb, "00 49 30 1234567"), "49301234567");
  EXPECT_EQ(Norm(gb, "00 1 876 555 0100"), "18765550100");
  EXPECT_EQ(Norm(gb, "999"), Err(TG_E_NUMBER_TOO_SHORT));
}

TEST(NormalizeGermany, TrunkZeroAndDoubleZero) {
  DialPlan de = Plan("DE");
  EXPECT_EQ(Norm(de, "030 1234567"), "49301234567");
  EXPECT_EQ(Norm(de, "030/1234567"), "49301234567");
  EXPECT_EQ(Norm(de, "0151 23456789"), "4915123456789");
  EXPECT_EQ(Norm(de, "0044 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(de, "00 49 30 1234567"), "49301234567");
  EXPECT_EQ(Norm(de, "112"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(de, "110"), Err(TG_E_NUMBER_TOO_SHORT));
}

TEST(NormalizeFrance, TrunkZeroAndDoubleZero) {
  DialPlan fr = Plan("FR");
  EXPECT_EQ(Norm(fr, "01 23 45 67 89"), "33123456789");
  EXPECT_EQ(Norm(fr, "06.12.34.56.78"), "33612345678");
  EXPECT_EQ(Norm(fr, "00 1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(fr, "15"), Err(TG_E_NUMBER_TOO_SHORT));
}

TEST(NormalizeItaly, NoTrunkPrefixKeepsTheLeadingZero) {
  DialPlan it = Plan("IT");
  EXPECT_EQ(Norm(it, "06 1234 5678"), "390612345678");
  EXPECT_EQ(Norm(it, "00 33 1 23 45 67 89"), "33123456789");
  EXPECT_EQ(Norm(it, "112"), Err(TG_E_NUMBER_TOO_SHORT));
}

TEST(NormalizeHungary, TwoDigitTrunkPrefix) {
  EXPECT_EQ(Norm(Plan("HU"), "06 1 234 5678"), "3612345678");
}

TEST(NormalizeRussia, EightTrunkAndEightTenInternational) {
  DialPlan ru = Plan("RU");
  EXPECT_EQ(Norm(ru, "8 495 123-45-67"), "74951234567");
  EXPECT_EQ(Norm(ru, "8 800 123 45 67"), "78001234567");
  EXPECT_EQ(Norm(ru, "8 10 44 20 7946 0000"), "442079460000");
}

// --- Australia

TEST(NormalizeAustralia, ZeroZeroOneOneAndTrunkZero) {
  DialPlan au = Plan("AU");
  EXPECT_EQ(Norm(au, "02 9876 5432"), "61298765432");
  EXPECT_EQ(Norm(au, "0412 345 678"), "61412345678");
  EXPECT_EQ(Norm(au, "0011 44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(au, "0011 1 212 555 0100"), "12125550100");
}

TEST(NormalizeAustralia, MetadataCarrierPrefixesAreInternational) {
  DialPlan au = Plan("AU");
  EXPECT_EQ(Norm(au, "0014 44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(au, "1411 0011 44 20 7946 0000"), "442079460000");
}

TEST(NormalizeAustralia, EuropeanDoubleZeroAndEmergencyAreErrors) {
  DialPlan au = Plan("AU");
  EXPECT_EQ(Norm(au, "00 44 20 7946 0000"), Err(TG_E_NUMBER_COUNTRY));
  EXPECT_EQ(Norm(au, "000"), Err(TG_E_NUMBER_TOO_SHORT));
}

// --- Countries whose plans come straight from the metadata

TEST(NormalizeBrazil, CarrierCodeAfterDoubleZeroIsInternational) {
  DialPlan br = Plan("BR");
  EXPECT_EQ(Norm(br, "00 21 1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(br, "0041 44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(br, "0015 1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(br, "(011) 91234-5678"), "5511912345678");
}

TEST(NormalizeThailand, EveryZeroZeroDigitPrefixIsInternational) {
  DialPlan th = Plan("TH");
  EXPECT_EQ(Norm(th, "001 44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(th, "009 1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(th, "02 123 4567"), "6621234567");
  EXPECT_EQ(Norm(th, "081 234 5678"), "66812345678");
}

TEST(NormalizeSingapore, NoTrunkPrefixAndZeroXyInternational) {
  DialPlan sg = Plan("SG");
  EXPECT_EQ(Norm(sg, "6123 4567"), "6561234567");
  EXPECT_EQ(Norm(sg, "001 1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(sg, "019 44 20 7946 0000"), "442079460000");
}

TEST(NormalizeEveryRegion, InternationalPrefixReachesLondon) {
  // Every plan MakeDialPlan builds, through its longest international prefix.
  for (const char* iso : {"AR", "BO", "CL", "CN", "CO", "FI", "HK", "IL", "KH", "KR", "MU", "MX", "NZ",
                          "PE", "SC", "TW", "UA", "UY", "UZ", "CV", "WS", "MH"}) {
    DialPlan plan = Plan(iso);
    ASSERT_GT(plan.n_intl_prefixes, 0) << iso;
    std::string dialed = std::string(plan.intl_prefixes[0].view()) + " 44 20 7946 0000";
    EXPECT_EQ(Norm(plan, dialed), "442079460000") << iso << " " << dialed;
  }
}

}  // namespace
}  // namespace tollguard::number
