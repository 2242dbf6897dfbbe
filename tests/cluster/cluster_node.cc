// One cluster node for the integration test (tests/cluster/cluster_test.py): an engine behind the public C
// API, driven by line commands on stdin, answering on stdout. Measures each decision's latency itself, so
// that the test can assert that no decision waited on Redis.
//   begin <account> <dialed> <start_ms|0> <call_id>  -> "<action> <score> <reasons hex> <latency ns>"
//   score <account> <dialed> <start_ms|0>            -> the same, recording nothing
//   end <call_id> <end_ms|0> <billed_s>              -> "<status>"
//   burst <account> <dialed> <n> <gap_us>            -> "<max ns> <p99 ns> <blocked>" (n begins, call_id 0)
//   quit
// Usage: cluster_node <policy.textproto>   (TOLLGUARD_NODE_ID names the node)
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tollguard/tollguard.h"

namespace {

int64_t MonoNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

tg_str Str(const std::string& s) { return tg_str{s.data(), s.size()}; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: cluster_node POLICY\n");
    return 2;
  }
  tg_engine_options opt = TG_ENGINE_OPTIONS_INIT;
  opt.policy_path = argv[1];
  tg_error err = TG_ERROR_INIT;
  tg_engine* engine = nullptr;
  if (tg_engine_create(&opt, &engine, &err) != TG_OK) {
    std::fprintf(stderr, "create: %s\n", err.message);
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    if (cmd == "quit") break;
    if (cmd == "begin" || cmd == "score") {
      std::string account, dialed;
      int64_t start = 0;
      uint64_t id = 0;
      in >> account >> dialed >> start;
      if (cmd == "begin") in >> id;
      tg_call call = TG_CALL_INIT;
      call.account = Str(account);
      call.dialed = Str(dialed);
      call.start_unix_ms = start;
      call.call_id = id;
      tg_decision d = TG_DECISION_INIT;
      const int64_t t0 = MonoNs();
      const tg_status st = cmd == "begin" ? tg_call_begin(engine, &call, &d) : tg_engine_score(engine, &call, &d);
      const int64_t ns = MonoNs() - t0;
      if (st != TG_OK) std::fprintf(stderr, "%s: %s\n", cmd.c_str(), tg_status_string(st));
      std::printf("%d %d %" PRIx64 " %" PRId64 "\n", d.action, d.score, d.reasons, ns);
    } else if (cmd == "end") {
      uint64_t id = 0;
      int64_t end = 0;
      int billed = 0;
      in >> id >> end >> billed;
      std::printf("%d\n", static_cast<int>(tg_call_end(engine, id, end, billed)));
    } else if (cmd == "burst") {
      std::string account, dialed;
      int n = 0, gap_us = 0;
      in >> account >> dialed >> n >> gap_us;
      std::vector<int64_t> lat;
      lat.reserve(n);
      int blocked = 0;
      tg_call call = TG_CALL_INIT;
      call.account = Str(account);
      call.dialed = Str(dialed);
      for (int i = 0; i < n; ++i) {
        tg_decision d = TG_DECISION_INIT;
        const int64_t t0 = MonoNs();
        tg_call_begin(engine, &call, &d);
        lat.push_back(MonoNs() - t0);
        blocked += d.action == TG_ACTION_BLOCK;
        if (gap_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(gap_us));
      }
      std::sort(lat.begin(), lat.end());
      const int64_t mx = lat.empty() ? 0 : lat.back();
      const int64_t p99 = lat.empty() ? 0 : lat[lat.size() * 99 / 100];
      std::printf("%" PRId64 " %" PRId64 " %d\n", mx, p99, blocked);
    } else {
      std::printf("?\n");
    }
    std::fflush(stdout);
  }
  tg_engine_destroy(engine);
  return 0;
}
