#include "lib/cluster/node.h"

#include <sys/socket.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "lib/cluster/redis_client.h"

namespace tollguard::cluster {
namespace {

constexpr size_t kRingCapacity = 16384;
constexpr int64_t kKeyTtlMs = 8 * 86400000LL;  // longer than the longest window (7 days)
constexpr size_t kBatchAccounts = 1000;        // accounts per pipelined batch
constexpr int kMinBackoffMs = 50, kMaxBackoffMs = 2000;
constexpr int64_t kPruneEveryMs = 60000;

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

struct AcctId {
  uint64_t key;
  uint32_t check;
  bool operator==(const AcctId& o) const { return key == o.key && check == o.check; }
  template <typename H>
  friend H AbslHashValue(H h, const AcctId& a) {
    return H::combine(std::move(h), a.key, a.check);
  }
};

std::string Hex(const AcctId& a) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64 "%08" PRIx32, a.key, a.check);
  return buf;
}

bool ParseHex(std::string_view s, AcctId* out) {
  if (s.size() != 24) return false;
  uint64_t k = 0;
  uint32_t c = 0;
  for (size_t i = 0; i < 24; ++i) {
    const char ch = s[i];
    int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
    if (d < 0) return false;
    if (i < 16) k = k << 4 | static_cast<uint64_t>(d);
    else c = c << 4 | static_cast<uint32_t>(d);
  }
  *out = {k, c};
  return true;
}

}  // namespace

// Everything the sync thread owns. Only Node::thread_ touches it.
class SyncLoop {
 public:
  explicit SyncLoop(Node* node)
      : n_(*node), cfg_(node->config_), prefix_(cfg_.key_prefix), stream_(prefix_ + "changes") {
    std::random_device rd;
    incarnation_ = (static_cast<uint64_t>(rd()) << 32 | rd()) | 1;
    nodes_.push_back({"", 0});  // index 0: this node's own share from before a restart (carry)
  }

  void Run();

 private:
  struct Own {
    Contribution c;
    bool dirty = false;
  };
  struct Entry {
    uint32_t node;       // index into nodes_
    uint64_t incarnation;
    Contribution c;
  };
  struct NodeInfo {
    std::string name;
    uint64_t heartbeat;  // incarnation in the node's heartbeat key; 0: none (dead or unknown)
  };

  void Log(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  bool Connect();
  void Disconnect(const std::string& why);
  void Drain();
  bool CatchUp();
  bool Publish();
  bool Poll(int block_ms);
  bool FetchAccounts(const std::vector<AcctId>& accts, bool include_self);
  void ApplyHash(const AcctId& a, const redisReply* hash, bool include_self);
  void Rebuild(const AcctId& a);
  void RebuildAll();
  uint32_t NodeIndex(std::string_view name);
  void Prune(int64_t now);
  void SleepMs(int ms);

  Node& n_;
  const policy::ClusterConfig& cfg_;
  const std::string prefix_, stream_;
  uint64_t incarnation_ = 0;
  RedisClient redis_;
  bool first_catchup_ = true;
  bool down_logged_ = false;
  int backoff_ms_ = kMinBackoffMs;
  int failures_ = 0;  // since the last successful publish: each reconnect after a failure waits backoff_ms_
  std::string last_id_ = "0-0";
  absl::flat_hash_map<AcctId, Own> own_;
  std::vector<AcctId> dirty_;  // accounts of own_ with dirty set, each once
  void MarkDirty(const AcctId& a, Own& o) {
    if (!o.dirty) dirty_.push_back(a);
    o.dirty = true;
  }
  absl::flat_hash_map<AcctId, Contribution> carry_;
  absl::flat_hash_map<AcctId, std::vector<Entry>> remote_;
  std::vector<NodeInfo> nodes_;
  absl::flat_hash_map<std::string, uint32_t> node_index_;
  uint64_t own_dropped_ = 0;
  int64_t next_prune_ = 0;
};

void SyncLoop::Log(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "tollguard cluster [%s]: %s\n", n_.node_id_.c_str(), buf);
}

void SyncLoop::SleepMs(int ms) {
  std::unique_lock<std::mutex> lock(n_.wake_mu_);
  n_.wake_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return n_.stop_.load(); });
}

bool SyncLoop::Connect() {
  std::string error;
  if (!redis_.Connect(cfg_, static_cast<int>(cfg_.sync_interval_ms), &error)) {
    if (!down_logged_) {
      Log("cannot reach redis at %s: %s; deciding from local state, retrying with backoff",
          cfg_.unix_path.empty() ? absl::StrCat(cfg_.host, ":", cfg_.port).c_str() : cfg_.unix_path.c_str(),
          error.c_str());
      down_logged_ = true;
    }
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(n_.wake_mu_);
    n_.fd_ = redis_.fd();
  }
  if (n_.stop_.load()) {
    redis_.Close();
    return false;
  }
  return true;
}

void SyncLoop::Disconnect(const std::string& why) {
  {
    std::lock_guard<std::mutex> lock(n_.wake_mu_);
    n_.fd_ = -1;
  }
  redis_.Close();
  n_.connected_.store(false, std::memory_order_relaxed);
  if (!down_logged_ && !n_.stop_.load()) {
    Log("lost redis: %s; deciding from local state, retrying with backoff", why.c_str());
    down_logged_ = true;
  }
}

void SyncLoop::Drain() {
  Event e;
  while (n_.ring_.Pop(&e)) {
    const AcctId a{e.key, e.check};
    auto it = own_.find(a);
    if (it == own_.end()) {
      if (own_.size() >= 4ull * cfg_.remote_accounts) {  // bounded while Redis is away
        ++own_dropped_;
        continue;
      }
      it = own_.emplace(a, Own{}).first;
    }
    it->second.c = FromEvent(e);
    MarkDirty(a, it->second);
  }
}

uint32_t SyncLoop::NodeIndex(std::string_view name) {
  auto it = node_index_.find(std::string(name));
  if (it != node_index_.end()) return it->second;
  nodes_.push_back({std::string(name), 0});
  const uint32_t idx = static_cast<uint32_t>(nodes_.size() - 1);
  node_index_.emplace(std::string(name), idx);
  return idx;
}

// One account's merged share of the other nodes, into the hot path's table.
void SyncLoop::Rebuild(const AcctId& a) {
  auto it = remote_.find(a);
  Contribution total;
  if (it != remote_.end()) {
    for (const Entry& e : it->second) {
      Contribution c = e.c;
      if (e.node == 0 || nodes_[e.node].heartbeat != e.incarnation) c.live = c.live_intl = 0;
      total.Add(c);
    }
  }
  n_.table_.Write(a.key, a.check, total);
}

void SyncLoop::RebuildAll() {
  for (const auto& [a, entries] : remote_) Rebuild(a);
}

void SyncLoop::ApplyHash(const AcctId& a, const redisReply* hash, bool include_self) {
  if (hash == nullptr || hash->type != REDIS_REPLY_ARRAY) return;
  std::vector<Entry>& entries = remote_[a];
  // Keep the carried share (node 0); every other node's share is replaced by what Redis has now.
  entries.erase(std::remove_if(entries.begin(), entries.end(), [](const Entry& e) { return e.node != 0; }),
                entries.end());
  for (size_t i = 0; i + 1 < hash->elements; i += 2) {
    const std::string_view field = StringOf(hash->element[i]);
    Entry e;
    if (!Decode(StringOf(hash->element[i + 1]), &e.c, &e.incarnation)) continue;
    if (field == n_.node_id_) {
      if (include_self && !n_.state_restored_ && e.incarnation != incarnation_) {
        // This node's share from before a restart whose records were not restored: carried forward, so
        // that neither this node nor the others forget it. Its live calls ended with the old process.
        e.c.live = e.c.live_intl = 0;
        carry_[a] = e.c;
        MarkDirty(a, own_[a]);  // republished (as carried + new) on every reconnect, like the node's own
        e.node = 0;
        entries.erase(std::remove_if(entries.begin(), entries.end(), [](const Entry& x) { return x.node == 0; }),
                      entries.end());
        entries.push_back(e);
      }
      continue;
    }
    e.node = NodeIndex(field);
    entries.push_back(e);
  }
  Rebuild(a);
}

bool SyncLoop::FetchAccounts(const std::vector<AcctId>& accts, bool include_self) {
  for (size_t start = 0; start < accts.size(); start += kBatchAccounts) {
    const size_t end = std::min(accts.size(), start + kBatchAccounts);
    for (size_t i = start; i < end; ++i) redis_.Append({"HGETALL", prefix_ + "a:" + Hex(accts[i])});
    std::vector<Reply> replies;
    std::string error;
    if (!redis_.Flush(end - start, &replies, &error)) {
      Disconnect(error);
      return false;
    }
    for (size_t i = start; i < end; ++i) ApplyHash(accts[i], replies[i - start].get(), include_self);
  }
  return true;
}

// After (re)connecting: where the change stream ends now, then every account hash under the prefix.
bool SyncLoop::CatchUp() {
  std::vector<Reply> r;
  std::string error;
  redis_.Append({"XREVRANGE", stream_, "+", "-", "COUNT", "1"});
  if (!redis_.Flush(1, &r, &error)) return Disconnect(error), false;
  std::string last = "0-0";
  if (r[0] && r[0]->type == REDIS_REPLY_ARRAY && r[0]->elements > 0 &&
      r[0]->element[0]->type == REDIS_REPLY_ARRAY && r[0]->element[0]->elements > 0) {
    last = std::string(StringOf(r[0]->element[0]->element[0]));
  } else if (IsError(r[0].get())) {
    return Disconnect(absl::StrCat("XREVRANGE: ", std::string(StringOf(r[0].get())))), false;
  }
  std::string cursor = "0";
  size_t accounts = 0;
  const std::string pattern = prefix_ + "a:*";
  do {
    redis_.Append({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!redis_.Flush(1, &r, &error)) return Disconnect(error), false;
    const redisReply* s = r[0].get();
    if (s == nullptr || s->type != REDIS_REPLY_ARRAY || s->elements != 2) {
      return Disconnect(absl::StrCat("SCAN: ", std::string(StringOf(s)))), false;
    }
    cursor = std::string(StringOf(s->element[0]));
    std::vector<AcctId> accts;
    for (size_t i = 0; i < s->element[1]->elements; ++i) {
      const std::string_view k = StringOf(s->element[1]->element[i]);
      AcctId a;
      if (k.size() == prefix_.size() + 2 + 24 && ParseHex(k.substr(prefix_.size() + 2), &a)) accts.push_back(a);
    }
    accounts += accts.size();
    if (!FetchAccounts(accts, first_catchup_)) return false;
  } while (cursor != "0" && !n_.stop_.load());
  last_id_ = last;
  if (first_catchup_ || down_logged_) {  // once per outage, not per retry of a failing session
    Log("connected to redis; caught up %zu accounts%s", accounts,
        first_catchup_ && !carry_.empty() ? absl::StrCat(", ", carry_.size(), " carried from before a restart").c_str() : "");
  }
  first_catchup_ = false;
  return true;
}

// One tick: this node's changed shares, the change announcement, the heartbeat, the others' heartbeats.
bool SyncLoop::Publish() {
  std::vector<AcctId> dirty;
  dirty.swap(dirty_);
  std::vector<Reply> replies;
  std::string error;
  const std::string ttl = std::to_string(kKeyTtlMs);
  for (size_t start = 0; start < dirty.size() || start == 0; start += kBatchAccounts) {
    const size_t end = std::min(dirty.size(), start + kBatchAccounts);
    std::string list;
    list.reserve((end - start) * 24);
    size_t cmds = 0;
    for (size_t i = start; i < end; ++i) {
      const AcctId& a = dirty[i];
      Contribution c = own_[a].c;
      auto carried = carry_.find(a);
      if (carried != carry_.end()) c.Add(carried->second);
      const std::string hex = Hex(a);
      const std::string key = prefix_ + "a:" + hex;
      redis_.Append({"HSET", key, n_.node_id_, Encode(c, incarnation_)});
      redis_.Append({"PEXPIRE", key, ttl});
      cmds += 2;
      list += hex;
    }
    if (!list.empty()) {
      redis_.Append({"XADD", stream_, "MAXLEN", "~", "1000", "*", "n", n_.node_id_, "a", list});
      ++cmds;
    }
    if (start == 0) {  // once per tick
      char inc[24];
      std::snprintf(inc, sizeof(inc), "%" PRIx64, incarnation_);
      redis_.Append({"SET", prefix_ + "hb:" + n_.node_id_, inc, "PX",
                     std::to_string(static_cast<int64_t>(cfg_.live_call_ttl_s) * 1000)});
      ++cmds;
      std::vector<std::string> mget{"MGET"};
      for (size_t i = 1; i < nodes_.size(); ++i) mget.push_back(prefix_ + "hb:" + nodes_[i].name);
      if (mget.size() > 1) {
        redis_.Append(mget);
        ++cmds;
      }
    }
    auto failed = [&](const std::string& why) {
      for (size_t i = start; i < dirty.size(); ++i) dirty_.push_back(dirty[i]);  // still dirty: next time
      Disconnect(why);
      return false;
    };
    if (!redis_.Flush(cmds, &replies, &error)) return failed(error);
    for (const Reply& r : replies) {
      if (IsError(r.get())) return failed(absl::StrCat("redis error: ", std::string(StringOf(r.get()))));
    }
    if (start == 0 && nodes_.size() > 1) {
      const redisReply* hb = replies.back().get();
      bool changed = false;
      if (hb && hb->type == REDIS_REPLY_ARRAY && hb->elements == nodes_.size() - 1) {
        for (size_t i = 1; i < nodes_.size(); ++i) {
          const std::string_view v = StringOf(hb->element[i - 1]);
          const uint64_t inc = v.empty() ? 0 : std::strtoull(std::string(v).c_str(), nullptr, 16);
          if (inc != nodes_[i].heartbeat) {
            nodes_[i].heartbeat = inc;
            changed = true;
          }
        }
      }
      if (changed) RebuildAll();  // a node died or came back: its live calls leave or rejoin the sums
    }
    for (size_t i = start; i < end; ++i) own_[dirty[i]].dirty = false;
    if (dirty.empty()) break;
  }
  return true;
}

// Waits up to block_ms for other nodes' announcements and applies them.
bool SyncLoop::Poll(int block_ms) {
  std::vector<Reply> r;
  std::string error;
  redis_.Append({"XREAD", "COUNT", "1000", "BLOCK", std::to_string(std::max(1, block_ms)), "STREAMS", stream_,
                 last_id_});
  if (!redis_.Flush(1, &r, &error)) return Disconnect(error), false;
  const redisReply* x = r[0].get();
  if (x == nullptr || x->type == REDIS_REPLY_NIL) return true;  // timed out: nothing new
  if (x->type != REDIS_REPLY_ARRAY || x->elements == 0 || x->element[0]->elements != 2) {
    return Disconnect(absl::StrCat("XREAD: ", std::string(StringOf(x)))), false;
  }
  const redisReply* entries = x->element[0]->element[1];
  std::vector<AcctId> accts;
  absl::flat_hash_map<AcctId, bool> seen;
  for (size_t i = 0; i < entries->elements; ++i) {
    const redisReply* en = entries->element[i];
    if (en->type != REDIS_REPLY_ARRAY || en->elements != 2) continue;
    last_id_ = std::string(StringOf(en->element[0]));
    const redisReply* f = en->element[1];
    std::string_view node, list;
    for (size_t k = 0; k + 1 < f->elements; k += 2) {
      const std::string_view name = StringOf(f->element[k]);
      if (name == "n") node = StringOf(f->element[k + 1]);
      if (name == "a") list = StringOf(f->element[k + 1]);
    }
    if (node.empty() || node == n_.node_id_) continue;
    NodeIndex(node);  // a new node's live calls count once its heartbeat is read (next tick)
    for (size_t p = 0; p + 24 <= list.size(); p += 24) {
      AcctId a;
      if (ParseHex(list.substr(p, 24), &a) && seen.emplace(a, true).second) accts.push_back(a);
    }
  }
  return FetchAccounts(accts, false);
}

void SyncLoop::Prune(int64_t now) {
  if (now < next_prune_) return;
  next_prune_ = now + kPruneEveryMs;
  for (auto it = own_.begin(); it != own_.end();) {
    Contribution c = it->second.c;
    c.DecayTo(now);
    auto next = std::next(it);
    if (!it->second.dirty && c.Negligible() && !carry_.contains(it->first)) own_.erase(it);
    it = next;
  }
}

void SyncLoop::Run() {
  int64_t next_pub = 0;
  while (!n_.stop_.load()) {
    if (!redis_.connected()) {
      Drain();
      if (failures_ > 0) {  // any failure (connect, catch-up, publish, poll) backs off before the next try
        SleepMs(backoff_ms_);
        backoff_ms_ = std::min(kMaxBackoffMs, backoff_ms_ * 2);
        if (n_.stop_.load()) break;
      }
      ++failures_;
      if (!Connect() || !CatchUp()) continue;
      for (auto& [a, o] : own_) MarkDirty(a, o);  // Redis may have lost them (restart without persistence)
      n_.connected_.store(true, std::memory_order_relaxed);
      next_pub = 0;
    }
    const int64_t now = WallMs();
    if (now >= next_pub) {
      Drain();
      if (!Publish()) continue;
      if (failures_ > 0) {  // healthy again
        failures_ = 0;
        backoff_ms_ = kMinBackoffMs;
        down_logged_ = false;
      }
      // Published every half interval: a change, plus the round trip and the reader's wake-up, reaches
      // every other node within one sync interval (docs/CLUSTER.md, consistency model).
      next_pub = now + std::max<int64_t>(5, cfg_.sync_interval_ms / 2);
      Prune(now);
    }
    const int64_t wait = next_pub - WallMs();
    if (wait > 0 && !Poll(static_cast<int>(wait))) continue;
  }
  if (own_dropped_) Log("%" PRIu64 " accounts not shared (pending table full)", own_dropped_);
}

std::string Node::ResolveNodeId(const policy::ClusterConfig& config) {
  if (const char* env = std::getenv("TOLLGUARD_NODE_ID"); env != nullptr && *env) return env;
  if (!config.node_id.empty()) return config.node_id;
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0 && host[0]) return host;
  return "node";
}

Node::Node(const policy::ClusterConfig& config, std::string node_id, bool state_restored)
    : config_(config),
      node_id_(std::move(node_id)),
      state_restored_(state_restored),
      ring_(kRingCapacity),
      table_(config.remote_accounts) {
  loop_ = std::make_unique<SyncLoop>(this);
  thread_ = std::thread([this] { loop_->Run(); });
}

Node::~Node() { Stop(); }

void Node::Stop() {
  {
    std::lock_guard<std::mutex> lock(wake_mu_);
    stop_.store(true);
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);  // ends a blocking XREAD at once
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tollguard::cluster
