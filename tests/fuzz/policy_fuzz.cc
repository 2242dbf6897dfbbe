// Fuzz harness: the textproto policy loader. The input is written to a policy file in a scratch folder and
// loaded with policy::LoadPolicy; the folder also holds small rate deck / overrides CSVs (good and bad) that
// an input may name in `tables`. Invariants: never a crash, only an error with a message; a loaded snapshot
// has a default profile, a zone, and answers lookups.
// Inputs that name a table file or zone which is not a regular file (FIFOs, devices, /proc) are skipped:
// policy files are trusted configuration, and reading /dev/zero would only measure the fuzzer's patience.
#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "lib/policy/loader.h"
#include "policy.pb.h"

namespace {

class Silent : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
  void AddWarning(int, int, const std::string&) override {}
};

// True when `path` names something that is safe to read whole: missing, a folder, or a regular file under
// 4 MB outside /proc and /sys.
bool SafeToRead(const std::string& path) {
  if (path.rfind("/proc", 0) == 0 || path.rfind("/sys", 0) == 0) return false;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return true;  // missing: the loader reports it
  if (S_ISDIR(st.st_mode)) return true;
  return S_ISREG(st.st_mode) && st.st_size < (4 << 20);
}

std::string Resolve(const std::string& dir, const std::string& p) { return p.empty() || p[0] == '/' ? p : dir + "/" + p; }

std::string ZonePath(const std::string& name) {
  const size_t pos = name.rfind("file:", 0) == 0 ? 5 : 0;
  return pos < name.size() && name[pos] == '/' ? name.substr(pos) : "/usr/share/zoneinfo/" + name.substr(pos);
}

bool Acceptable(const std::string& text, const std::string& dir) {
  tollguard::policy::Policy p;
  google::protobuf::TextFormat::Parser parser;
  Silent silent;
  parser.RecordErrorsTo(&silent);
  if (!parser.ParseFromString(text, &p)) return true;  // the loader will reject it the same way
  std::vector<std::string> files = {Resolve(dir, p.tables().rate_deck()), Resolve(dir, p.tables().overrides()),
                                    ZonePath(p.timezone())};
  for (const auto& a : p.accounts()) files.push_back(ZonePath(a.timezone()));
  for (const auto& f : files) {
    if (!f.empty() && !SafeToRead(f)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Tables an input may name (relative to the policy file).
  tgfuzz::WriteScratch("rates.csv", "prefix,description,rate\n+44 20,London,0.02\n88216,Thuraya,9.5\n1876,Jamaica,0.35\n");
  tgfuzz::WriteScratch("overrides.csv", "prefix,action,risk_tier,note\n881,block,3,satellite\n8190,alert,,\n32,,1,\n");
  tgfuzz::WriteScratch("bad.csv", "prefix,description,rate\n44,UK,abc\n\"unterminated,1,2\n");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (!Acceptable(text, tgfuzz::ScratchDir())) return 0;
  const std::string path = tgfuzz::WriteScratch("policy.textproto", text);

  tollguard::policy::LoadOptions options;
  options.policy_path = path;
  tollguard::policy::LoadError error;
  auto snap = tollguard::policy::LoadPolicy(options, &error);
  if (!snap) {
    TG_FUZZ_CHECK(!error.status.ok());
    TG_FUZZ_CHECK(!error.status.message().empty());
    return 0;
  }
  TG_FUZZ_CHECK(!snap->profiles.empty() && snap->profiles[0].name == "default");
  TG_FUZZ_CHECK(!snap->zones.empty());
  for (const auto& p : snap->profiles) {
    TG_FUZZ_CHECK(p.alert_score >= 0 && p.alert_score <= 1000);
    TG_FUZZ_CHECK(p.block_score >= 0 && p.block_score <= 1001);
    TG_FUZZ_CHECK(p.start_hour < p.end_hour && p.end_hour <= 24);
  }
  TG_FUZZ_CHECK(snap->max_accounts > 0 && snap->max_live_calls > 0);
  // A few lookups through the table the policy built.
  for (const char* digits : {"81312345678", "441632960000", "8821612345", "1876555", "999"}) {
    const tollguard::destination::Attrs* a = snap->table.Lookup(digits);
    if (a) TG_FUZZ_CHECK(a->tier <= 3 && a->action <= 3);
  }
  const auto b = snap->Bind(std::string_view(text.data(), std::min<size_t>(text.size(), 16)));
  TG_FUZZ_CHECK(b.profile < snap->profiles.size() && b.zone < snap->zones.size());
  return 0;
}
