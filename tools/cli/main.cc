// tollguard: the analysts' command line over libtollguard's public C API. Subcommands: check, replay,
// policy check (see kHelp). Exit statuses: 0 ok, 1 bad input or policy, 2 usage.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "tollguard/tollguard.h"
#include "tools/cli/cli.h"

namespace tollguard::cli {
namespace {

constexpr char kHelp[] = R"(usage: tollguard [--help] [--version] <command> [options] [arguments]

Per-call toll-fraud decisions of libtollguard, for the people who tune and audit them.

commands:
  check [options] NUMBER...      normalization, destination and decision of each number
  replay [options] CDR.csv|-     replay a CDR export: decisions CSV on stdout, summary on stderr
  policy check [options] FILE    validate a policy file; errors as FILE:LINE:COLUMN: message

engine options (every command):
  --policy FILE          policy file (default: the policy embedded in the library)
  --home-country CC      ISO 3166 alpha-2 code of the dial plan, e.g. JP (default: the policy's)
  --timezone TZ          IANA zone such as Asia/Tokyo of accounts without their own (default: the
                         policy's); replay also reads ISO times without an offset and Asterisk times
                         in it

check options:
  --account NAME         the account whose profile applies (default: "default")
  --at TIME              decide as of TIME, ISO 8601 or Unix seconds (default: now)

replay options:
  --format csv|asterisk  input format (default: csv)
  --state FILE           load the account state from FILE when it exists, save it there at the end
  --strict               stop at the first bad row instead of skipping it
  --quiet                no summary and no progress on stderr

replay input (csv): a header row with the columns
  start     ISO 8601 with an offset or Z (2026-03-02T09:15:03+09:00, 2026-03-02 09:15:03Z)
            or Unix seconds (1772410503, 1772410503.25)
  account   tenant, trunk or extension whose history and limits apply
  dialed    the number as dialed
  duration  billed seconds, 0 = not answered
and any other columns, which are kept. With a `label` column (1 = fraud, 0 = legitimate) the summary adds
the fraud money let through (from a `cost` column when there is one, else rate x duration) and the
legitimate calls blocked. RFC 4180 quoting and CRLF line ends are accepted.
replay input (asterisk): an Asterisk cdr_csv Master.csv without a header; account = accountcode (src when
empty), dialed = dst, duration = billsec, start = the PBX's local time in --timezone (required; use
--timezone UTC for usegmtime=yes).

Rows are replayed in start order whatever the file order (exports are usually in end order); the end of a
call is delivered at start + duration before any later start; a blocked call is never connected. Output:
every input column in input order plus action,score,reasons,e164,country,number_type,risk_tier,rate,
max_duration_s (rate per minute; max_duration_s 0 = no cap). A call let through is cut at max_duration_s,
as the PBX would cut it, for the spend the engine books and for the money figures of the summary. Bad rows are reported with their line and skipped (--strict: exit 1 at the first).

exit status:
  0  success
  1  bad input: unreadable file, missing header column, a bad row with --strict, an invalid number in
     check, a policy or state error
  2  usage error (unknown command or option, missing argument)
)";

bool TakesValue(std::string_view name) {
  return name == "policy" || name == "home-country" || name == "timezone" || name == "state" ||
         name == "account" || name == "at" || name == "format";
}

// Parses argv into *a. Returns kExitOk or the status of a usage error (already printed).
int Parse(int argc, char** argv, Args* a) {
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (options_done || arg == "-" || arg.size() < 2 || arg[0] != '-') {
      if (a->command.empty()) {
        a->command = std::string(arg);
      } else {
        a->positional.emplace_back(arg);
      }
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      a->help = true;
      continue;
    }
    if (arg == "--version") {
      a->version = true;
      continue;
    }
    if (arg.substr(0, 2) != "--") return Usage("unknown option " + std::string(arg));
    std::string_view name = arg.substr(2);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string_view::npos) {
      value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    if (name == "strict" || name == "quiet") {
      if (value) return Usage("--" + std::string(name) + " takes no value");
      (name == "strict" ? a->strict : a->quiet) = true;
      continue;
    }
    if (!TakesValue(name)) return Usage("unknown option --" + std::string(name));
    if (!value) {
      if (i + 1 >= argc) return Usage("--" + std::string(name) + " needs a value");
      value = argv[++i];
    }
    std::optional<std::string>* slot = name == "policy"         ? &a->policy
                                       : name == "home-country" ? &a->home_country
                                       : name == "timezone"     ? &a->timezone
                                       : name == "state"        ? &a->state
                                       : name == "account"      ? &a->account
                                       : name == "at"           ? &a->at
                                                                : &a->format;
    *slot = *value;
  }
  return kExitOk;
}

// Options that belong to another command are usage errors rather than silently ignored.
int CheckApplicable(const Args& a) {
  const bool check = a.command == "check", replay = a.command == "replay";
  if ((a.account || a.at) && !check) return Usage("--account and --at apply to check only");
  if ((a.state || a.format || a.strict || a.quiet) && !replay) {
    return Usage("--state, --format, --strict and --quiet apply to replay only");
  }
  return kExitOk;
}

}  // namespace

void Fail(const std::string& message) { std::fprintf(stderr, "tollguard: %s\n", message.c_str()); }

int Usage(const std::string& message) {
  std::fprintf(stderr, "tollguard: %s\nTry 'tollguard --help'.\n", message.c_str());
  return kExitUsage;
}

}  // namespace tollguard::cli

int main(int argc, char** argv) {
  using namespace tollguard::cli;
  Args args;
  if (const int st = Parse(argc, argv, &args); st != kExitOk) return st;
  if (args.help) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (args.version) {
    const uint32_t v = tg_version_number();
    std::printf("tollguard %s (libtollguard %u.%u.%u)\n", TG_VERSION_STRING, v / 10000, v / 100 % 100, v % 100);
    return kExitOk;
  }
  if (args.command.empty()) return Usage("no command given");
  if (const int st = CheckApplicable(args); st != kExitOk) return st;
  if (args.command == "check") return RunCheck(args);
  if (args.command == "replay") return RunReplay(args);
  if (args.command == "policy") return RunPolicy(args);
  return Usage("unknown command '" + args.command + "'");
}
