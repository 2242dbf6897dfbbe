// Engine creation and error text shared by the subcommands.
#include <cstdio>
#include <string>

#include "tools/cli/cli.h"

namespace tollguard::cli {

std::string ErrorText(const tg_error& err, const std::optional<std::string>& file) {
  const std::string message = err.message[0] ? err.message : tg_status_string(err.code);
  if (err.line == 0 || !file) return message;
  // The library's messages usually name the place already ("FILE:3:14: ..."); add it only when missing.
  const std::string place = ":" + std::to_string(err.line) + ":" + std::to_string(err.column) + ":";
  if (message.find(place) != std::string::npos) return message;
  return *file + place + " " + message;
}

tg_engine* CreateEngine(const Args& args, const char* state_path) {
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  o.policy_path = args.policy ? args.policy->c_str() : nullptr;
  o.home_country = args.home_country ? args.home_country->c_str() : nullptr;
  o.timezone = args.timezone ? args.timezone->c_str() : nullptr;
  o.state_path = state_path;
  tg_engine* engine = nullptr;
  tg_error err = TG_ERROR_INIT;
  const tg_status st = tg_engine_create(&o, &engine, &err);
  if (st != TG_OK) {
    std::fprintf(stderr, "%s\n", ErrorText(err, args.policy).c_str());
    return nullptr;
  }
  if (err.code != TG_OK) {  // the engine started, but the state file could not be used
    std::fprintf(stderr, "tollguard: warning: %s\n", ErrorText(err, std::nullopt).c_str());
  }
  return engine;
}

}  // namespace tollguard::cli
