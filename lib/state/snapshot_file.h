// The state snapshot on disk: accounts and live calls, written crash-safely (temporary file in the same
// folder, fsync, rename, fsync of the folder) and verified whole (magic, version, sizes, checksum) before
// anything is applied, so a truncated, corrupt or foreign file changes nothing.
// Thread-safety: SaveSnapshot runs beside deciding threads (records are copied one at a time under their
// own lock, live-call shards one at a time);
// LoadSnapshot runs at engine creation.
#ifndef TOLLGUARD_LIB_STATE_SNAPSHOT_FILE_H_
#define TOLLGUARD_LIB_STATE_SNAPSHOT_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "lib/state/account_store.h"
#include "lib/state/live_calls.h"
#include "tollguard/tollguard.h"

namespace tollguard::state {

inline constexpr char kSnapshotMagic[8] = {'T', 'G', 'S', 'T', 'A', 'T', 'E', '\n'};
inline constexpr uint32_t kSnapshotFormat = 1;

// The checksum that ends a snapshot file (over every byte before it): FNV-1a over 8-byte words.
uint64_t SnapshotChecksum(const char* data, size_t size);

absl::Status SaveSnapshot(const std::string& path, const AccountStore& accounts, const LiveCalls& live);

struct LoadResult {
  absl::Status status;
  tg_status code = TG_OK;  // TG_E_IO (cannot open/read), TG_E_STATE_CORRUPT, TG_E_STATE_VERSION
  uint64_t accounts = 0, live_calls = 0, dropped = 0;
};
LoadResult LoadSnapshot(const std::string& path, AccountStore* accounts, LiveCalls* live);

// Verifies a snapshot held in memory; on success the view's pointers point into `data` (unaligned: copy
// each record out before use). For the loader and
// the fuzzer.
struct SnapshotView {
  const char* accounts_bytes = nullptr;
  uint64_t account_count = 0;
  const char* live_bytes = nullptr;
  uint64_t live_count = 0;
};
LoadResult ParseSnapshot(const std::string& data, SnapshotView* view);

}  // namespace tollguard::state

#endif  // TOLLGUARD_LIB_STATE_SNAPSHOT_FILE_H_
