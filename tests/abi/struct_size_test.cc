// Versioned structs across versions (docs/ABI.md), through the shared library:
//  - a newer caller (structs longer than this library's, as a future header would make them): a zero tail is
//    accepted, any non-zero byte of it is TG_E_STRUCT_TAIL, 4096 bytes is the most, and copy-out fills this
//    library's fields and leaves the caller's newer fields alone;
//  - an older caller (struct_size between the first accepted size and today's): only struct_size bytes are
//    read, whatever follows them in memory.
// The old-caller binary itself is tests/abi/old_caller_test.c; tests/c_api/c_api_test.cc covers NULLs and
// sizes below the first version.
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tollguard/tollguard.h"

namespace {

constexpr int64_t kWeekday10Jst = 1795482000000LL;
constexpr size_t kMaxStruct = 4096;

struct EngineHolder {
  tg_engine* e = nullptr;
  explicit EngineHolder(const tg_engine_options* o = nullptr) {
    tg_engine_options d = TG_ENGINE_OPTIONS_INIT;
    d.home_country = "JP";
    d.timezone = "Asia/Tokyo";
    EXPECT_EQ(tg_engine_create(o ? o : &d, &e, nullptr), TG_OK);
  }
  ~EngineHolder() { tg_engine_destroy(e); }
};

tg_call BasicCall(uint64_t id = 0) {
  tg_call c = TG_CALL_INIT;
  c.account = {"acme", 4};
  c.dialed = {"0312345678", 10};
  c.start_unix_ms = kWeekday10Jst;
  c.call_id = id;
  return c;
}

// A caller struct of `size` bytes in a buffer of kMaxStruct + 64 (zeros beyond the known fields).
template <typename T>
std::vector<unsigned char> Wide(const T& known, uint32_t size) {
  std::vector<unsigned char> buf(kMaxStruct + 64, 0);
  std::memcpy(buf.data(), &known, sizeof(T));
  std::memcpy(buf.data(), &size, sizeof(size));
  return buf;
}

TEST(NewerCaller, LongerCallWithZeroTailIsAccepted) {
  EngineHolder h;
  for (uint32_t size : {static_cast<uint32_t>(sizeof(tg_call)) + 8, 128u, 1024u, static_cast<uint32_t>(kMaxStruct)}) {
    auto buf = Wide(BasicCall(), size);
    tg_decision d = TG_DECISION_INIT;
    EXPECT_EQ(tg_engine_score(h.e, reinterpret_cast<tg_call*>(buf.data()), &d), TG_OK) << size;
    EXPECT_STREQ(d.e164, "81312345678");
  }
}

TEST(NewerCaller, AnyNonZeroByteOfTheTailIsRefused) {
  EngineHolder h;
  const uint32_t size = 256;
  for (size_t at : {sizeof(tg_call), sizeof(tg_call) + 7, static_cast<size_t>(size) - 1}) {
    auto buf = Wide(BasicCall(), size);
    buf[at] = 1;
    tg_decision d = TG_DECISION_INIT;
    EXPECT_EQ(tg_engine_score(h.e, reinterpret_cast<tg_call*>(buf.data()), &d), TG_E_STRUCT_TAIL) << at;
    EXPECT_EQ(tg_call_begin(h.e, reinterpret_cast<tg_call*>(buf.data()), &d), TG_E_STRUCT_TAIL) << at;
  }
  // A non-zero byte beyond struct_size is not the caller's struct: ignored.
  auto buf = Wide(BasicCall(), size);
  buf[size] = 1;
  tg_decision d = TG_DECISION_INIT;
  EXPECT_EQ(tg_engine_score(h.e, reinterpret_cast<tg_call*>(buf.data()), &d), TG_OK);
}

TEST(NewerCaller, StructsLongerThan4096BytesAreRefused) {
  EngineHolder h;
  auto buf = Wide(BasicCall(), kMaxStruct + 1);
  tg_decision d = TG_DECISION_INIT;
  EXPECT_EQ(tg_engine_score(h.e, reinterpret_cast<tg_call*>(buf.data()), &d), TG_E_STRUCT_SIZE);
  auto dbuf = Wide(d, kMaxStruct + 1);
  const tg_call c = BasicCall();
  EXPECT_EQ(tg_engine_score(h.e, &c, reinterpret_cast<tg_decision*>(dbuf.data())), TG_E_STRUCT_SIZE);
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  auto obuf = Wide(o, kMaxStruct + 1);
  tg_engine* e = nullptr;
  EXPECT_EQ(tg_engine_create(reinterpret_cast<tg_engine_options*>(obuf.data()), &e, nullptr), TG_E_STRUCT_SIZE);
  EXPECT_EQ(e, nullptr);
}

// Copy-out into a newer caller's longer struct: this library's fields filled, struct_size kept, the newer
// fields (0x5A here) untouched.
template <typename T>
void ExpectTailUntouched(const std::vector<unsigned char>& buf, uint32_t size) {
  uint32_t got;
  std::memcpy(&got, buf.data(), sizeof(got));
  EXPECT_EQ(got, size);
  for (size_t i = sizeof(T); i < size; ++i) ASSERT_EQ(buf[i], 0x5A) << "byte " << i << " of a " << size << "-byte struct";
}

TEST(NewerCaller, DecisionStatsAndErrorTailsAreNotWritten) {
  EngineHolder h;
  const uint32_t size = 512;
  {
    const tg_decision init = TG_DECISION_INIT;
    auto buf = Wide(init, size);
    std::memset(buf.data() + sizeof(tg_decision), 0x5A, size - sizeof(tg_decision));
    const tg_call c = BasicCall();
    ASSERT_EQ(tg_engine_score(h.e, &c, reinterpret_cast<tg_decision*>(buf.data())), TG_OK);
    tg_decision d;
    std::memcpy(&d, buf.data(), sizeof(d));
    EXPECT_STREQ(d.e164, "81312345678");
    ExpectTailUntouched<tg_decision>(buf, size);
  }
  {
    const tg_engine_stats init = TG_ENGINE_STATS_INIT;
    auto buf = Wide(init, size);
    std::memset(buf.data() + sizeof(tg_engine_stats), 0x5A, size - sizeof(tg_engine_stats));
    ASSERT_EQ(tg_engine_get_stats(h.e, reinterpret_cast<tg_engine_stats*>(buf.data())), TG_OK);
    tg_engine_stats s;
    std::memcpy(&s, buf.data(), sizeof(s));
    EXPECT_GT(s.prefixes, 10000u);
    ExpectTailUntouched<tg_engine_stats>(buf, size);
  }
  {
    const tg_error init = TG_ERROR_INIT;
    auto buf = Wide(init, size);
    std::memset(buf.data() + sizeof(tg_error), 0x5A, size - sizeof(tg_error));
    EXPECT_EQ(tg_engine_reload(h.e, "/nonexistent/x.textproto", reinterpret_cast<tg_error*>(buf.data())), TG_E_IO);
    tg_error err;
    std::memcpy(&err, buf.data(), sizeof(err));
    EXPECT_EQ(err.code, TG_E_IO);
    EXPECT_NE(std::string(err.message).find("/nonexistent/x.textproto"), std::string::npos);
    ExpectTailUntouched<tg_error>(buf, size);
  }
}

TEST(NewerCaller, LongerOptionsWithZeroTailCreateAnEngine) {
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.home_country = "JP";
  auto buf = Wide(o, 200);
  tg_engine* e = nullptr;
  EXPECT_EQ(tg_engine_create(reinterpret_cast<tg_engine_options*>(buf.data()), &e, nullptr), TG_OK);
  tg_engine_destroy(e);
}

// An older caller's struct is followed by bytes it does not own: the library reads struct_size bytes only.
TEST(OlderCaller, CallWithoutTenantIgnoresWhatFollowsIt) {
  EngineHolder h;
  const tg_call full = BasicCall();
  tg_decision expected = TG_DECISION_INIT;
  ASSERT_EQ(tg_engine_score(h.e, &full, &expected), TG_OK);
  for (uint32_t size : {static_cast<uint32_t>(TG_CALL_MIN_SIZE), static_cast<uint32_t>(TG_CALL_MIN_SIZE) + 8}) {
    auto buf = Wide(full, size);
    // Garbage where a newer caller's tenant {data, len} would be: a wild pointer and a huge length.
    std::memset(buf.data() + size, 0xA5, kMaxStruct + 64 - size);
    tg_decision d = TG_DECISION_INIT;
    EXPECT_EQ(tg_engine_score(h.e, reinterpret_cast<tg_call*>(buf.data()), &d), TG_OK) << size;
    EXPECT_EQ(std::memcmp(&d, &expected, sizeof(d)), 0) << size;
    EXPECT_EQ(tg_call_begin(h.e, reinterpret_cast<tg_call*>(buf.data()), &d), TG_OK) << size;
  }
}

TEST(OlderCaller, OptionsOfTheOriginalLayoutIgnoreWhatFollowsThem) {
  // 44 bytes: max_accounts present, max_live_calls not; the next 4 bytes say 1. A library that read them
  // would refuse the second live call.
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.home_country = "JP";
  o.timezone = "Asia/Tokyo";
  auto buf = Wide(o, 44);
  const uint32_t one = 1;
  std::memcpy(buf.data() + offsetof(tg_engine_options, max_live_calls), &one, sizeof(one));
  EngineHolder h(reinterpret_cast<tg_engine_options*>(buf.data()));
  for (uint64_t id = 1; id <= 3; ++id) {
    const tg_call c = BasicCall(id);
    tg_decision d = TG_DECISION_INIT;
    EXPECT_EQ(tg_call_begin(h.e, &c, &d), TG_OK) << id;
  }
}

TEST(OlderCaller, DecisionBelowTheFirstVersionIsNotWritten) {
  EngineHolder h;
  std::vector<unsigned char> buf(sizeof(tg_decision), 0x5A);
  const uint32_t small = TG_DECISION_V1_SIZE - 8;
  std::memcpy(buf.data(), &small, sizeof(small));
  const tg_call c = BasicCall();
  EXPECT_EQ(tg_engine_score(h.e, &c, reinterpret_cast<tg_decision*>(buf.data())), TG_E_STRUCT_SIZE);
  for (size_t i = sizeof(small); i < buf.size(); ++i) ASSERT_EQ(buf[i], 0x5A) << i;
}

}  // namespace
