// Reads the destination table's CSV sources into a TableBuilder: the default table (prefix,region,type), a
// carrier A-Z rate deck (prefix,description,rate) and an override list (prefix,action,risk_tier,note).
// Errors name the file, line and column. Thread-safety: stateless functions.
#ifndef TOLLGUARD_LIB_DESTINATION_TABLE_FILES_H_
#define TOLLGUARD_LIB_DESTINATION_TABLE_FILES_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "lib/destination/table_builder.h"

namespace tollguard::destination {

// TG_NUMBER_* for a libphonenumber type name ("PREMIUM_RATE"); -1 when unknown.
int NumberTypeFromName(std::string_view name);

absl::Status LoadRangeCsv(std::string_view text, std::string_view file, TableBuilder* builder);

// A header row is recognised and skipped when its first field is not a number. Prefixes may carry '+',
// spaces or dashes; rates are per minute, non-negative.
absl::Status LoadRateDeckCsv(std::string_view text, std::string_view file, TableBuilder* builder);

// action: allow | alert | block | empty; risk_tier: 0..3 or empty.
absl::Status LoadOverridesCsv(std::string_view text, std::string_view file, TableBuilder* builder);

}  // namespace tollguard::destination

#endif  // TOLLGUARD_LIB_DESTINATION_TABLE_FILES_H_
