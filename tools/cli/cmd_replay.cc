// `tollguard replay CDR.csv|-`: every row through tg_call_begin / tg_call_end in start order (see
// tools/replay/replay.h), a decisions CSV on stdout in input order, a summary on stderr.
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "tools/cli/cli.h"
#include "tools/replay/cdr_table.h"
#include "tools/replay/format.h"
#include "tools/replay/replay.h"

namespace tollguard::cli {
namespace {

constexpr size_t kMaxBadRowsShown = 100;

struct RowResult {
  tg_decision decision;
  tg_status status;
};

class StoreSink : public replay::DecisionSink {
 public:
  explicit StoreSink(std::vector<RowResult>* out) : out_(out) {}
  void Decided(size_t row, tg_status status, const tg_decision& d) override { (*out_)[row] = RowResult{d, status}; }

 private:
  std::vector<RowResult>* out_;
};

// Buffered stdout: one fwrite per ~4 MiB.
class Output {
 public:
  Output() { buf_.reserve(kFlushAt + 4096); }
  ~Output() { Flush(); }
  std::string* buf() { return &buf_; }
  void MaybeFlush() {
    if (buf_.size() >= kFlushAt) Flush();
  }
  void Flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), stdout) != buf_.size()) ok_ = false;
    buf_.clear();
  }
  bool ok() const { return ok_; }

 private:
  static constexpr size_t kFlushAt = size_t{4} << 20;
  std::string buf_;
  bool ok_ = true;
};

enum class Label { kNone, kLegit, kFraud };

Label ParseLabel(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  std::string s(v);
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (s == "1" || s == "true" || s == "yes" || s == "y" || s == "t" || s == "fraud") return Label::kFraud;
  if (s == "0" || s == "false" || s == "no" || s == "n" || s == "f" || s == "legit" || s == "legitimate") {
    return Label::kLegit;
  }
  return Label::kNone;
}

bool ParseCost(std::string_view v, double* out) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return false;
  const auto r = std::from_chars(v.data(), v.data() + v.size(), *out);
  return r.ec == std::errc() && r.ptr == v.data() + v.size();
}

double Share(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }

struct Summary {
  uint64_t fraud_calls = 0, legit_calls = 0, legit_blocked = 0, fraud_blocked = 0;
  double money_at_risk = 0, fraud_money = 0, fraud_money_through = 0;
};

void PrintSummary(const replay::CdrTable& t, const replay::ReplayCounts& c, const Summary& s, double seconds) {
  std::fprintf(stderr, "tollguard replay: %zu rows in %.2f s, %llu bad rows skipped\n", t.size(), seconds,
               static_cast<unsigned long long>(t.bad_count));
  std::fprintf(stderr, "  calls %llu, blocked %llu (%.2f%%), alerted %llu (%.2f%%), invalid numbers %llu\n",
               static_cast<unsigned long long>(c.calls), static_cast<unsigned long long>(c.blocked),
               Share(static_cast<double>(c.blocked), static_cast<double>(c.calls)),
               static_cast<unsigned long long>(c.alerted),
               Share(static_cast<double>(c.alerted), static_cast<double>(c.calls)),
               static_cast<unsigned long long>(c.invalid_numbers));
  if (c.other_errors || c.end_errors) {
    std::fprintf(stderr, "  engine errors: %llu call begins, %llu call ends\n",
                 static_cast<unsigned long long>(c.other_errors), static_cast<unsigned long long>(c.end_errors));
  }
  std::fprintf(stderr, "  money at risk (rate x duration of calls let through): %.2f\n", s.money_at_risk);
  if (t.label_col >= 0) {
    std::fprintf(stderr, "  fraud calls %llu: %llu blocked; fraud money let through %.2f of %.2f (%.2f%%, by %s)\n",
                 static_cast<unsigned long long>(s.fraud_calls), static_cast<unsigned long long>(s.fraud_blocked),
                 s.fraud_money_through, s.fraud_money, Share(s.fraud_money_through, s.fraud_money),
                 t.cost_col >= 0 ? "the cost column" : "rate x duration");
    std::fprintf(stderr, "  legitimate calls blocked %llu of %llu (%.3f%%)\n",
                 static_cast<unsigned long long>(s.legit_blocked), static_cast<unsigned long long>(s.legit_calls),
                 Share(static_cast<double>(s.legit_blocked), static_cast<double>(s.legit_calls)));
  }
}

}  // namespace

int RunReplay(const Args& args) {
  if (args.positional.size() != 1) return Usage("replay: expected one CDR file (or - for standard input)");
  const std::string& path = args.positional[0];
  const std::string shown = path == "-" ? "<stdin>" : path;
  replay::ReadOptions ro;
  if (args.format && *args.format == "asterisk") {
    ro.format = replay::CdrFormat::kAsterisk;
    if (!args.timezone) return Usage("--format asterisk needs --timezone: Master.csv holds the PBX's local times");
  } else if (args.format && *args.format != "csv") {
    return Usage("--format: expected csv or asterisk");
  }
  const bool progress = !args.quiet && isatty(2);

  tg_engine* engine = CreateEngine(args, args.state ? args.state->c_str() : nullptr);
  if (engine == nullptr) return kExitBadInput;
  struct Closer {
    tg_engine* e;
    ~Closer() { tg_engine_destroy(e); }
  } closer{engine};

  replay::Zone zone;
  if (args.timezone) {
    std::string error;
    if (!replay::Zone::Load(*args.timezone, &zone, &error)) {
      Fail(error);
      return kExitBadInput;
    }
    ro.zone = &zone;
  }
  ro.strict = args.strict;
  if (progress) {
    ro.progress = [](size_t done, size_t total) {
      std::fprintf(stderr, "\rreading %3.0f%%", total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0);
    };
  }

  const auto t0 = std::chrono::steady_clock::now();
  std::string text, error;
  if (!replay::ReadWholeFile(path, &text, &error)) {
    Fail(error);
    return kExitBadInput;
  }
  replay::CdrTable table;
  const replay::ReadStatus rs = replay::ReadCdrs(std::move(text), ro, &table, &error);
  if (progress) std::fputs("\r\033[K", stderr);
  if (rs == replay::ReadStatus::kBadHeader) {
    std::fprintf(stderr, "%s: %s\n", shown.c_str(), error.c_str());
    return kExitBadInput;
  }
  for (size_t i = 0; i < table.bad_rows.size() && i < kMaxBadRowsShown; ++i) {
    std::fprintf(stderr, "%s:%u: %s\n", shown.c_str(), table.bad_rows[i].line, table.bad_rows[i].message.c_str());
  }
  if (table.bad_count > kMaxBadRowsShown) {
    std::fprintf(stderr, "%s: ... %llu more bad rows\n", shown.c_str(),
                 static_cast<unsigned long long>(table.bad_count - kMaxBadRowsShown));
  }
  if (rs == replay::ReadStatus::kStrictStop) {
    Fail("stopped at the first bad row (--strict)");
    return kExitBadInput;
  }

  std::vector<RowResult> results(table.size());
  StoreSink sink(&results);
  replay::ReplayInput in;
  in.rows = table.size();
  in.start_ms = table.start_ms.data();
  in.account = table.account.data();
  in.dialed = table.dialed.data();
  in.duration_s = table.duration_s.data();
  replay::ReplayOptions opt;
  if (progress) {
    opt.progress = [](size_t done, size_t total) { std::fprintf(stderr, "\rreplay %zu/%zu rows", done, total); };
  }
  const replay::ReplayCounts counts = replay::Replay(engine, in, &sink, opt);
  if (progress) std::fputs("\r\033[K", stderr);

  // Decisions CSV in input order, and the summary figures on the way.
  Output out;
  std::string* b = out.buf();
  if (ro.format == replay::CdrFormat::kCsv) {
    b->append(table.header_raw);
  } else {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (i) b->push_back(',');
      b->append(table.columns[i]);
    }
  }
  b->push_back(',');
  b->append(replay::kDecisionColumns);
  b->push_back('\n');
  Summary s;
  for (size_t i = 0; i < table.size(); ++i) {
    const tg_decision& d = results[i].decision;
    b->append(table.raw[i]);
    for (size_t k = table.nfields[i]; k < table.num_fields; ++k) b->push_back(',');  // short Asterisk rows
    replay::AppendDecisionFields(d, b);
    b->push_back('\n');
    out.MaybeFlush();

    const bool through = d.action != TG_ACTION_BLOCK;
    // A call let through lasts at most max_duration_s (the PBX cuts it there).
    const int32_t dur = table.duration_s[i];
    const int32_t billed = d.max_duration_s > 0 && dur > d.max_duration_s ? d.max_duration_s : dur;
    const double cut = dur > 0 ? static_cast<double>(billed) / dur : 1.0;
    const double by_rate = static_cast<double>(d.rate_micros) * 1e-6 * billed / 60.0;
    if (through) s.money_at_risk += by_rate;
    if (table.label_col >= 0) {
      const Label label = ParseLabel(table.label[i]);
      if (label == Label::kFraud) {
        double cost = static_cast<double>(d.rate_micros) * 1e-6 * dur / 60.0;
        if (table.cost_col >= 0) ParseCost(table.cost[i], &cost);
        ++s.fraud_calls;
        s.fraud_money += cost;
        if (through) {
          s.fraud_money_through += cost * cut;
        } else {
          ++s.fraud_blocked;
        }
      } else if (label == Label::kLegit) {
        ++s.legit_calls;
        if (!through) ++s.legit_blocked;
      }
    }
  }
  out.Flush();
  std::fflush(stdout);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  int exit_status = kExitOk;
  if (!out.ok() || std::ferror(stdout)) {
    Fail("cannot write the decisions to standard output");
    exit_status = kExitBadInput;
  }
  if (args.state) {
    tg_error err = TG_ERROR_INIT;
    if (tg_engine_save_state(engine, nullptr, &err) != TG_OK) {
      Fail("saving the state: " + ErrorText(err, std::nullopt));
      exit_status = kExitBadInput;
    }
  }
  if (!args.quiet) PrintSummary(table, counts, s, seconds);
  return exit_status;
}

}  // namespace tollguard::cli
