#include "tools/replay/replay.h"

#include <algorithm>
#include <queue>
#include <utility>
#include <vector>

namespace tollguard::replay {
namespace {

struct PendingEnd {
  int64_t end_ms;
  uint64_t call_id;  // ascending in begin order, which breaks ties between equal ends
  int32_t billed_s;
  bool operator>(const PendingEnd& o) const { return end_ms != o.end_ms ? end_ms > o.end_ms : call_id > o.call_id; }
};

}  // namespace

ReplayCounts Replay(tg_engine* engine, const ReplayInput& in, DecisionSink* sink, const ReplayOptions& options) {
  ReplayCounts counts;
  const size_t n = in.rows;

  // Start order, stable. Most exports are nearly sorted by end; check for the already-sorted case first.
  std::vector<uint32_t> order(n);
  bool sorted = true;
  for (size_t i = 0; i < n; ++i) {
    order[i] = static_cast<uint32_t>(i);
    if (i > 0 && in.start_ms[i] < in.start_ms[i - 1]) sorted = false;
  }
  if (!sorted) {
    std::vector<std::pair<int64_t, uint32_t>> keys(n);
    for (size_t i = 0; i < n; ++i) keys[i] = {in.start_ms[i], static_cast<uint32_t>(i)};
    std::sort(keys.begin(), keys.end());  // (start, index): equal starts keep input order
    for (size_t i = 0; i < n; ++i) order[i] = keys[i].second;
  }

  std::vector<PendingEnd> heap_storage;
  heap_storage.reserve(1024);
  std::priority_queue<PendingEnd, std::vector<PendingEnd>, std::greater<PendingEnd>> ends(std::greater<PendingEnd>(),
                                                                                         std::move(heap_storage));
  auto deliver = [&](const PendingEnd& e) {
    const tg_status st = tg_call_end(engine, e.call_id, e.end_ms, e.billed_s);
    ++counts.connected;
    if (st != TG_OK) ++counts.end_errors;
  };

  tg_call call = TG_CALL_INIT;
  tg_decision d = TG_DECISION_INIT;
  for (size_t k = 0; k < n; ++k) {
    const size_t row = order[k];
    const int64_t start = in.start_ms[row];
    while (!ends.empty() && ends.top().end_ms <= start) {
      deliver(ends.top());
      ends.pop();
    }
    call.account = tg_str{in.account[row].data(), in.account[row].size()};
    call.dialed = tg_str{in.dialed[row].data(), in.dialed[row].size()};
    call.start_unix_ms = start;
    call.call_id = options.call_id_base + row;
    d = TG_DECISION_INIT;
    const tg_status st = tg_call_begin(engine, &call, &d);
    ++counts.calls;
    if (d.action == TG_ACTION_BLOCK) ++counts.blocked;
    if (d.action == TG_ACTION_ALERT) ++counts.alerted;
    if (st >= TG_E_NUMBER_EMPTY && st <= TG_E_NUMBER_TOO_SHORT) {
      ++counts.invalid_numbers;
    } else if (st != TG_OK) {
      ++counts.other_errors;
    }
    // Only a call the engine made live (TG_OK and not blocked) is connected and later ended.
    if (st == TG_OK && d.action != TG_ACTION_BLOCK) {
      // The PBX cuts the call at max_duration_s, as the Kamailio plugin does with the dialog timeout.
      int32_t billed = in.duration_s[row];
      if (d.max_duration_s > 0 && billed > d.max_duration_s) billed = d.max_duration_s;
      const PendingEnd e{start + int64_t{billed} * 1000, call.call_id, billed};
      if (billed == 0) {
        deliver(e);
      } else {
        ends.push(e);
      }
    }
    sink->Decided(row, st, d);
    if (options.progress && ((k + 1) & 0xFFFF) == 0) options.progress(k + 1, n);
  }
  while (!ends.empty()) {
    deliver(ends.top());
    ends.pop();
  }
  if (options.progress) options.progress(n, n);
  return counts;
}

}  // namespace tollguard::replay
