// `tollguard policy check FILE`: loads the policy into an engine exactly as a deployment would.
#include <cstdio>

#include "tools/cli/cli.h"

namespace tollguard::cli {

int RunPolicy(const Args& args) {
  if (args.positional.empty() || args.positional[0] != "check") {
    return Usage("policy: expected 'policy check FILE'");
  }
  if (args.positional.size() != 2) return Usage("policy check: expected exactly one FILE");
  if (args.policy) return Usage("policy check: give the policy as FILE, not --policy");
  Args a = args;
  a.policy = args.positional[1];
  tg_engine* engine = CreateEngine(a, nullptr);
  if (engine == nullptr) return kExitBadInput;
  tg_engine_stats stats = TG_ENGINE_STATS_INIT;
  const tg_status st = tg_engine_get_stats(engine, &stats);
  tg_engine_destroy(engine);
  if (st != TG_OK) {
    Fail(std::string("engine statistics: ") + tg_status_string(st));
    return kExitBadInput;
  }
  std::printf("ok\n%s: %llu destination prefixes, %.1f MiB held by the engine\n", a.policy->c_str(),
              static_cast<unsigned long long>(stats.prefixes), static_cast<double>(stats.memory_bytes) / (1 << 20));
  return kExitOk;
}

}  // namespace tollguard::cli
