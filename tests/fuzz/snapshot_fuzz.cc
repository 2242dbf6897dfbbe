// Fuzz harness: the state snapshot loader (lib/state/snapshot_file.h). Byte 0 modulo 3 picks the mode:
//   0 raw:      the rest is a snapshot file: ParseSnapshot, then LoadSnapshot into a small store. A file that
//               is not exactly a verified snapshot is rejected with a status and changes nothing.
//   1 records:  the rest supplies the bytes of 8 account records and up to 4 live calls; the harness gives
//               the records known account names, writes a correct header and checksum and creates an engine
//               on the file (C API): what a buggy or foreign build, or a corrupted file whose checksum still
//               matches, would put on disk. Arbitrary field values are mostly impossible ones, so this mode
//               checks that such files are rejected whole (TG_E_STATE_CORRUPT, engine empty).
//   2 patched:  a real snapshot of 8 accounts with history and up to 4 live calls (made once), a few bytes
//               changed by the input, checksum recomputed: mostly still valid, so the loaded records reach
//               every decision path with unusual values. Layout-agnostic: no field names.
// In modes 1 and 2 the engine then decides calls for the accounts and ends the live calls. Invariants: a
// clean load or a whole rejection, decisions in range, every loaded live call ends (an unloaded one is
// unknown), live_calls back to 0. Inputs crash_F3/F4 are the regressions of fixed findings F3 and F4.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "fuzz_util.h"
#include "lib/state/account_store.h"
#include "lib/state/live_calls.h"
#include "lib/state/snapshot_file.h"
#include "tollguard/tollguard.h"

namespace {

namespace st = tollguard::state;

constexpr int kAccounts = 8;
constexpr int kMaxLive = 4;
constexpr int64_t kWeekday10Jst = 1795482000000LL;  // 2026-11-24 10:00 Asia/Tokyo

// The on-disk layout (lib/state/snapshot_file.cc); CheckLayout() verifies the copy against a real save.
struct Header {
  char magic[8];
  uint32_t format;
  uint32_t record_version;
  uint32_t record_size;
  uint32_t live_size;
  uint64_t account_count;
  uint64_t live_count;
};
struct LiveEntry {
  uint64_t id;
  st::LiveCall call;
};


std::string Name(int i) { return "fz-" + std::to_string(i); }

std::string MakeSnapshot(const std::string& records, const std::string& live, uint64_t n_acc, uint64_t n_live) {
  Header h{};
  std::memcpy(h.magic, st::kSnapshotMagic, 8);
  h.format = st::kSnapshotFormat;
  h.record_version = st::kAccountRecordVersion;
  h.record_size = sizeof(st::AccountRecord);
  h.live_size = sizeof(LiveEntry);
  h.account_count = n_acc;
  h.live_count = n_live;
  std::string buf(reinterpret_cast<const char*>(&h), sizeof(h));
  buf += records;
  buf += live;
  const uint64_t sum = st::SnapshotChecksum(buf.data(), buf.size());
  buf.append(reinterpret_cast<const char*>(&sum), sizeof(sum));
  return buf;
}

// Saves a real snapshot and rebuilds it with this harness's layout: they must be byte-identical, or the
// fixed mode would only ever test the checksum check.
void CheckLayout() {
  st::AccountStore store(16);
  st::LiveCalls live(16);
  {
    st::AccountStore::Handle h = store.Acquire(st::HashAccount("layout"), kWeekday10Jst, true);
    h.record()->recent_pos = 3;
  }
  st::LiveCall lc;
  lc.account_key = st::HashAccount("layout").key;
  lc.start_ms = kWeekday10Jst;
  live.Add(77, lc);
  const std::string path = tgfuzz::ScratchDir() + "/layout.state";
  TG_FUZZ_CHECK(st::SaveSnapshot(path, store, live).ok());
  std::string saved;
  {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    TG_FUZZ_CHECK(f != nullptr);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) saved.append(buf, n);
    std::fclose(f);
  }
  const size_t rec = sizeof(st::AccountRecord);
  TG_FUZZ_CHECK(saved.size() == sizeof(Header) + rec + sizeof(LiveEntry) + 8);
  const std::string rebuilt = MakeSnapshot(saved.substr(sizeof(Header), rec),
                                           saved.substr(sizeof(Header) + rec, sizeof(LiveEntry)), 1, 1);
  if (rebuilt != saved) {
    std::fprintf(stderr, "snapshot_fuzz: the snapshot format changed; update Header/LiveEntry here\n");
    std::abort();
  }
}

void RawMode(const std::string& bytes) {
  st::SnapshotView view;
  const st::LoadResult parsed = st::ParseSnapshot(bytes, &view);
  const std::string path = tgfuzz::WriteScratch("raw.state", bytes);
  st::AccountStore store(32);
  st::LiveCalls live(8);
  const st::LoadResult loaded = st::LoadSnapshot(path, &store, &live);
  TG_FUZZ_CHECK(parsed.status.ok() == loaded.status.ok());
  if (!parsed.status.ok()) {
    TG_FUZZ_CHECK(parsed.code == TG_E_STATE_CORRUPT || parsed.code == TG_E_STATE_VERSION);
    TG_FUZZ_CHECK(loaded.code == parsed.code);
    TG_FUZZ_CHECK(store.size() == 0 && live.size() == 0);  // nothing applied
    return;
  }
  TG_FUZZ_CHECK(view.account_count * sizeof(st::AccountRecord) + view.live_count * sizeof(LiveEntry) + sizeof(Header) +
                    8 == bytes.size());
  TG_FUZZ_CHECK(store.size() <= store.capacity() && live.size() <= 8);
  TG_FUZZ_CHECK(loaded.accounts + loaded.dropped <= view.account_count);
}

// A small policy without the default destination table, so that creating an engine per input is cheap.
// The fixed policy; `preallocated`: the same with limits.preallocate_accounts (records on huge pages, placed
// by hash), which must load and decide exactly as the lazy store does.
const std::string& FixedPolicy(bool preallocated = false) {
  static const std::string lazy = [] {
    tgfuzz::WriteScratch("rates.csv", "prefix,description,rate\n81,Japan,0.03\n8190,Japan mobile,0.15\n44,UK,0.1\n"
                                      "449,UK premium,2.5\n8821,Thuraya,9.5\n1876,Jamaica,0.4\n");
    return tgfuzz::WriteScratch(
        "fixed.textproto",
        "tables { no_default_table: true rate_deck: \"rates.csv\" override { prefix: \"4420\" action: BLOCK } }\n"
        "accounts { name: \"fz-1\" timezone: \"America/New_York\" }\n");
  }();
  static const std::string pre = [] {  // after `lazy`, which wrote rates.csv
    return tgfuzz::WriteScratch(
        "fixed_pre.textproto",
        "tables { no_default_table: true rate_deck: \"rates.csv\" override { prefix: \"4420\" action: BLOCK } }\n"
        "accounts { name: \"fz-1\" timezone: \"America/New_York\" }\nlimits { preallocate_accounts: true }\n");
  }();
  return preallocated ? pre : lazy;
}

void CheckDecision(tg_status s, const tg_decision& d) {
  TG_FUZZ_CHECK(s == TG_OK || s == TG_E_CAPACITY || (s >= TG_E_NUMBER_EMPTY && s <= TG_E_NUMBER_TOO_SHORT));
  TG_FUZZ_CHECK(d.score >= 0 && d.score <= 1000);
  TG_FUZZ_CHECK(d.action >= TG_ACTION_ALLOW && d.action <= TG_ACTION_BLOCK);
  TG_FUZZ_CHECK(d.max_duration_s >= 0);
  TG_FUZZ_CHECK(d.top_reason >= -1 && d.top_reason < TG_REASON_COUNT);
}

// Creates an engine on the snapshot `bytes` (accounts fz-0..7, live calls `ids`), decides a call for each
// account, ends the live calls, and checks the invariants of modes 1 and 2. A second engine with a
// preallocated store loads the same file and must give the same statuses, counts and decisions.
void LoadDecideEnd(const std::string& bytes, uint64_t n_records, const uint64_t* ids, int n_ids, tgfuzz::Bytes& in) {
  const std::string path = tgfuzz::WriteScratch("fixed.state", bytes);
  tg_engine* engines[2] = {nullptr, nullptr};
  tg_error errs[2] = {TG_ERROR_INIT, TG_ERROR_INIT};
  tg_engine_stats stats[2] = {TG_ENGINE_STATS_INIT, TG_ENGINE_STATS_INIT};
  for (int k = 0; k < 2; ++k) {
    tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
    o.policy_path = FixedPolicy(k == 1).c_str();
    o.home_country = "JP";
    o.timezone = "Asia/Tokyo";
    o.state_path = path.c_str();
    o.max_accounts = 64;
    o.max_live_calls = 16;
    TG_FUZZ_CHECK(tg_engine_create(&o, &engines[k], &errs[k]) == TG_OK);
    tg_engine_get_stats(engines[k], &stats[k]);
  }
  TG_FUZZ_CHECK(errs[0].code == errs[1].code);
  TG_FUZZ_CHECK(stats[0].accounts == stats[1].accounts && stats[0].live_calls == stats[1].live_calls);
  // Well-formed bytes may carry impossible values (times outside 2000..2200, a ring position outside the
  // ring, non-finite counters, flags out of range): the loader rejects such a file whole, the engine starts
  // empty. Otherwise everything loads.
  const bool loaded = errs[0].code == TG_OK;
  if (loaded) {
    // Live calls that started more than the policy's max_call_hours before the wall clock are expired
    // at load (their end was lost): at most n_ids remain.
    if (stats[0].accounts > n_records || stats[0].live_calls > static_cast<uint64_t>(n_ids)) {
      std::fprintf(stderr, "loaded %llu accounts of %llu records, %llu live calls of %d\n",
                   static_cast<unsigned long long>(stats[0].accounts), static_cast<unsigned long long>(n_records),
                   static_cast<unsigned long long>(stats[0].live_calls), n_ids);
    }
    TG_FUZZ_CHECK(stats[0].accounts <= n_records && stats[0].live_calls <= static_cast<uint64_t>(n_ids));
  } else {
    TG_FUZZ_CHECK(errs[0].code == TG_E_STATE_CORRUPT);
    TG_FUZZ_CHECK(stats[0].accounts == 0 && stats[0].live_calls == 0);
  }
  static const char* const kDialed[] = {"0312345678", "010 44 20 7946 0000", "+44 909 879 0000", "+8821612345678",
                                        "090-1234-5678", "010 1 876 555 0123", "110", "010 53 5 1234567"};
  for (int i = 0; i < kAccounts; ++i) {
    const std::string name = Name(i);
    const char* dialed = kDialed[in.U8() % 8];
    const int64_t t = kWeekday10Jst + static_cast<int64_t>(in.Int<int16_t>()) * 600000LL;
    tg_call c = TG_CALL_INIT;
    c.account = {name.data(), name.size()};
    c.dialed = {dialed, std::strlen(dialed)};
    c.start_unix_ms = t;
    tg_decision d[2] = {TG_DECISION_INIT, TG_DECISION_INIT}, b[2] = {TG_DECISION_INIT, TG_DECISION_INIT};
    tg_status ds[2], bs[2];
    for (int k = 0; k < 2; ++k) {
      ds[k] = tg_engine_score(engines[k], &c, &d[k]);
      CheckDecision(ds[k], d[k]);
      bs[k] = tg_call_begin(engines[k], &c, &b[k]);
      CheckDecision(bs[k], b[k]);
    }
    TG_FUZZ_CHECK(ds[0] == ds[1] && d[0].action == d[1].action && d[0].score == d[1].score &&
                  d[0].reasons == d[1].reasons && d[0].max_duration_s == d[1].max_duration_s);
    TG_FUZZ_CHECK(bs[0] == bs[1] && b[0].action == b[1].action && b[0].score == b[1].score &&
                  b[0].reasons == b[1].reasons && b[0].max_duration_s == b[1].max_duration_s);
  }
  const uint64_t live_loaded = stats[0].live_calls;
  uint64_t ended = 0;
  for (int i = 0; i < n_ids; ++i) {
    const int64_t end = in.Bool() ? in.Int<int64_t>() : kWeekday10Jst + 60000;
    const int32_t billed = in.Int<int32_t>();
    const tg_status s = tg_call_end(engines[0], ids[i], end, billed);
    TG_FUZZ_CHECK(s == TG_OK || s == TG_E_TIME || s == TG_E_UNKNOWN_CALL);
    TG_FUZZ_CHECK(tg_call_end(engines[1], ids[i], end, billed) == s);
    if (s != TG_E_UNKNOWN_CALL) ++ended;
  }
  TG_FUZZ_CHECK(ended == live_loaded);  // exactly the loaded calls were live
  for (int k = 0; k < 2; ++k) {
    tg_engine_get_stats(engines[k], &stats[k]);
    TG_FUZZ_CHECK(stats[k].live_calls == 0);
    TG_FUZZ_CHECK(stats[k].accounts <= 64);
    tg_engine_destroy(engines[k]);
  }
  TG_FUZZ_CHECK(stats[0].accounts == stats[1].accounts);
}

void FixedMode(tgfuzz::Bytes& in) {
  const int n_live = in.U8() % (kMaxLive + 1);
  std::string records(kAccounts * sizeof(st::AccountRecord), '\0');
  const std::string_view rb = in.Take(records.size());
  std::memcpy(records.data(), rb.data(), rb.size());
  for (int i = 0; i < kAccounts; ++i) {
    st::AccountRecord r;
    std::memcpy(&r, records.data() + i * sizeof(r), sizeof(r));
    const st::AccountKey k = st::HashAccount(Name(i));
    r.key = k.key;
    r.key_check = k.check;
    std::memcpy(records.data() + i * sizeof(r), &r, sizeof(r));
  }
  std::string live(n_live * sizeof(LiveEntry), '\0');
  uint64_t ids[kMaxLive] = {};
  for (int i = 0; i < n_live; ++i) {
    LiveEntry e{};
    const std::string_view lb = in.Take(sizeof(e));
    std::memcpy(&e, lb.data(), lb.size());
    e.id = 1000 + i;  // distinct, so each must end below
    if (!(e.call.reserved & 1)) {  // usually a call of one of the accounts
      const st::AccountKey k = st::HashAccount(Name(e.call.tier % kAccounts));
      e.call.account_key = k.key;
      e.call.account_check = k.check;
    }
    ids[i] = e.id;
    std::memcpy(live.data() + i * sizeof(e), &e, sizeof(e));
  }
  LoadDecideEnd(MakeSnapshot(records, live, kAccounts, n_live), kAccounts, ids, n_live, in);
}

// A real snapshot made once: 8 accounts with history (answered international calls on several days,
// domestic calls) and up to 4 live calls begun now, ids 1000... Records and live entries as bytes.
struct Template {
  std::string records, live;
  uint64_t n_records = 0, n_live = 0;
};
const Template& RealSnapshot() {
  static const Template t = [] {
    tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
    o.policy_path = FixedPolicy().c_str();
    o.home_country = "JP";
    o.timezone = "Asia/Tokyo";
    o.max_accounts = 64;
    tg_engine* e = nullptr;
    TG_FUZZ_CHECK(tg_engine_create(&o, &e, nullptr) == TG_OK);
    static const char* const kTaught[] = {"010 44 20 7946 0000", "010 1 876 555 0123", "+8821612345678", "0312345678"};
    uint64_t id = 1;
    int live_made = 0;
    for (int i = 0; i < kAccounts; ++i) {
      const std::string name = Name(i);
      for (int day = 0; day < 4; ++day) {
        for (int k = 0; k <= i % 4; ++k) {
          const std::string dialed = std::string(kTaught[(i + k) % 4]).substr(0, 16) + std::to_string(day);
          tg_call c = TG_CALL_INIT;
          c.account = {name.data(), name.size()};
          c.dialed = {dialed.data(), dialed.size()};
          c.start_unix_ms = kWeekday10Jst - (7 - day) * 86400000LL + k * 60000;
          c.call_id = ++id;
          tg_decision d = TG_DECISION_INIT;
          tg_call_begin(e, &c, &d);
          tg_call_end(e, id, c.start_unix_ms + 300000, 240);
        }
      }
      if (live_made < kMaxLive) {
        tg_call c = TG_CALL_INIT;
        c.account = {name.data(), name.size()};
        c.dialed = {"0312345678", 10};
        c.start_unix_ms = 0;  // now: a live call older than max_call_hours (wall clock) expires at load
        c.call_id = 1000 + live_made++;
        tg_decision d = TG_DECISION_INIT;
        // At some hours of the wall clock the policy blocks it (night, weekend): then it is not live and
        // the next account tries.
        if (tg_call_begin(e, &c, &d) != TG_OK || d.action == TG_ACTION_BLOCK) --live_made;
      }
    }
    const std::string path = tgfuzz::ScratchDir() + "/template.state";
    TG_FUZZ_CHECK(tg_engine_save_state(e, path.c_str(), nullptr) == TG_OK);
    tg_engine_destroy(e);
    std::string bytes;
    {
      std::FILE* f = std::fopen(path.c_str(), "rb");
      TG_FUZZ_CHECK(f != nullptr);
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
      std::fclose(f);
    }
    Header h;
    TG_FUZZ_CHECK(bytes.size() >= sizeof(h) + 8);
    std::memcpy(&h, bytes.data(), sizeof(h));
    Template t;
    t.n_records = h.account_count;
    t.n_live = h.live_count;
    TG_FUZZ_CHECK(t.n_live <= kMaxLive);
    t.records = bytes.substr(sizeof(h), t.n_records * sizeof(st::AccountRecord));
    t.live = bytes.substr(sizeof(h) + t.records.size(), t.n_live * sizeof(LiveEntry));
    return t;
  }();
  return t;
}

void PatchedMode(tgfuzz::Bytes& in) {
  const Template& t = RealSnapshot();
  std::string records = t.records, live = t.live;
  const int patches = in.U8() % 17;
  for (int i = 0; i < patches; ++i) {
    const uint8_t sel = in.U8();
    const uint16_t off = in.Int<uint16_t>();
    const uint8_t val = in.U8();
    std::string& region = (sel & 1) && !live.empty() ? live : records;
    char& b = region[off % region.size()];
    b = (sel & 2) ? static_cast<char>(val) : static_cast<char>(b ^ val);
  }
  uint64_t ids[kMaxLive];
  const int n_live = static_cast<int>(t.n_live);
  for (int i = 0; i < n_live; ++i) {  // the ids stay the harness's, so that each can be ended below
    ids[i] = 1000 + i;
    std::memcpy(live.data() + i * sizeof(LiveEntry) + offsetof(LiveEntry, id), &ids[i], sizeof(uint64_t));
  }
  LoadDecideEnd(MakeSnapshot(records, live, t.n_records, t.n_live), t.n_records, ids, n_live, in);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  CheckLayout();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgfuzz::Bytes in(data, size);
  switch (in.U8() % 3) {
    case 0: RawMode(std::string(in.Rest())); break;
    case 1: FixedMode(in); break;
    default: PatchedMode(in); break;
  }
  return 0;
}
