// The policy loader: the embedded default compiles, files overlay it, and every error has a place.
#include "lib/policy/loader.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace tollguard::policy {
namespace {

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = std::string(::testing::TempDir()) + "/tgpol_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path) << text;
  return path;
}

std::unique_ptr<PolicySnapshot> Load(const std::string& path, LoadError* err) {
  LoadOptions o;
  o.policy_path = path;
  return LoadPolicy(o, err);
}

TEST(LoaderTest, EmbeddedDefaultCompiles) {
  LoadError err;
  auto snap = LoadPolicy(LoadOptions{}, &err);
  ASSERT_NE(snap, nullptr) << err.status;
  EXPECT_EQ(snap->profiles.size(), 1u);
  EXPECT_EQ(snap->profiles[0].name, "default");
  EXPECT_GT(snap->profiles[0].weight[TG_REASON_NIGHT], 0);
  EXPECT_GT(snap->table.entries(), 10000u);
  EXPECT_STREQ(snap->dial_plan.iso, "JP");
}

TEST(LoaderTest, EmptyFileIsTheDefaultPolicy) {
  LoadError err;
  auto snap = Load(Write("empty.textproto", ""), &err);
  ASSERT_NE(snap, nullptr) << err.status;
  LoadError err2;
  auto def = LoadPolicy(LoadOptions{}, &err2);
  EXPECT_EQ(snap->profiles[0].weight, def->profiles[0].weight);
  EXPECT_EQ(snap->profiles[0].block_score, def->profiles[0].block_score);
}

TEST(LoaderTest, FieldsOverlayTheDefaultIncludingZero) {
  LoadError err;
  auto snap = Load(Write("overlay.textproto", "profiles { name: \"default\" weights { night: 0 } block_score: 700 }\n"), &err);
  ASSERT_NE(snap, nullptr) << err.status;
  EXPECT_EQ(snap->profiles[0].weight[TG_REASON_NIGHT], 0);
  EXPECT_EQ(snap->profiles[0].block_score, 700);
  EXPECT_GT(snap->profiles[0].weight[TG_REASON_WEEKEND], 0);  // untouched fields keep the default
}

TEST(LoaderTest, NoDefaultsStartsFromNothing) {
  LoadError err;
  auto snap = Load(Write("nodef.textproto", "no_defaults: true\nhome_country: \"US\"\ntimezone: \"UTC\"\n"), &err);
  ASSERT_NE(snap, nullptr) << err.status;
  EXPECT_EQ(snap->profiles[0].weight[TG_REASON_NIGHT], 0);
}

TEST(LoaderTest, NamedProfileInheritsDefaultAndAccountsBind) {
  LoadError err;
  auto snap = Load(Write("prof.textproto",
                         "profiles { name: \"hotel\" hours { always_open: true } shadow: true }\n"
                         "accounts { prefix: \"hotel-\" profile: \"hotel\" timezone: \"Europe/Paris\" }\n"
                         "accounts { name: \"ceo\" profile: \"default\" }\n"),
                   &err);
  ASSERT_NE(snap, nullptr) << err.status;
  ASSERT_EQ(snap->profiles.size(), 2u);
  const CompiledProfile& hotel = snap->profiles[1];
  EXPECT_TRUE(hotel.always_open);
  EXPECT_TRUE(hotel.shadow);
  EXPECT_EQ(hotel.weight, snap->profiles[0].weight);
  EXPECT_EQ(snap->Bind("hotel-12").profile, 1);
  EXPECT_EQ(snap->Bind("hotel-12").zone, 1);
  EXPECT_EQ(snap->zones[1].name(), "Europe/Paris");
  EXPECT_EQ(snap->Bind("ceo").profile, 0);
  EXPECT_EQ(snap->Bind("other").profile, 0);
}

struct BadCase {
  const char* text;
  uint32_t line, column;
  const char* needle;
};

class BadPolicyTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadPolicyTest, ErrorHasFileLineColumnAndSaysWhat) {
  const BadCase& c = GetParam();
  const std::string path = Write("bad.textproto", c.text);
  LoadError err;
  EXPECT_EQ(Load(path, &err), nullptr);
  EXPECT_EQ(err.line, c.line) << err.status;
  EXPECT_EQ(err.column, c.column) << err.status;
  const std::string msg(err.status.message());
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find(c.needle), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadPolicyTest,
    ::testing::Values(BadCase{"name: \"x\"\nbogus_field: 1\n", 2, 12, "bogus_field"},
                      BadCase{"profiles {\n  name: \"default\"\n  alert_score: 2000\n}\n", 3, 3, "alert_score"},
                      BadCase{"risk { high_risk_countries: [\"CU\", \"Cuba\"] }\n", 1, 8, "Cuba"},
                      BadCase{"accounts { name: \"a\" profile: \"nope\" }\n", 1, 22, "nope"},
                      BadCase{"timezone: \"Mars/Base\"\n", 1, 1, "Mars/Base"},
                      BadCase{"home_country: \"XX\"\n", 1, 1, "XX"},
                      BadCase{"holidays: \"2026-02-30\"\n", 1, 1, "2026-02-30"},
                      BadCase{"tables { rate_deck: \"/no/such/deck.csv\" }\n", 1, 10, "/no/such/deck.csv"},
                      BadCase{"profiles { name: \"x\" }\nprofiles { name: \"x\" }\n", 2, 12, "twice"},
                      BadCase{"risk { types { type: \"PREMIUM\" tier: 3 } }\n", 1, 16, "PREMIUM"}));

}  // namespace
}  // namespace tollguard::policy
