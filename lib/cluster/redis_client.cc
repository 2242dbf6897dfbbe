#include "lib/cluster/redis_client.h"

#include <hiredis/hiredis.h>

#include <sys/time.h>

namespace tollguard::cluster {

void ReplyDeleter::operator()(redisReply* r) const { freeReplyObject(r); }

bool IsError(const redisReply* r) { return r == nullptr || r->type == REDIS_REPLY_ERROR; }

std::string_view StringOf(const redisReply* r) {
  if (r == nullptr) return {};
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_ERROR) {
    return std::string_view(r->str, r->len);
  }
  return {};
}

bool RedisClient::Connect(const policy::ClusterConfig& config, int extra_read_ms, std::string* error) {
  Close();
  struct timeval tv;
  tv.tv_sec = config.timeout_ms / 1000;
  tv.tv_usec = static_cast<suseconds_t>((config.timeout_ms % 1000) * 1000);
  redisContext* c = config.unix_path.empty() ? redisConnectWithTimeout(config.host.c_str(), config.port, tv)
                                             : redisConnectUnixWithTimeout(config.unix_path.c_str(), tv);
  if (c == nullptr) {
    *error = "cannot allocate a redis context";
    return false;
  }
  if (c->err) {
    *error = c->errstr;
    redisFree(c);
    return false;
  }
  const int read_ms = static_cast<int>(config.timeout_ms) + extra_read_ms;
  struct timeval rtv;
  rtv.tv_sec = read_ms / 1000;
  rtv.tv_usec = static_cast<suseconds_t>((read_ms % 1000) * 1000);
  if (redisSetTimeout(c, rtv) != REDIS_OK) {
    *error = "cannot set the socket timeout";
    redisFree(c);
    return false;
  }
  ctx_ = c;
  pending_ = 0;
  if (!config.password.empty()) {
    if (config.username.empty()) {
      Append({"AUTH", config.password});
    } else {
      Append({"AUTH", config.username, config.password});
    }
    std::vector<Reply> r;
    if (!Flush(1, &r, error)) return false;
    if (IsError(r[0].get())) {
      *error = "AUTH: " + std::string(StringOf(r[0].get()));
      Close();
      return false;
    }
  }
  return true;
}

void RedisClient::Close() {
  if (ctx_ != nullptr) redisFree(ctx_);
  ctx_ = nullptr;
  pending_ = 0;
}

int RedisClient::fd() const { return ctx_ ? ctx_->fd : -1; }

void RedisClient::Append(const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  ptrs.reserve(argv.size());
  lens.reserve(argv.size());
  for (const std::string& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), ptrs.data(), lens.data());
  ++pending_;
}

bool RedisClient::Flush(size_t count, std::vector<Reply>* replies, std::string* error) {
  replies->clear();
  replies->reserve(count);
  for (size_t i = 0; i < count; ++i) {
    void* r = nullptr;
    if (redisGetReply(ctx_, &r) != REDIS_OK || r == nullptr) {
      *error = ctx_->err ? ctx_->errstr : "no reply";
      if (error->empty()) *error = "connection lost";
      replies->clear();
      pending_ = 0;
      return false;
    }
    replies->emplace_back(static_cast<redisReply*>(r));
  }
  pending_ = pending_ > count ? pending_ - count : 0;
  return true;
}

}  // namespace tollguard::cluster
