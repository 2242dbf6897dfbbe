// This engine's place in a cluster of engines that share account state through Redis (docs/CLUSTER.md).
// Routing threads Publish the accounts they changed into a ring and Read the other nodes' merged
// contribution from a table; one background sync thread, started here, does all the talking to Redis:
// every half sync interval it writes this node's changed shares (one pipelined batch), announces them on a
// stream, refreshes its heartbeat, and between ticks waits on the stream for the other nodes' changes.
// Redis down or slow never reaches a routing thread: the thread logs once, reconnects with backoff, keeps
// the latest share per account, republishes everything and catches up when Redis is back.
// Thread-safety: Publish and Read from any number of threads, without locks; Stop (or the destructor) once,
// after the last Publish/Read.
#ifndef TOLLGUARD_LIB_CLUSTER_NODE_H_
#define TOLLGUARD_LIB_CLUSTER_NODE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "lib/cluster/contribution.h"
#include "lib/cluster/remote_table.h"
#include "lib/cluster/ring.h"
#include "lib/policy/cluster_config.h"

namespace tollguard::cluster {

class SyncLoop;

class Node {
 public:
  // The node id: $TOLLGUARD_NODE_ID when set, else the policy's node_id, else the host name.
  static std::string ResolveNodeId(const policy::ClusterConfig& config);

  // Starts the sync thread; returns at once (the connection is made in the background).
  // `state_restored`: the engine loaded its state snapshot, so this node's earlier share is already in
  // its records; otherwise the node's own share found in Redis is carried forward (see docs/CLUSTER.md).
  Node(const policy::ClusterConfig& config, std::string node_id, bool state_restored);
  ~Node();  // Stop()
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Hands an account's new values to the sync thread. Hot path: never blocks; dropped when the ring is
  // full (the account's next change carries its whole state again).
  void Publish(const Event& e) { ring_.Push(e); }
  // The other nodes' merged share of the account. Hot path: no lock, no allocation.
  bool Read(uint64_t key, uint32_t check, Contribution* out) const { return table_.Read(key, check, out); }
  // A hint, early in a decision: the account's slot is fetched while the number is normalized.
  void Prefetch(uint64_t key) const { table_.Prefetch(key); }

  // Stops and joins the sync thread (wakes it from a blocking read). Idempotent.
  void Stop();

  const std::string& node_id() const { return node_id_; }
  const policy::ClusterConfig& config() const { return config_; }
  uint64_t dropped_events() const { return ring_.dropped(); }
  bool connected() const { return connected_.load(std::memory_order_relaxed); }

 private:
  friend class SyncLoop;
  const policy::ClusterConfig config_;
  const std::string node_id_;
  const bool state_restored_;
  MpscRing<Event> ring_;
  RemoteTable table_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::mutex wake_mu_;             // guards fd_ and the sleep between reconnects
  std::condition_variable wake_;
  int fd_ = -1;                    // the sync thread's socket, shut down by Stop to end a blocking read
  std::unique_ptr<SyncLoop> loop_;
  std::thread thread_;
};

}  // namespace tollguard::cluster

#endif  // TOLLGUARD_LIB_CLUSTER_NODE_H_
