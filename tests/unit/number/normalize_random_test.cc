// Randomized robustness: garbage bytes and number-like strings through Normalize under every plan.
#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/number/metadata.h"
#include "lib/number/normalizer.h"

namespace tollguard::number {
namespace {

bool AllowedStatus(tg_status s) {
  return s == TG_OK || s == TG_E_NUMBER_EMPTY || s == TG_E_NUMBER_CHARS || s == TG_E_NUMBER_TOO_LONG ||
         s == TG_E_NUMBER_COUNTRY || s == TG_E_NUMBER_TOO_SHORT;
}

// Checks one call's contract; returns true when the result was TG_OK.
bool CheckOne(const DialPlan& plan, const std::string& dialed) {
  E164 out;
  std::memset(static_cast<void*>(&out), 0x5a, sizeof(out));  // so a field left unset shows
  tg_status status = Normalize(plan, dialed, &out);
  EXPECT_TRUE(AllowedStatus(status)) << status;
  if (status != TG_OK) {
    EXPECT_EQ(out.len, 0);
    EXPECT_EQ(out.cc_len, 0);
    EXPECT_EQ(out.digits[0], 0);
    return false;
  }
  EXPECT_GE(out.len, 1);
  EXPECT_LE(out.len, kMaxE164Digits);
  EXPECT_EQ(out.digits[out.len], 0);
  for (int i = 0; i < out.len; ++i) EXPECT_TRUE(out.digits[i] >= '0' && out.digits[i] <= '9');
  EXPECT_GE(out.cc_len, 1);
  EXPECT_EQ(CountryCodeLength(out.view()), out.cc_len);
  // Deterministic.
  E164 again;
  EXPECT_EQ(Normalize(plan, dialed, &again), TG_OK);
  EXPECT_EQ(again.view(), out.view());
  return true;
}

std::vector<DialPlan> SomePlans() {
  std::vector<DialPlan> plans;
  for (int i = 0; i < internal::RegionCount(); ++i) plans.push_back(*MakeDialPlan(internal::RegionAt(i).iso));
  plans.push_back(*MakeDialPlan("US", "9", "212"));
  plans.push_back(*MakeDialPlan("JP", "0"));
  plans.push_back(*MakeDialPlan("DE", "00"));
  plans.push_back(DialPlan{});
  return plans;
}

TEST(NormalizeRandom, HundredThousandRandomByteStrings) {
  std::mt19937 rng(20240601);
  std::vector<DialPlan> plans = SomePlans();
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 300);
  std::uniform_int_distribution<size_t> which(0, plans.size() - 1);
  for (int n = 0; n < 100000; ++n) {
    std::string s(static_cast<size_t>(length(rng)), '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    CheckOne(plans[which(rng)], s);
    if (::testing::Test::HasFailure()) FAIL() << "input #" << n;
  }
}

TEST(NormalizeRandom, HundredThousandNumberLikeStrings) {
  // Pieces that reach every branch: prefixes, schemes, parameters, escapes, separators.
  static const char* const kPieces[] = {
      "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "010", "011", "0011", "001", "0033", "810", "+",
      " ", "-", "(", ")", ".", "/", "\t", "sip:", "sips:", "tel:", "@", "host", ";", ";user=phone",
      ";phone-context=+", ";phone-context=", "example.com", "?", "%2B", "%2", "%3", "%", "*", "#", "a", "\0",
      "\xC2\xA0", "44", "81", "999", "1876", "5550100", "12345678", "0120", "090"};
  std::mt19937 rng(7);
  std::vector<DialPlan> plans = SomePlans();
  std::uniform_int_distribution<size_t> piece(0, std::size(kPieces) - 1);
  std::uniform_int_distribution<int> count(0, 24);
  std::uniform_int_distribution<size_t> which(0, plans.size() - 1);
  int ok = 0;
  for (int n = 0; n < 100000; ++n) {
    std::string s;
    for (int k = count(rng); k > 0; --k) {
      const char* p = kPieces[piece(rng)];
      s += (p[0] == 0) ? std::string(1, '\0') : std::string(p);
    }
    if (CheckOne(plans[which(rng)], s)) ++ok;
    if (::testing::Test::HasFailure()) FAIL() << "input #" << n << ": " << s;
  }
  EXPECT_GT(ok, 1000);  // the generator does reach the success path
}

}  // namespace
}  // namespace tollguard::number
