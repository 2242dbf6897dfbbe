// Every error status of Normalize, and that a failed call leaves *out empty.
#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "lib/number/normalizer.h"
#include "tests/unit/number/number_test_util.h"

namespace tollguard::number {
namespace {

using testing::Err;
using testing::Norm;
using testing::Plan;

TEST(NormalizeEmpty, NoDigitsAtAll) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, ""), Err(TG_E_NUMBER_EMPTY));
  EXPECT_EQ(Norm(jp, std::string_view()), Err(TG_E_NUMBER_EMPTY));
  EXPECT_EQ(Norm(jp, "+"), Err(TG_E_NUMBER_EMPTY));
  EXPECT_EQ(Norm(jp, "sip:@example.com"), Err(TG_E_NUMBER_EMPTY));
  EXPECT_EQ(Norm(jp, "tel:"), Err(TG_E_NUMBER_EMPTY));
  EXPECT_EQ(Norm(jp, "tel:;phone-context=+81"), Err(TG_E_NUMBER_EMPTY));
}

TEST(NormalizeEmpty, OnlySeparators) {
  EXPECT_EQ(Norm(Plan("US"), " \t- ( ) . / "), Err(TG_E_NUMBER_EMPTY));
  EXPECT_EQ(Norm(Plan("US"), "+ ( ) -"), Err(TG_E_NUMBER_EMPTY));
}

TEST(NormalizeChars, LettersAndVanityNumbers) {
  DialPlan us = Plan("US");
  EXPECT_EQ(Norm(us, "abc"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(us, "1-800-FLOWERS"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(us, "212 555 0100 x12"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(us, "sip:alice@example.com"), Err(TG_E_NUMBER_CHARS));
}

TEST(NormalizeChars, StarAndHashServiceCodes) {
  DialPlan us = Plan("US");
  EXPECT_EQ(Norm(us, "*67 212 555 0100"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(us, "#31#2125550100"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(us, "*72"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(us, "tel:*67-212-555-0100"), Err(TG_E_NUMBER_CHARS));
}

TEST(NormalizeChars, AtSignOrPercentOutsideUri) {
  DialPlan de = Plan("DE");
  EXPECT_EQ(Norm(de, "+4930123456@example.com"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(de, "%2B4930123456"), Err(TG_E_NUMBER_CHARS));
}

TEST(NormalizeChars, MisplacedOrRepeatedPlus) {
  DialPlan de = Plan("DE");
  EXPECT_EQ(Norm(de, "++49 30 1234567"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(de, "0049+30 1234567"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(de, "+49 30 1234567+"), Err(TG_E_NUMBER_CHARS));
}

TEST(NormalizeChars, ControlBytesAndEmbeddedNul) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, std::string_view("0312\0" "345678", 11)), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(jp, std::string_view("\0", 1)), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(jp, "03\r\n12345678"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(jp, "\x7f" "0312345678"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(jp, "sip:%00312345678@host"), Err(TG_E_NUMBER_CHARS));
}

TEST(NormalizeChars, NonAsciiDigitsAndSpaces) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "\xEF\xBC\x90\xEF\xBC\x93-1234-5678"), Err(TG_E_NUMBER_CHARS));  // full-width 03
  EXPECT_EQ(Norm(jp, "03\xC2\xA0" "1234 5678"), Err(TG_E_NUMBER_CHARS));  // NBSP is not a separator
  EXPECT_EQ(Norm(jp, "\xFF\xFE"), Err(TG_E_NUMBER_CHARS));
}

TEST(NormalizeChars, BrokenPercentEscapeInUri) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "sip:%2@host"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(jp, "sip:+81%G3@host"), Err(TG_E_NUMBER_CHARS));
  EXPECT_EQ(Norm(jp, "sip:0312345678%"), Err(TG_E_NUMBER_CHARS));
}

TEST(NormalizeTooLong, SixteenDigits) {
  EXPECT_EQ(Norm(Plan("JP"), "+1234567890123456"), Err(TG_E_NUMBER_TOO_LONG));
  EXPECT_EQ(Norm(Plan("JP"), "+123456789012345"), "123456789012345");  // 15 is the limit
  EXPECT_EQ(Norm(Plan("US"), "011 44 20 7946 0000 12345"), Err(TG_E_NUMBER_TOO_LONG));
  // 0 + 14 national digits: 81 + 14 = 16 E.164 digits.
  EXPECT_EQ(Norm(Plan("JP"), "0 12345678901234"), Err(TG_E_NUMBER_TOO_LONG));
}

TEST(NormalizeTooLong, InputOverMaxDialedLen) {
  DialPlan de = Plan("DE");
  EXPECT_EQ(Norm(de, std::string(300, '1')), Err(TG_E_NUMBER_TOO_LONG));
  EXPECT_EQ(Norm(de, std::string(300, ' ')), Err(TG_E_NUMBER_TOO_LONG));
  EXPECT_EQ(Norm(de, std::string(300, 'x')), Err(TG_E_NUMBER_TOO_LONG));
  // Exactly TG_MAX_DIALED_LEN bytes is still read.
  std::string padded = "+49301234567";
  padded.append(TG_MAX_DIALED_LEN - padded.size(), ' ');
  ASSERT_EQ(padded.size(), static_cast<size_t>(TG_MAX_DIALED_LEN));
  EXPECT_EQ(Norm(de, padded), "49301234567");
  EXPECT_EQ(Norm(de, padded + " "), Err(TG_E_NUMBER_TOO_LONG));
}

TEST(NormalizeCountry, UnassignedCallingCodes) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "+999 1234 5678"), Err(TG_E_NUMBER_COUNTRY));
  EXPECT_EQ(Norm(jp, "+80 1234 5678"), Err(TG_E_NUMBER_COUNTRY));
  EXPECT_EQ(Norm(jp, "+80"), Err(TG_E_NUMBER_COUNTRY));
  EXPECT_EQ(Norm(jp, "+0 312 345 678"), Err(TG_E_NUMBER_COUNTRY));
  EXPECT_EQ(Norm(jp, "010 999 1234 5678"), Err(TG_E_NUMBER_COUNTRY));
  EXPECT_EQ(Norm(Plan("US"), "011 289 1234 5678"), Err(TG_E_NUMBER_COUNTRY));
}

TEST(NormalizeTooShort, ServiceCodesDialedAsIs) {
  EXPECT_EQ(Norm(Plan("JP"), "110"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(Plan("US"), "911"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(Plan("DE"), "112"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(Plan("AU"), "000"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(Plan("ES"), "112"), Err(TG_E_NUMBER_TOO_SHORT));
}

TEST(NormalizeTooShort, NationalPartBelowMetadataMinimum) {
  EXPECT_EQ(Norm(Plan("JP"), "+1 212 555"), Err(TG_E_NUMBER_TOO_SHORT));  // +1 needs 10
  EXPECT_EQ(Norm(Plan("JP"), "+1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(Plan("JP"), "+81 3 1234 56"), Err(TG_E_NUMBER_TOO_SHORT));  // +81 needs 8
  EXPECT_EQ(Norm(Plan("JP"), "+81 3 1234 567"), "8131234567");
  EXPECT_EQ(Norm(Plan("JP"), "+44"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(Plan("JP"), "0"), Err(TG_E_NUMBER_TOO_SHORT));
}

TEST(NormalizeTooShort, NothingAfterInternationalPrefix) {
  EXPECT_EQ(Norm(Plan("US"), "011"), Err(TG_E_NUMBER_TOO_SHORT));
  EXPECT_EQ(Norm(Plan("JP"), "0033 010"), Err(TG_E_NUMBER_TOO_SHORT));
}

TEST(NormalizeOutput, ErrorLeavesOutputEmpty) {
  E164 out;
  ASSERT_EQ(Normalize(Plan("JP"), "+81312345678", &out), TG_OK);
  ASSERT_EQ(Normalize(Plan("JP"), "+999 1234 5678", &out), TG_E_NUMBER_COUNTRY);
  EXPECT_EQ(out.len, 0);
  EXPECT_EQ(out.cc_len, 0);
  EXPECT_STREQ(out.digits, "");
}

TEST(NormalizeOutput, NullOutputIsInvalidArgument) {
  EXPECT_EQ(Normalize(Plan("JP"), "+81312345678", nullptr), TG_E_INVALID_ARGUMENT);
}

TEST(NormalizeOutput, DefaultPlanStillReadsGlobalNumbers) {
  DialPlan none;  // not from MakeDialPlan: no country code, no prefixes
  EXPECT_EQ(Norm(none, "+44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(none, "0312345678"), Err(TG_E_NUMBER_COUNTRY));
}

TEST(NormalizeOutput, UnterminatedFieldsOfHandMadePlanAreBounded) {
  DialPlan plan = Plan("DE");
  std::memset(plan.cc.s, '9', sizeof(plan.cc.s));                // "9999", no NUL
  plan.cc.len = 255;                                             // longer than the field
  std::memset(plan.trunk_prefix.s, '0', sizeof(plan.trunk_prefix.s));
  plan.trunk_prefix.len = 255;
  std::memset(plan.outside_line.s, '7', sizeof(plan.outside_line.s));
  plan.outside_line.len = 255;
  plan.n_intl_prefixes = 255;                                    // more than the array holds
  plan.n_carrier_codes = 255;
  for (auto& c : plan.carrier_codes) {
    std::memset(c.s, '5', sizeof(c.s));
    c.len = 255;
  }
  E164 out;
  tg_status status = Normalize(plan, "0000 30 1234567", &out);
  EXPECT_NE(status, TG_OK);
  EXPECT_EQ(Norm(plan, "+49 30 1234567"), "49301234567");
}

}  // namespace
}  // namespace tollguard::number
