#include "lib/state/snapshot_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/policy/loader.h"

namespace tollguard::state {
namespace {

struct Header {
  char magic[8];
  uint32_t format;
  uint32_t record_version;
  uint32_t record_size;
  uint32_t live_size;
  uint64_t account_count;
  uint64_t live_count;
};
static_assert(sizeof(Header) == 40, "header layout");

struct LiveEntry {
  uint64_t id;
  LiveCall call;
};


constexpr int64_t kMinTimeMs = 946684800000LL;   // 2000-01-01, as the engine accepts
constexpr int64_t kMaxTimeMs = 7258118400000LL;  // 2200-01-01

bool TimeOk(int64_t t) { return t >= kMinTimeMs && t <= kMaxTimeMs; }
bool Finite(float f) { return std::isfinite(f) && f >= 0.f; }

// Why a record read from a snapshot cannot be used, or empty. A checksum only proves the bytes are the
// ones written: a file from a buggy or foreign build must not put impossible values into the engine.
std::string RecordProblem(const AccountRecord& r) {
  if (r.key == 0) return "empty key";
  if (r.recent_pos >= kRecentNumbers) return absl::StrCat("recent_pos ", r.recent_pos, " outside the ring");
  for (int64_t t : {r.first_seen_ms, r.last_seen_ms, r.rate_t_ms, r.spend_t_ms}) {
    if (!TimeOk(t)) return absl::StrCat("time ", t, " outside 2000..2200");
  }
  for (const signals::Windows* w : {&r.attempts, &r.intl, &r.high_risk}) {
    for (float v : w->v) {
      if (!Finite(v)) return "a rate window is not a finite count";
    }
  }
  for (float v : {r.off_hours_week, r.off_hours_day, r.alerts_hour, r.spend_hour, r.spend_day, r.spend_week}) {
    if (!Finite(v)) return "a counter is not a finite amount";
  }
  if (!std::isfinite(r.live_rate_per_s) || !std::isfinite(r.live_rate_start)) return "live exposure is not finite";
  return {};
}

std::string LiveProblem(const LiveCall& c) {
  if (!TimeOk(c.start_ms)) return absl::StrCat("start ", c.start_ms, " outside 2000..2200");
  if (c.account_key == 0) return "empty account key";
  // learn: 0 = no learning, else the days a destination needs (any uint8; files before the third session
  // wrote 1 for "learn").
  if (c.intl > 1 || c.tier > 3) return "flags out of range";
  return {};
}

absl::Status Errno(absl::string_view what, const std::string& path) {
  const int e = errno;
  return absl::UnavailableError(absl::StrCat(what, " ", path, ": ", std::strerror(e)));
}

absl::Status WriteAll(int fd, const char* p, size_t n, const std::string& path) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return absl::OkStatus();
}

}  // namespace

uint64_t SnapshotChecksum(const char* p, size_t n) {
  // FNV-1a over 8-byte words, then the tail: fast enough for hundreds of MB, catches torn writes.
  uint64_t h = 1469598103934665603ull;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 1099511628211ull;
    h ^= h >> 29;
  }
  for (; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 1099511628211ull;
  return h;
}

absl::Status SaveSnapshot(const std::string& path, const AccountStore& accounts, const LiveCalls& live) {
  std::string buf;
  Header h{};
  std::memcpy(h.magic, kSnapshotMagic, 8);
  h.format = kSnapshotFormat;
  h.record_version = kAccountRecordVersion;
  h.record_size = sizeof(AccountRecord);
  h.live_size = sizeof(LiveEntry);
  buf.resize(sizeof(Header));
  accounts.ForEach([&](const AccountRecord& r) {
    buf.append(reinterpret_cast<const char*>(&r), sizeof(r));
    ++h.account_count;
  });
  live.ForEach([&](uint64_t id, const LiveCall& c) {
    LiveEntry e{id, c};
    buf.append(reinterpret_cast<const char*>(&e), sizeof(e));
    ++h.live_count;
  });
  std::memcpy(buf.data(), &h, sizeof(h));
  const uint64_t sum = SnapshotChecksum(buf.data(), buf.size());
  buf.append(reinterpret_cast<const char*>(&sum), sizeof(sum));

  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  // One temporary name per snapshot path: a save killed half-way leaves at most one file behind, which the
  // next save overwrites (saves of one engine are serialized; two processes must not share a path).
  const std::string tmp = absl::StrCat(path, ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", tmp);
  absl::Status s = WriteAll(fd, buf.data(), buf.size(), tmp);
  if (s.ok() && ::fsync(fd) != 0) s = Errno("cannot fsync", tmp);
  if (::close(fd) != 0 && s.ok()) s = Errno("cannot close", tmp);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = Errno("cannot rename onto", path);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return absl::OkStatus();
}

LoadResult ParseSnapshot(const std::string& data, SnapshotView* view) {
  LoadResult res;
  auto corrupt = [&](absl::string_view why) {
    res.code = TG_E_STATE_CORRUPT;
    res.status = absl::DataLossError(absl::StrCat("state snapshot is corrupt: ", why));
    return res;
  };
  if (data.size() < sizeof(Header) + 8) return corrupt(absl::StrCat("only ", data.size(), " bytes"));
  Header h;
  std::memcpy(&h, data.data(), sizeof(h));
  if (std::memcmp(h.magic, kSnapshotMagic, 8) != 0) return corrupt("not a tollguard state file (bad magic)");
  if (h.format != kSnapshotFormat || h.record_version != kAccountRecordVersion || h.record_size != sizeof(AccountRecord) ||
      h.live_size != sizeof(LiveEntry)) {
    res.code = TG_E_STATE_VERSION;
    res.status = absl::FailedPreconditionError(
        absl::StrCat("state snapshot format ", h.format, " record v", h.record_version, " (", h.record_size,
                     " bytes) is not this version's format ", kSnapshotFormat, " record v", kAccountRecordVersion));
    return res;
  }
  const uint64_t max_n = data.size() / 8;
  if (h.account_count > max_n || h.live_count > max_n) return corrupt("counts larger than the file");
  const uint64_t expect = sizeof(Header) + h.account_count * sizeof(AccountRecord) + h.live_count * sizeof(LiveEntry) + 8;
  if (expect != data.size()) {
    return corrupt(absl::StrCat("size ", data.size(), " bytes, expected ", expect, " (truncated or extended)"));
  }
  uint64_t sum;
  std::memcpy(&sum, data.data() + data.size() - 8, 8);
  if (sum != SnapshotChecksum(data.data(), data.size() - 8)) return corrupt("checksum mismatch");
  const char* records = data.data() + sizeof(Header);
  for (uint64_t i = 0; i < h.account_count; ++i) {
    AccountRecord r;
    std::memcpy(&r, records + i * sizeof(AccountRecord), sizeof(r));
    const std::string why = RecordProblem(r);
    if (!why.empty()) return corrupt(absl::StrCat("account record ", i, ": ", why));
  }
  const char* lives = records + h.account_count * sizeof(AccountRecord);
  for (uint64_t i = 0; i < h.live_count; ++i) {
    LiveEntry e;
    std::memcpy(&e, lives + i * sizeof(LiveEntry), sizeof(e));
    const std::string why = LiveProblem(e.call);
    if (!why.empty()) return corrupt(absl::StrCat("live call ", i, ": ", why));
  }
  view->accounts_bytes = data.data() + sizeof(Header);
  view->account_count = h.account_count;
  view->live_bytes = view->accounts_bytes + h.account_count * sizeof(AccountRecord);
  view->live_count = h.live_count;
  return res;
}

LoadResult LoadSnapshot(const std::string& path, AccountStore* accounts, LiveCalls* live) {
  LoadResult res;
  std::string data;
  absl::Status s = policy::ReadFile(path, &data);
  if (!s.ok()) {
    res.code = TG_E_IO;
    res.status = s;
    return res;
  }
  SnapshotView view;
  res = ParseSnapshot(data, &view);
  if (!res.status.ok()) {
    res.status = absl::Status(res.status.code(), absl::StrCat(path, ": ", res.status.message()));
    return res;
  }
  for (uint64_t i = 0; i < view.account_count; ++i) {
    AccountRecord r;
    std::memcpy(&r, view.accounts_bytes + i * sizeof(AccountRecord), sizeof(r));
    if (accounts->Restore(r)) ++res.accounts; else ++res.dropped;
  }
  for (uint64_t i = 0; i < view.live_count; ++i) {
    LiveEntry e;
    std::memcpy(&e, view.live_bytes + i * sizeof(LiveEntry), sizeof(e));
    if (live->Add(e.id, e.call) != LiveCalls::AddResult::kAdded) continue;
    AccountStore::Handle hd = accounts->Acquire({e.call.account_key, e.call.account_check}, e.call.start_ms, false);
    if (AccountRecord* r = hd.record()) {
      const double per_s = e.call.rate_micros / 60.0;
      ++r->live;
      if (e.call.intl) ++r->live_intl;
      r->live_rate_per_s += per_s;
      r->live_rate_start += per_s * static_cast<double>(e.call.start_ms / 1000);
    }
    ++res.live_calls;
  }
  return res;
}

}  // namespace tollguard::state
