#include "lib/destination/table_files.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/util/csv.h"
#include "lib/util/strings.h"
#include "tollguard/tollguard.h"

namespace tollguard::destination {
namespace {

constexpr std::string_view kTypeNames[] = {"FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE", "TOLL_FREE",
                                           "PREMIUM_RATE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER",
                                           "PAGER", "UAN", "VOICEMAIL"};

// Digits of a prefix with '+', spaces and dashes removed; false when anything else is there.
bool CleanPrefix(std::string_view in, char (&out)[16], size_t* len) {
  *len = 0;
  for (char c : in) {
    if (c == '+' || c == ' ' || c == '-') continue;
    if (c < '0' || c > '9' || *len >= 15) return false;
    out[(*len)++] = c;
  }
  return *len > 0;
}

template <typename RowFn>
absl::Status ForEachRow(std::string_view text, std::string_view file, size_t min_fields, RowFn fn) {
  CsvReader reader(text);
  std::vector<CsvField> fields;
  absl::Status err;
  bool first = true;
  while (reader.Next(&fields, &err)) {
    if (!err.ok()) return absl::InvalidArgumentError(absl::StrCat(Sv(file), ": ", err.message()));
    if (fields.size() == 1 && absl::StripAsciiWhitespace(Sv(fields[0].text)).empty()) continue;
    if (fields.size() < min_fields) {
      return PositionError(file, reader.line(), 1,
                           absl::StrCat("expected ", min_fields, " fields, found ", fields.size()));
    }
    const bool header = first && !fields[0].text.empty() &&
                        !absl::ascii_isdigit(static_cast<unsigned char>(fields[0].text[0])) &&
                        fields[0].text[0] != '+';
    first = false;
    if (header) continue;
    absl::Status s = fn(fields, reader.line());
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// A plain decimal "123", "0.0123", "4." or ".5" (at most 15 significant digits) parsed exactly: the
// integer of its digits divided by a power of ten is one correctly rounded IEEE division, the same double
// strtod gives. Exponent forms and longer numbers go to absl::SimpleAtod; hex, inf and nan are refused. A
// million-row deck spent half of its parsing time in SimpleAtod.
bool ParseRate(std::string_view s, double* out) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  uint64_t mantissa = 0;
  int digits = 0, decimals = 0;
  bool dot = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (++digits > 15) return absl::SimpleAtod(Sv(s), out);
      mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
      decimals += dot;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if (c == 'e' || c == 'E' || c == '+' || c == '-' || c == '.') {
      return absl::SimpleAtod(Sv(s), out);  // exponent forms; a sign or a second '.' is its to reject
    } else {
      return false;  // hex ("0x10"), "inf", "nan", letters: not a rate
    }
  }
  if (digits == 0) return absl::SimpleAtod(Sv(s), out);  // "", "." -> its verdict
  *out = static_cast<double>(mantissa) / kPow10[decimals];
  return true;
}

}  // namespace

int NumberTypeFromName(std::string_view name) {
  for (int i = 0; i < 11; ++i) {
    if (kTypeNames[i] == name) return i;
  }
  if (name == "UNKNOWN") return TG_NUMBER_UNKNOWN;
  return -1;
}

absl::Status LoadRangeCsv(std::string_view text, std::string_view file, TableBuilder* builder) {
  return ForEachRow(text, file, 3, [&](const std::vector<CsvField>& f, uint32_t line) -> absl::Status {
    char digits[16];
    size_t len;
    if (!CleanPrefix(f[0].text, digits, &len)) return PositionError(file, line, f[0].column, "prefix is not 1..15 digits");
    const std::string_view region = f[1].text;
    if (region.size() < 2 || region.size() > 3) return PositionError(file, line, f[1].column, "region is not a 2-letter code or 001");
    const int type = NumberTypeFromName(f[2].text);
    if (type < 0) return PositionError(file, line, f[2].column, absl::StrCat("unknown number type '", Sv(f[2].text), "\'"));
    builder->AddRange(std::string_view(digits, len), region, static_cast<uint8_t>(type));
    return absl::OkStatus();
  });
}

absl::Status LoadRateDeckCsv(std::string_view text, std::string_view file, TableBuilder* builder) {
  builder->Reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  return ForEachRow(text, file, 3, [&](const std::vector<CsvField>& f, uint32_t line) -> absl::Status {
    char digits[16];
    size_t len;
    if (!CleanPrefix(f[0].text, digits, &len)) return PositionError(file, line, f[0].column, "prefix is not 1..15 digits");
    double rate;
    const absl::string_view rt = absl::StripAsciiWhitespace(Sv(f[2].text));
    if (!ParseRate(std::string_view(rt.data(), rt.size()), &rate) || !(rate >= 0) || rate > 1000) {
      return PositionError(file, line, f[2].column, absl::StrCat("rate \'", Sv(f[2].text), "' is not a number 0..1000 per minute"));
    }
    builder->AddRate(std::string_view(digits, len), rate);
    return absl::OkStatus();
  });
}

absl::Status LoadOverridesCsv(std::string_view text, std::string_view file, TableBuilder* builder) {
  return ForEachRow(text, file, 2, [&](const std::vector<CsvField>& f, uint32_t line) -> absl::Status {
    char digits[16];
    size_t len;
    if (!CleanPrefix(f[0].text, digits, &len)) return PositionError(file, line, f[0].column, "prefix is not 1..15 digits");
    const std::string action = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Sv(f[1].text)));
    uint8_t a = 0;
    if (action == "allow") a = 1;
    else if (action == "alert") a = 2;
    else if (action == "block") a = 3;
    else if (!action.empty()) return PositionError(file, line, f[1].column, absl::StrCat("action \'", Sv(f[1].text), "' is not allow, alert or block"));
    int tier = -1;
    if (f.size() > 2) {
      const absl::string_view t = absl::StripAsciiWhitespace(Sv(f[2].text));
      if (!t.empty() && (!absl::SimpleAtoi(t, &tier) || tier < 0 || tier > 3)) {
        return PositionError(file, line, f[2].column, absl::StrCat("risk_tier \'", Sv(f[2].text), "' is not 0..3"));
      }
    }
    builder->AddOverride(std::string_view(digits, len), a, tier, 0);
    return absl::OkStatus();
  });
}

}  // namespace tollguard::destination
