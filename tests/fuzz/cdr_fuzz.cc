// Fuzz harness: the CDR reader of the replay tools (tools/replay/cdr_table.h). Byte 0 picks the format
// (bit 0: CSV with a header / Asterisk Master.csv), the zone of local times (bits 1-2: none, Asia/Tokyo,
// America/New_York, "+09:00") and strict mode (bit 3); the rest is the file.
// Invariants: the columns of the table have one entry per good row; every view points into the text or
// the arena; start times are within the engine's range and durations non-negative; at most
// max_bad_messages messages are kept and bad_count counts them all; a row's raw text splits into as many
// fields as were counted; ParseDuration agrees with what was stored.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "tollguard/tollguard.h"
#include "tools/replay/cdr_table.h"
#include "tools/replay/civil_time.h"

namespace {

using tollguard::replay::CdrTable;
using tollguard::replay::Zone;

bool Inside(std::string_view v, const CdrTable& t) {
  if (v.empty()) return true;
  auto within = [&](const std::string& s) {
    return v.data() >= s.data() && v.data() + v.size() <= s.data() + s.size();
  };
  if (within(t.text)) return true;
  for (const std::string& a : t.arena) {
    if (within(a)) return true;
  }
  return false;
}

const Zone* Zones(int i) {
  static Zone zones[3];
  static const bool loaded = [] {
    std::string err;
    TG_FUZZ_CHECK(Zone::Load("Asia/Tokyo", &zones[0], &err));
    TG_FUZZ_CHECK(Zone::Load("America/New_York", &zones[1], &err));
    TG_FUZZ_CHECK(Zone::Load("+09:00", &zones[2], &err));
    return true;
  }();
  (void)loaded;
  return i == 0 ? nullptr : &zones[i - 1];
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Zones(1);  // Zone::Load sets TZ for a moment: do it before anything else runs
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgfuzz::Bytes in(data, size);
  const uint8_t sel = in.U8();
  tollguard::replay::ReadOptions o;
  o.format = sel & 1 ? tollguard::replay::CdrFormat::kAsterisk : tollguard::replay::CdrFormat::kCsv;
  o.zone = Zones((sel >> 1) & 3);
  o.strict = (sel >> 3) & 1;
  o.max_bad_messages = 4;
  CdrTable t;
  std::string error;
  const auto status = tollguard::replay::ReadCdrs(std::string(in.Rest()), o, &t, &error);
  if (status == tollguard::replay::ReadStatus::kBadHeader) {
    TG_FUZZ_CHECK(!error.empty());
    TG_FUZZ_CHECK(t.size() == 0);
    return 0;
  }
  const size_t n = t.size();
  TG_FUZZ_CHECK(t.account.size() == n && t.dialed.size() == n && t.duration_s.size() == n && t.raw.size() == n &&
                t.line.size() == n && t.nfields.size() == n);
  TG_FUZZ_CHECK(t.label.size() == (t.label_col >= 0 ? n : 0));
  TG_FUZZ_CHECK(t.cost.size() == (t.cost_col >= 0 ? n : 0));
  TG_FUZZ_CHECK(t.bad_rows.size() <= t.bad_count);
  TG_FUZZ_CHECK(t.bad_rows.size() <= o.max_bad_messages || (o.strict && t.bad_rows.size() == 1));
  if (status == tollguard::replay::ReadStatus::kStrictStop) TG_FUZZ_CHECK(o.strict && t.bad_count == 1);
  if (o.format == tollguard::replay::CdrFormat::kCsv) {
    TG_FUZZ_CHECK(t.columns.size() == t.num_fields);
    TG_FUZZ_CHECK(t.start_col >= 0 && t.account_col >= 0 && t.dialed_col >= 0 && t.duration_col >= 0);
  }
  std::vector<std::string_view> fields;
  std::string scratch;
  uint32_t last_line = 0;
  for (size_t i = 0; i < n; ++i) {
    TG_FUZZ_CHECK(t.start_ms[i] >= 946684800000LL && t.start_ms[i] <= 7258118400000LL);
    TG_FUZZ_CHECK(t.duration_s[i] >= 0);
    TG_FUZZ_CHECK(!t.account[i].empty() && t.account[i].size() <= TG_MAX_ACCOUNT_LEN);
    TG_FUZZ_CHECK(Inside(t.account[i], t) && Inside(t.dialed[i], t) && Inside(t.raw[i], t));
    if (!t.label.empty()) TG_FUZZ_CHECK(Inside(t.label[i], t));
    if (!t.cost.empty()) TG_FUZZ_CHECK(Inside(t.cost[i], t));
    TG_FUZZ_CHECK(t.line[i] > last_line);
    last_line = t.line[i];
    tollguard::replay::SplitRecord(t.raw[i], &fields, &scratch);
    TG_FUZZ_CHECK(std::min<size_t>(fields.size(), 65535) == t.nfields[i]);
  }
  // ParseDuration on arbitrary text: a success is a non-negative int32.
  int32_t secs = -1;
  if (tollguard::replay::ParseDuration(std::string_view(t.text).substr(0, 24), &secs)) TG_FUZZ_CHECK(secs >= 0);
  return 0;
}
