// Normalize's input forms: +E.164 with separators, sip:/sips:/tel: URIs, and the PBX outside-line digit.
#include <string>

#include "gtest/gtest.h"
#include "lib/number/normalizer.h"
#include "tests/unit/number/number_test_util.h"

namespace tollguard::number {
namespace {

using testing::Err;
using testing::Norm;
using testing::Plan;

TEST(NormalizePlusForm, SeparatorsAreDropped) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "+44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(jp, "+1 (212) 555-0100"), "12125550100");
  EXPECT_EQ(Norm(jp, "+33.1.23.45.67.89"), "33123456789");
  EXPECT_EQ(Norm(jp, "+49/30/1234567"), "49301234567");
  EXPECT_EQ(Norm(jp, "\t+81-3-1234-5678 "), "81312345678");
}

TEST(NormalizePlusForm, IgnoresTheDialPlan) {
  // US trunk '1', JP international 010, DE trunk 0: none of them applies after a '+'.
  EXPECT_EQ(Norm(Plan("US"), "+12125550100"), "12125550100");
  EXPECT_EQ(Norm(Plan("JP"), "+81312345678"), "81312345678");
  EXPECT_EQ(Norm(Plan("DE"), "+49301234567"), "49301234567");
}

TEST(NormalizePlusForm, SetsCountryCodeLength) {
  E164 out;
  ASSERT_EQ(Normalize(Plan("JP"), "+1 212 555 0100", &out), TG_OK);
  EXPECT_EQ(out.cc_len, 1);
  ASSERT_EQ(Normalize(Plan("JP"), "+44 20 7946 0000", &out), TG_OK);
  EXPECT_EQ(out.cc_len, 2);
  ASSERT_EQ(Normalize(Plan("JP"), "+880 2 1234 5678", &out), TG_OK);
  EXPECT_EQ(out.cc_len, 3);
  EXPECT_EQ(out.len, 12);
  EXPECT_STREQ(out.digits, "880212345678");
}

TEST(NormalizePlusForm, NationalFormsSetCountryCodeLengthToo) {
  E164 out;
  ASSERT_EQ(Normalize(Plan("JP"), "03-1234-5678", &out), TG_OK);
  EXPECT_EQ(out.cc_len, 2);
  ASSERT_EQ(Normalize(Plan("US"), "212 555 0100", &out), TG_OK);
  EXPECT_EQ(out.cc_len, 1);
}

// The digits-only fast path checks eight bytes at a time: a byte just outside '0'..'9' (or above 0x7f)
// at any position of any length must still send the string to the lexer, which refuses it, and a
// separator anywhere must give the same number as without it.
TEST(NormalizePlusForm, EveryPositionOfEveryLengthIsChecked) {
  DialPlan jp = Plan("JP");
  const std::string digits = "0101212555010098765";  // 010 + a NANP number + spare digits
  for (size_t len = 1; len <= digits.size(); ++len) {
    for (const std::string& lead : {std::string(), std::string("+")}) {
      const std::string plain = lead + digits.substr(0, len);
      const std::string expect = Norm(jp, plain);
      for (size_t pos = lead.size(); pos < plain.size(); ++pos) {
        for (int bad : {int{':'}, 0x7f, 0x80, 0xba, 0xff}) {  // ':' borders '9'; 0xba ^ '0' = 0x8a
          std::string s = plain;
          s[pos] = static_cast<char>(bad);
          EXPECT_EQ(Norm(jp, s), Err(TG_E_NUMBER_CHARS)) << "len " << len << " pos " << pos << " byte " << bad;
        }
        std::string slash = plain, without = plain;  // '/' borders '0' and is a separator
        slash[pos] = '/';
        without.erase(pos, 1);
        EXPECT_EQ(Norm(jp, slash), Norm(jp, without)) << slash;
        if (pos > lead.size()) {
          std::string sep = plain;
          sep.insert(pos, "-");
          EXPECT_EQ(Norm(jp, sep), expect) << sep;
        }
      }
    }
  }
}

TEST(NormalizeSipUri, UserPartOfGlobalNumber) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "sip:+4930123456@example.com;user=phone"), "4930123456");
  EXPECT_EQ(Norm(jp, "sips:+1-212-555-0100@sbc.example.com:5061;transport=tls"), "12125550100");
  EXPECT_EQ(Norm(jp, "SIP:+81312345678@EXAMPLE.JP"), "81312345678");
  EXPECT_EQ(Norm(jp, "sip:+12125550100@host?Subject=call%20me&Priority=urgent"), "12125550100");
}

TEST(NormalizeSipUri, LocalUserPartGoesThroughTheDialPlan) {
  EXPECT_EQ(Norm(Plan("JP"), "sip:0312345678@pbx.example.jp"), "81312345678");
  EXPECT_EQ(Norm(Plan("JP"), "sip:0101212555 0100@pbx"), "12125550100");
  EXPECT_EQ(Norm(Plan("US"), "sip:011442079460000@10.0.0.1:5060;user=phone"), "442079460000");
}

TEST(NormalizeSipUri, UserPartParametersAreDropped) {
  EXPECT_EQ(Norm(Plan("DE"), "sip:030-1234567;isub=12@host;user=phone"), "49301234567");
}

TEST(NormalizeSipUri, PercentEncodedPlus) {
  DialPlan us = Plan("US");
  EXPECT_EQ(Norm(us, "sip:%2B442079460000@host"), "442079460000");
  EXPECT_EQ(Norm(us, "sip:%2b81-3-1234-5678@host"), "81312345678");
}

TEST(NormalizeSipUri, WithoutHostTheBodyIsTheNumber) {
  EXPECT_EQ(Norm(Plan("GB"), "sip:+442079460000;user=phone"), "442079460000");
}

TEST(NormalizeTelUri, GlobalNumberWithParameters) {
  DialPlan gb = Plan("GB");
  EXPECT_EQ(Norm(gb, "tel:+1-212-555-0100"), "12125550100");
  EXPECT_EQ(Norm(gb, "tel:+1-212-555-0100;ext=123"), "12125550100");
  EXPECT_EQ(Norm(gb, "TEL:+44.20.7946.0000;phone-context=+1"), "442079460000");  // global: context ignored
}

TEST(NormalizeTelUri, PhoneContextPrefixesLocalNumber) {
  DialPlan jp = Plan("JP");
  EXPECT_EQ(Norm(jp, "tel:555-0100;phone-context=+1-212"), "12125550100");
  EXPECT_EQ(Norm(jp, "tel:7946-0000;ext=1;phone-context=+44-20"), "442079460000");
  EXPECT_EQ(Norm(jp, "tel:12345678;PHONE-CONTEXT=%2B8131"), "813112345678");
}

TEST(NormalizeSipUri, PhoneContextInUserPartPrefixesLocalNumber) {
  EXPECT_EQ(Norm(Plan("DE"), "sip:5550100;phone-context=+1212@example.com;user=phone"), "12125550100");
}

TEST(NormalizeTelUri, DomainPhoneContextLeavesTheDialPlanInCharge) {
  EXPECT_EQ(Norm(Plan("JP"), "tel:03-1234-5678;phone-context=example.com"), "81312345678");
  EXPECT_EQ(Norm(Plan("US"), "tel:212-555-0100;phone-context=pbx.example.com"), "12125550100");
}

TEST(NormalizeOutsideLine, NineIsStrippedInTheUs) {
  DialPlan us = Plan("US", "9");
  EXPECT_EQ(Norm(us, "9-1-212-555-0100"), "12125550100");
  EXPECT_EQ(Norm(us, "9 011 44 20 7946 0000"), "442079460000");
  EXPECT_EQ(Norm(us, "9 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(us, "sip:912125550100@pbx"), "12125550100");
  EXPECT_EQ(Norm(us, "9 911"), Err(TG_E_NUMBER_TOO_SHORT));
}

TEST(NormalizeOutsideLine, NotStrippedFromGlobalNumbers) {
  DialPlan us = Plan("US", "9");
  EXPECT_EQ(Norm(us, "+91 98765 43210"), "919876543210");  // India, not "1 98765 43210"
  EXPECT_EQ(Norm(us, "sip:+919876543210@host"), "919876543210");
  EXPECT_EQ(Norm(us, "tel:8765-4321;phone-context=+9198"), "919887654321");
}

TEST(NormalizeOutsideLine, ZeroIsStrippedInJapan) {
  DialPlan jp = Plan("JP", "0");
  EXPECT_EQ(Norm(jp, "0 03 1234 5678"), "81312345678");
  EXPECT_EQ(Norm(jp, "0 011 123 4567"), "81111234567");  // outside line + Sapporo
  EXPECT_EQ(Norm(jp, "0 010 1 212 555 0100"), "12125550100");
  EXPECT_EQ(Norm(jp, "0-0033-010-44-20-7946-0000"), "442079460000");
}

TEST(NormalizeOutsideLine, MultiDigitAccessCode) {
  EXPECT_EQ(Norm(Plan("DE", "00"), "00 030 1234567"), "49301234567");
  EXPECT_EQ(Norm(Plan("DE", "00"), "00 0044 20 7946 0000"), "442079460000");
}

TEST(NormalizeOutsideLine, StringWithoutItIsTakenAsIs) {
  EXPECT_EQ(Norm(Plan("US", "9"), "1 212 555 0100"), "12125550100");
}

TEST(NormalizeOutsideLine, WithoutConfigurationNothingIsStripped) {
  // Without an outside line configured, "9 212 555 0100" is 11 digits that don't start with 1.
  EXPECT_EQ(Norm(Plan("US"), "9 212 555 0100"), Err(TG_E_NUMBER_TOO_LONG));
}

}  // namespace
}  // namespace tollguard::number
