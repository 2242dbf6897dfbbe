// CDR files read into columns for replay: a CSV export with a header row (start, account, dialed, duration,
// any other columns kept verbatim) or an Asterisk cdr_csv Master.csv (no header).
// Thread-safety: a CdrTable is a plain value; reading fills one table from one thread.
#ifndef TOLLGUARD_TOOLS_REPLAY_CDR_TABLE_H_
#define TOLLGUARD_TOOLS_REPLAY_CDR_TABLE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/replay/civil_time.h"

namespace tollguard::replay {

enum class CdrFormat { kCsv, kAsterisk };

// Asterisk cdr_csv columns in file order (uniqueid and userfield when loguniqueid / loguserfield are on, the
// last three with newcdrcolumns); further columns are named fieldN.
extern const char* const kAsteriskColumns[21];

struct BadRow {
  uint32_t line;
  std::string message;
};

struct ReadOptions {
  CdrFormat format = CdrFormat::kCsv;
  // CSV: the zone of ISO times without an offset (null: such times are bad rows). Asterisk: the PBX's zone,
  // required (Master.csv holds local times; pass a Zone "UTC" for usegmtime=yes).
  const Zone* zone = nullptr;
  bool strict = false;           // stop at the first bad row
  size_t max_bad_messages = 1000;  // bad rows beyond this are counted only
  // Called about every 64 Ki records with the bytes read so far (may be empty).
  std::function<void(size_t bytes_done, size_t bytes_total)> progress;
};

// Good rows in input order, as parallel columns; string views point into `text` or `arena`.
struct CdrTable {
  std::string text;                     // the whole input file
  std::vector<std::string> columns;     // column names: the CSV header, or kAsteriskColumns / fieldN
  std::string_view header_raw;          // CSV: the header record as written; Asterisk: empty
  size_t num_fields = 0;                // CSV: header fields; Asterisk: the most fields of any good row
  int start_col = -1, account_col = -1, dialed_col = -1, duration_col = -1;  // CSV column indexes
  int label_col = -1, cost_col = -1;    // optional CSV columns `label` and `cost` (-1: absent)

  std::vector<int64_t> start_ms;
  std::vector<std::string_view> account;
  std::vector<std::string_view> dialed;
  std::vector<int32_t> duration_s;       // billed seconds
  std::vector<std::string_view> raw;     // each row's record text as written
  std::vector<uint32_t> line;            // each row's first line in the file
  std::vector<uint16_t> nfields;         // each row's field count (Asterisk rows may differ)
  std::vector<std::string_view> label;   // when label_col >= 0
  std::vector<std::string_view> cost;    // when cost_col >= 0

  std::vector<BadRow> bad_rows;          // up to max_bad_messages, in file order
  uint64_t bad_count = 0;                // all bad rows
  std::deque<std::string> arena;         // unescaped values that are not plain slices of text

  size_t size() const { return start_ms.size(); }
};

enum class ReadStatus {
  kOk,
  kBadHeader,  // *error says which column is missing
  kStrictStop, // strict and a bad row: table.bad_rows.back() is it
};

// Reads all of `text` (moved into table->text). *error is set for kBadHeader.
ReadStatus ReadCdrs(std::string text, const ReadOptions& options, CdrTable* table, std::string* error);

// Reads a whole file ("-": standard input) into *out. Returns false and sets *error.
bool ReadWholeFile(const std::string& path, std::string* out, std::string* error);

// Splits one raw record (CdrTable::raw) into its unquoted fields, unescaping into *scratch. Views point into
// `raw` or *scratch; *scratch may be reallocated by the next call.
void SplitRecord(std::string_view raw, std::vector<std::string_view>* fields, std::string* scratch);

// Parses billed seconds: digits with an optional fraction (rounded to the nearest second), surrounding blanks
// allowed. Returns false on a negative, empty or malformed value or one above 2^31-1.
bool ParseDuration(std::string_view text, int32_t* seconds);

}  // namespace tollguard::replay

#endif  // TOLLGUARD_TOOLS_REPLAY_CDR_TABLE_H_
