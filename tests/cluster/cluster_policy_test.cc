// The policy's `cluster` section: compiled into ClusterConfig, every error located at its field.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "lib/cluster/node.h"
#include "lib/policy/loader.h"

namespace tollguard::policy {
namespace {

std::unique_ptr<PolicySnapshot> LoadText(const std::string& text, LoadError* err) {
  static int n = 0;
  const std::string path = std::string(::testing::TempDir()) + "/tgcluster_" + std::to_string(::getpid()) + "_" +
                           std::to_string(++n) + ".textproto";
  std::ofstream(path) << text;
  LoadOptions o;
  o.policy_path = path;
  auto snap = LoadPolicy(o, err);
  std::remove(path.c_str());
  return snap;
}

TEST(ClusterPolicyTest, AbsentSectionMeansStandalone) {
  LoadError err;
  auto snap = LoadText("name: \"x\"\n", &err);
  ASSERT_NE(snap, nullptr) << err.status;
  EXPECT_FALSE(snap->cluster.enabled);
}

TEST(ClusterPolicyTest, CompilesAddressesAndDefaults) {
  LoadError err;
  auto snap = LoadText("cluster {\n  redis_address: \"10.0.0.5:7000\"\n  key_prefix: \"pbx1:\"\n"
                       "  node_id: \"sbc-2\"\n  sync_interval_ms: 50\n}\n", &err);
  ASSERT_NE(snap, nullptr) << err.status;
  const ClusterConfig& c = snap->cluster;
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.host, "10.0.0.5");
  EXPECT_EQ(c.port, 7000);
  EXPECT_EQ(c.key_prefix, "pbx1:");
  EXPECT_EQ(c.node_id, "sbc-2");
  EXPECT_EQ(c.sync_interval_ms, 50u);
  EXPECT_EQ(c.live_call_ttl_s, 30u);
  snap = LoadText("cluster { redis_address: \"redis.local\" }\n", &err);
  ASSERT_NE(snap, nullptr) << err.status;
  EXPECT_EQ(snap->cluster.port, 6379);
  EXPECT_EQ(snap->cluster.key_prefix, "tg:");
  snap = LoadText("cluster { redis_address: \"unix:/run/redis/redis.sock\" }\n", &err);
  ASSERT_NE(snap, nullptr) << err.status;
  EXPECT_EQ(snap->cluster.unix_path, "/run/redis/redis.sock");
  EXPECT_TRUE(snap->cluster.host.empty());
}

TEST(ClusterPolicyTest, ErrorsPointAtTheField) {
  struct Case {
    const char* text;
    uint32_t line, column;
    const char* says;
  } cases[] = {
      {"cluster {\n  redis_address: \"h:99999\"\n}\n", 2, 3, "bad port"},
      {"cluster {\n  redis_address: \"h:1\"\n  sync_interval_ms: 5\n}\n", 3, 3, "10..1000"},
      {"cluster {\n  redis_address: \"h:1\"\n  key_prefix: \"a*\"\n}\n", 3, 3, "key_prefix"},
      {"cluster {\n  redis_address: \"h:1\"\n  tls { ca_file: \"ca.pem\" }\n}\n", 3, 3, "hiredis_ssl"},
      {"cluster {\n  redis_address: \"h:1\"\n  sync_interval_ms: 1000\n  live_call_ttl_s: 2\n}\n", 4, 3,
       "3 sync intervals"},
      {"cluster {\n  redis_address: \"h:1\"\n  password_env: \"TG_TEST_SURELY_UNSET_VAR\"\n}\n", 3, 3, "not set"},
      {"cluster {\n  redis_address: \"h:1\"\n  username: \"u\"\n}\n", 3, 3, "needs a password"},
      {"cluster {\n  redis_address: \"unix:relative.sock\"\n}\n", 2, 3, "absolute path"},
  };
  for (const Case& c : cases) {
    LoadError err;
    auto snap = LoadText(c.text, &err);
    ASSERT_EQ(snap, nullptr) << c.text;
    EXPECT_EQ(err.line, c.line) << c.text << err.status;
    EXPECT_EQ(err.column, c.column) << c.text << err.status;
    EXPECT_NE(err.status.message().find(c.says), absl::string_view::npos) << err.status;
  }
}

TEST(ClusterPolicyTest, PasswordFromTheEnvironment) {
  setenv("TG_TEST_REDIS_PASSWORD", "s3cret", 1);
  LoadError err;
  auto snap = LoadText("cluster { redis_address: \"h:1\" username: \"tg\" password_env: \"TG_TEST_REDIS_PASSWORD\" }\n",
                       &err);
  unsetenv("TG_TEST_REDIS_PASSWORD");
  ASSERT_NE(snap, nullptr) << err.status;
  EXPECT_EQ(snap->cluster.password, "s3cret");
  EXPECT_EQ(snap->cluster.username, "tg");
}

TEST(ClusterPolicyTest, NodeIdFromEnvironmentThenPolicyThenHostName) {
  ClusterConfig c;
  c.node_id = "from-policy";
  unsetenv("TOLLGUARD_NODE_ID");
  EXPECT_EQ(cluster::Node::ResolveNodeId(c), "from-policy");
  setenv("TOLLGUARD_NODE_ID", "from-env", 1);
  EXPECT_EQ(cluster::Node::ResolveNodeId(c), "from-env");
  unsetenv("TOLLGUARD_NODE_ID");
  c.node_id.clear();
  EXPECT_FALSE(cluster::Node::ResolveNodeId(c).empty());  // the host name
}

}  // namespace
}  // namespace tollguard::policy
