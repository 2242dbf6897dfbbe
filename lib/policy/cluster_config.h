// The compiled `cluster` section of a policy (docs/CLUSTER.md): where the shared Redis is and how this node
// takes part. Validated by the loader; read once by Engine::Create (changes on reload wait for a restart).
// Thread-safety: plain value, immutable inside a PolicySnapshot.
#ifndef TOLLGUARD_LIB_POLICY_CLUSTER_CONFIG_H_
#define TOLLGUARD_LIB_POLICY_CLUSTER_CONFIG_H_

#include <cstdint>
#include <string>

namespace tollguard::policy {

struct ClusterConfig {
  bool enabled = false;          // redis_address was given
  std::string host;              // TCP host, or empty for a unix socket
  int port = 6379;
  std::string unix_path;         // "unix:/path" or "/path" addresses
  std::string key_prefix = "tg:";
  std::string node_id;           // empty: TOLLGUARD_NODE_ID, else the host name (resolved by the engine)
  uint32_t sync_interval_ms = 100;
  uint32_t live_call_ttl_s = 30;
  uint32_t remote_accounts = 32768;  // capacity of the table of other nodes' contributions
  uint32_t timeout_ms = 1000;        // connect and command timeout
  std::string username, password;    // AUTH [username] password; empty password: no AUTH

  bool operator==(const ClusterConfig& o) const {
    return enabled == o.enabled && host == o.host && port == o.port && unix_path == o.unix_path &&
           key_prefix == o.key_prefix && node_id == o.node_id && sync_interval_ms == o.sync_interval_ms &&
           live_call_ttl_s == o.live_call_ttl_s && remote_accounts == o.remote_accounts &&
           timeout_ms == o.timeout_ms && username == o.username && password == o.password;
  }
  bool operator!=(const ClusterConfig& o) const { return !(*this == o); }
};

}  // namespace tollguard::policy

#endif  // TOLLGUARD_LIB_POLICY_CLUSTER_CONFIG_H_
