// The `tollguard` command line: shared pieces of its subcommands (check, replay, policy check).
// Thread-safety: single-threaded program.
#ifndef TOLLGUARD_TOOLS_CLI_CLI_H_
#define TOLLGUARD_TOOLS_CLI_CLI_H_

#include <optional>
#include <string>
#include <vector>

#include "tollguard/tollguard.h"

namespace tollguard::cli {

// Exit statuses (documented in --help).
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;  // unreadable input, bad rows with --strict, invalid numbers, policy errors
inline constexpr int kExitUsage = 2;

struct Args {
  std::string command;  // check | replay | policy
  std::optional<std::string> policy, home_country, timezone, state, account, at, format;
  bool strict = false;
  bool quiet = false;
  bool help = false;
  bool version = false;
  std::vector<std::string> positional;  // after the command word(s)
};

// Prints "tollguard: <message>" to stderr.
void Fail(const std::string& message);

// Usage error: prints the message and a hint to stderr; returns kExitUsage.
int Usage(const std::string& message);

// Creates an engine from --policy / --home-country / --timezone (and state_path when given). On failure
// prints the error (FILE:LINE:COLUMN: message for a policy file) and returns null. A state file that could not
// be used is a warning.
tg_engine* CreateEngine(const Args& args, const char* state_path);

// Formats a tg_error as "FILE:LINE:COLUMN: message" when it is about a place in `file`, else the message.
std::string ErrorText(const tg_error& err, const std::optional<std::string>& file);

int RunCheck(const Args& args);
int RunReplay(const Args& args);
int RunPolicy(const Args& args);

}  // namespace tollguard::cli

#endif  // TOLLGUARD_TOOLS_CLI_CLI_H_
