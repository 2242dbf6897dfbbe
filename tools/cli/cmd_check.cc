// `tollguard check NUMBER...`: what the engine makes of each number (tg_engine_score; nothing is recorded).
#include <cstdio>
#include <string>

#include "tools/cli/cli.h"
#include "tools/replay/civil_time.h"
#include "tools/replay/format.h"

namespace tollguard::cli {

int RunCheck(const Args& args) {
  if (args.positional.empty()) return Usage("check: expected one or more NUMBERs");
  const std::string account = args.account.value_or("default");
  if (account.empty() || account.size() > TG_MAX_ACCOUNT_LEN) return Usage("--account: 1 to 256 bytes");

  int64_t at_ms = 0;  // now
  if (args.at) {
    replay::Zone zone;
    std::string zone_error;
    if (args.timezone && !replay::Zone::Load(*args.timezone, &zone, &zone_error)) return Usage(zone_error);
    const char* why = nullptr;
    if (!replay::ParseStart(*args.at, args.timezone ? &zone : nullptr, &at_ms, &why)) {
      return Usage("--at " + *args.at + ": " + why);
    }
  }

  tg_engine* engine = CreateEngine(args, nullptr);
  if (engine == nullptr) return kExitBadInput;
  int exit_status = kExitOk;
  std::string line;
  for (const std::string& number : args.positional) {
    tg_call call = TG_CALL_INIT;
    call.account = tg_str{account.data(), account.size()};
    call.dialed = tg_str{number.data(), number.size()};
    call.start_unix_ms = at_ms;
    tg_decision d = TG_DECISION_INIT;
    const tg_status st = tg_engine_score(engine, &call, &d);
    std::printf("%s\n", number.c_str());
    if (st == TG_OK) {
      line.clear();
      replay::AppendRate(d.rate_micros, &line);
      const std::string_view country = replay::CountryOf(d);
      std::printf("  e164         +%.*s\n", static_cast<int>(replay::E164Of(d).size()), replay::E164Of(d).data());
      std::printf("  destination  %.*s %s, risk tier %d, rate %s/min\n",
                  static_cast<int>(country.empty() ? 1 : country.size()), country.empty() ? "?" : country.data(),
                  tg_number_type_name(d.number_type), d.risk_tier, line.c_str());
    } else {
      std::printf("  invalid      %s\n", tg_status_string(st));
      // Statuses of the arguments themselves leave no decision; number errors get the policy's treatment,
      // except a string over TG_MAX_DIALED_LEN, which the C API rejects before deciding.
      const bool number_error = st >= TG_E_NUMBER_EMPTY && st <= TG_E_NUMBER_TOO_SHORT;
      if (!number_error || number.size() > TG_MAX_DIALED_LEN) {
        exit_status = kExitBadInput;
        continue;
      }
    }
    line.clear();
    replay::AppendReasons(d.reasons, &line);
    const char* action = tg_action_name(d.action);
    std::printf("  decision     %s, score %d%s\n", action ? action : "?", d.score,
                st == TG_OK ? "" : " (the policy's treatment of invalid numbers)");
    std::printf("  reasons      %s\n", line.empty() ? "-" : line.c_str());
    if (d.max_duration_s > 0) std::printf("  max duration %d s\n", d.max_duration_s);
    if (st != TG_OK) exit_status = kExitBadInput;
  }
  tg_engine_destroy(engine);
  return exit_status;
}

}  // namespace tollguard::cli
