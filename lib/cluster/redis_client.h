// A thin synchronous Redis connection for the sync thread (hiredis): connect with a timeout, AUTH,
// pipelines of commands given as argument vectors, replies as hiredis objects.
// Thread-safety: one thread uses a connection; none of it runs on the hot path.
#ifndef TOLLGUARD_LIB_CLUSTER_REDIS_CLIENT_H_
#define TOLLGUARD_LIB_CLUSTER_REDIS_CLIENT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/policy/cluster_config.h"

struct redisContext;
struct redisReply;

namespace tollguard::cluster {

struct ReplyDeleter {
  void operator()(redisReply* r) const;
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

class RedisClient {
 public:
  RedisClient() = default;
  ~RedisClient() { Close(); }
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Connects (TCP or unix socket), sets the command timeout to timeout_ms + extra_read_ms (room for a
  // blocking read), and authenticates when the config has a password. false with *error on failure.
  bool Connect(const policy::ClusterConfig& config, int extra_read_ms, std::string* error);
  void Close();
  bool connected() const { return ctx_ != nullptr; }
  int fd() const;

  // Queues one command (copied into the output buffer).
  void Append(const std::vector<std::string>& argv);
  // Sends the queue and reads its replies in order; false with *error on an I/O error or timeout (the
  // connection is then unusable: Close it). A Redis error reply is returned as a reply, not a failure.
  bool Flush(size_t count, std::vector<Reply>* replies, std::string* error);
  size_t pending() const { return pending_; }

 private:
  redisContext* ctx_ = nullptr;
  size_t pending_ = 0;
};

// Reply helpers (nullptr-safe).
bool IsError(const redisReply* r);
std::string_view StringOf(const redisReply* r);  // string/status/error text; empty otherwise

}  // namespace tollguard::cluster

#endif  // TOLLGUARD_LIB_CLUSTER_REDIS_CLIENT_H_
