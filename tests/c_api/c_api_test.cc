// Bad input for every public function: NULL, wrong struct_size, non-zero unknown tails, oversized strings.
#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "test_util.h"

namespace {

using tgtest::Call;
using tgtest::EngineHolder;
using tgtest::kWeekday10Jst;

TEST(CreateTest, NullOutIsInvalid) {
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  EXPECT_EQ(tg_engine_create(&o, nullptr, nullptr), TG_E_INVALID_ARGUMENT);
}

TEST(CreateTest, NullOptionsIsInvalidAndOutIsCleared) {
  tg_engine* e = reinterpret_cast<tg_engine*>(0x1);
  tg_error err = TG_ERROR_INIT;
  EXPECT_EQ(tg_engine_create(nullptr, &e, &err), TG_E_INVALID_ARGUMENT);
  EXPECT_EQ(e, nullptr);
  EXPECT_EQ(err.code, TG_E_INVALID_ARGUMENT);
}

TEST(CreateTest, StructSizeBelowFirstVersionIsRejected) {
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.struct_size = 16;
  tg_engine* e = nullptr;
  EXPECT_EQ(tg_engine_create(&o, &e, nullptr), TG_E_STRUCT_SIZE);
  o.struct_size = 0;
  EXPECT_EQ(tg_engine_create(&o, &e, nullptr), TG_E_STRUCT_SIZE);
}

TEST(CreateTest, OriginalContractLayoutWithoutCapacitiesIsAccepted) {
  // A caller built against the 40-byte layout (struct_size + four paths) still works.
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.struct_size = 40;
  tg_engine* e = nullptr;
  EXPECT_EQ(tg_engine_create(&o, &e, nullptr), TG_OK);
  tg_engine_destroy(e);
}

TEST(CreateTest, NonZeroUnknownTailIsRejected) {
  struct {
    tg_engine_options o;
    uint32_t future[2];
  } big;
  std::memset(&big, 0, sizeof(big));
  big.o.struct_size = sizeof(big);
  tg_engine* e = nullptr;
  EXPECT_EQ(tg_engine_create(&big.o, &e, nullptr), TG_OK);
  tg_engine_destroy(e);
  big.future[1] = 1;
  EXPECT_EQ(tg_engine_create(&big.o, &e, nullptr), TG_E_STRUCT_TAIL);
  EXPECT_EQ(e, nullptr);
}

TEST(CreateTest, UnknownCountryAndZoneAreClearErrors) {
  EngineHolder bad_country("ZZ", "Asia/Tokyo");
  EXPECT_EQ(bad_country.status, TG_E_POLICY);
  EXPECT_NE(std::string(bad_country.err.message).find("ZZ"), std::string::npos) << bad_country.err.message;
  EngineHolder bad_zone("JP", "Mars/Olympus");
  EXPECT_EQ(bad_zone.status, TG_E_POLICY);
  EXPECT_NE(std::string(bad_zone.err.message).find("Mars/Olympus"), std::string::npos) << bad_zone.err.message;
}

TEST(CreateTest, MissingPolicyFileIsIoErrorNamingThePath) {
  EngineHolder h("JP", "Asia/Tokyo", "/nonexistent/policy.textproto");
  EXPECT_EQ(h.status, TG_E_IO);
  EXPECT_NE(std::string(h.err.message).find("/nonexistent/policy.textproto"), std::string::npos);
}

TEST(CreateTest, ErrorStructTooSmallIsNotWritten) {
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.home_country = "ZZ";
  tg_error err = TG_ERROR_INIT;
  err.struct_size = 8;
  err.line = 77;
  tg_engine* e = nullptr;
  EXPECT_EQ(tg_engine_create(&o, &e, &err), TG_E_POLICY);
  EXPECT_EQ(err.line, 77u);
}

TEST(DecideTest, EmptyAndOversizedAccountsAreRejected) {
  EngineHolder h;
  tg_status st;
  h.Begin("", "0312345678", kWeekday10Jst, 0, &st);
  EXPECT_EQ(st, TG_E_ACCOUNT);
  h.Begin(std::string(TG_MAX_ACCOUNT_LEN + 1, 'a'), "0312345678", kWeekday10Jst, 0, &st);
  EXPECT_EQ(st, TG_E_ACCOUNT);
  h.Begin(std::string(TG_MAX_ACCOUNT_LEN, 'a'), "0312345678", kWeekday10Jst, 0, &st);
  EXPECT_EQ(st, TG_OK);
}

TEST(DecideTest, OversizedDialedStringIsTooLongAndGetsThePolicysAnswer) {
  EngineHolder h;
  tg_status st;
  const tg_decision d = h.Score("a", std::string(TG_MAX_DIALED_LEN + 1, '1'), kWeekday10Jst, &st);
  EXPECT_EQ(st, TG_E_NUMBER_TOO_LONG);
  EXPECT_EQ(d.action, TG_ACTION_ALERT);  // invalid_numbers.malformed of the default policy
  EXPECT_STREQ(d.e164, "");
}

TEST(DecideTest, AbsurdTimeGetsThePolicysAnswerForMalformedInput) {
  EngineHolder h;
  tg_status st;
  const tg_decision d = h.Score("a", "0312345678", 1000, &st);
  EXPECT_EQ(st, TG_E_TIME);
  EXPECT_EQ(d.action, TG_ACTION_ALERT);
}

TEST(DecideTest, NullDataWithLengthIsInvalid) {
  EngineHolder h;
  tg_call c = Call("a", "0312345678", kWeekday10Jst);
  c.dialed.data = nullptr;
  tg_decision d = TG_DECISION_INIT;
  EXPECT_EQ(tg_call_begin(h.e, &c, &d), TG_E_INVALID_ARGUMENT);
  c = Call("a", "0312345678", kWeekday10Jst);
  c.account.data = nullptr;
  EXPECT_EQ(tg_call_begin(h.e, &c, &d), TG_E_ACCOUNT);
}

// tg_engine_prefetch: checks its input like tg_call_begin, and changes nothing observable.
TEST(PrefetchTest, BadInputIsRejected) {
  EngineHolder h;
  tg_call c = Call("a", "0312345678", kWeekday10Jst);
  EXPECT_EQ(tg_engine_prefetch(nullptr, &c), TG_E_INVALID_ARGUMENT);
  EXPECT_EQ(tg_engine_prefetch(h.e, nullptr), TG_E_INVALID_ARGUMENT);
  c.struct_size = 8;
  EXPECT_EQ(tg_engine_prefetch(h.e, &c), TG_E_STRUCT_SIZE);
  c = Call("", "0312345678", kWeekday10Jst);
  EXPECT_EQ(tg_engine_prefetch(h.e, &c), TG_E_ACCOUNT);
  c = Call("a", "0312345678", kWeekday10Jst);
  c.dialed.data = nullptr;
  EXPECT_EQ(tg_engine_prefetch(h.e, &c), TG_E_INVALID_ARGUMENT);
  c = Call("a", "not a number", kWeekday10Jst);
  EXPECT_EQ(tg_engine_prefetch(h.e, &c), TG_OK);  // the decision reports the number, not the hint
  const std::string long_tenant(TG_MAX_ACCOUNT_LEN + 1, 't');
  c = Call("a", "0312345678", kWeekday10Jst);
  c.tenant = tg_str{long_tenant.data(), long_tenant.size()};
  EXPECT_EQ(tg_engine_prefetch(h.e, &c), TG_E_ACCOUNT);  // as tg_call_begin
  tg_decision d = TG_DECISION_INIT;
  EXPECT_EQ(tg_call_begin(h.e, &c, &d), TG_E_ACCOUNT);
  c.tenant = tg_str{nullptr, 3};
  EXPECT_EQ(tg_engine_prefetch(h.e, &c), TG_E_ACCOUNT);
}

TEST(PrefetchTest, ChangesNothing) {
  EngineHolder h;
  const tg_decision before = h.Score("acct-p", "0101144207946000", kWeekday10Jst);
  for (const char* dialed : {"0101144207946000", "sip:+14155550100@example.com", "", "0312345678"}) {
    tg_call c = Call("acct-p", dialed, kWeekday10Jst);  // tenant "acct" by the default separators
    ASSERT_EQ(tg_engine_prefetch(h.e, &c), TG_OK) << dialed;
    c.call_id = 77;
    c.tenant = tg_str{"other-tenant", 12};
    ASSERT_EQ(tg_engine_prefetch(h.e, &c), TG_OK) << dialed;
  }
  const tg_engine_stats s = h.Stats();
  EXPECT_EQ(s.accounts, 0u);  // no account was created
  EXPECT_EQ(s.decisions, 0u);
  EXPECT_EQ(s.live_calls, 0u);
  const tg_decision after = h.Score("acct-p", "0101144207946000", kWeekday10Jst);
  EXPECT_EQ(after.score, before.score);
  EXPECT_EQ(after.reasons, before.reasons);
  EXPECT_STREQ(after.e164, before.e164);
}

TEST(DecideTest, DecisionStructSizeIsChecked) {
  EngineHolder h;
  tg_call c = Call("a", "0312345678", kWeekday10Jst);
  tg_decision d = TG_DECISION_INIT;
  d.struct_size = 12;
  EXPECT_EQ(tg_engine_score(h.e, &c, &d), TG_E_STRUCT_SIZE);
  d.struct_size = 0;
  EXPECT_EQ(tg_call_begin(h.e, &c, &d), TG_E_STRUCT_SIZE);
}

TEST(DecideTest, AbsurdTimesAreRejected) {
  EngineHolder h;
  tg_status st;
  h.Begin("a", "0312345678", 1000, 0, &st);  // 1970
  EXPECT_EQ(st, TG_E_TIME);
  h.Begin("a", "0312345678", 9000000000000LL, 0, &st);  // year 2255
  EXPECT_EQ(st, TG_E_TIME);
}

TEST(DecideTest, ZeroStartMeansNow) {
  EngineHolder h;
  tg_status st;
  const tg_decision d = h.Begin("a", "0312345678", 0, 0, &st);
  EXPECT_EQ(st, TG_OK);
  EXPECT_STREQ(d.e164, "81312345678");
}

TEST(DecideTest, EveryStatusAndReasonHasText) {
  for (int s = 0; s <= TG_E_ACCOUNT; ++s) EXPECT_STRNE(tg_status_string(s), "unknown status") << s;
  for (int r = 0; r < TG_REASON_COUNT; ++r) ASSERT_NE(tg_reason_name(r), nullptr) << r;
  EXPECT_STREQ(tg_number_type_name(TG_NUMBER_UNKNOWN), "UNKNOWN");
  EXPECT_STREQ(tg_number_type_name(TG_NUMBER_VOICEMAIL), "VOICEMAIL");
  EXPECT_EQ(tg_action_name(7), nullptr);
}

TEST(EndTest, UnknownIdZeroIdAndNullEngine) {
  EngineHolder h;
  EXPECT_EQ(tg_call_end(h.e, 42, kWeekday10Jst, 10), TG_E_UNKNOWN_CALL);
  EXPECT_EQ(tg_call_end(h.e, 0, kWeekday10Jst, 10), TG_E_INVALID_ARGUMENT);
  EXPECT_EQ(tg_call_end(nullptr, 42, kWeekday10Jst, 10), TG_E_INVALID_ARGUMENT);
}

TEST(ReloadTest, NullEngineAndMissingFile) {
  EXPECT_EQ(tg_engine_reload(nullptr, nullptr, nullptr), TG_E_INVALID_ARGUMENT);
  EngineHolder h;
  tg_error err = TG_ERROR_INIT;
  EXPECT_EQ(tg_engine_reload(h.e, "/nonexistent.textproto", &err), TG_E_IO);
  EXPECT_EQ(err.code, TG_E_IO);
  EXPECT_EQ(tg_engine_reload(h.e, nullptr, &err), TG_OK);  // the embedded default again
  EXPECT_EQ(err.code, TG_OK);
  EXPECT_EQ(h.Stats().policy_version, 2u);
}

TEST(SaveStateTest, NoPathAnywhereIsInvalid) {
  EngineHolder h;
  tg_error err = TG_ERROR_INIT;
  EXPECT_EQ(tg_engine_save_state(h.e, nullptr, &err), TG_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err.message).find("state"), std::string::npos);
  EXPECT_EQ(tg_engine_save_state(nullptr, "x", &err), TG_E_INVALID_ARGUMENT);
}

TEST(StatsTest, NullAndSizeChecks) {
  EngineHolder h;
  tg_engine_stats s = TG_ENGINE_STATS_INIT;
  EXPECT_EQ(tg_engine_get_stats(nullptr, &s), TG_E_INVALID_ARGUMENT);
  EXPECT_EQ(tg_engine_get_stats(h.e, nullptr), TG_E_INVALID_ARGUMENT);
  s.struct_size = 4;
  EXPECT_EQ(tg_engine_get_stats(h.e, &s), TG_E_STRUCT_SIZE);
}

}  // namespace
