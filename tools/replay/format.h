// Text forms of a tg_decision shared by the command line and the Python module: the decision columns of a
// replay CSV, reason lists, rates.
// Thread-safety: pure functions (the name tables are static text of the library).
#ifndef TOLLGUARD_TOOLS_REPLAY_FORMAT_H_
#define TOLLGUARD_TOOLS_REPLAY_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tollguard/tollguard.h"

namespace tollguard::replay {

// The columns Replay adds to every input row, in order.
inline constexpr std::string_view kDecisionColumns =
    "action,score,reasons,e164,country,number_type,risk_tier,rate,max_duration_s";

// Appends the names of the reason bits, ';'-joined ("high_risk_country;new_country"); unknown bits as "bitN".
void AppendReasons(uint64_t reasons, std::string* out);

// Appends a per-minute rate in millionths as an exact decimal without trailing zeros ("0.03", "2", "0").
void AppendRate(int64_t rate_micros, std::string* out);

// Appends ",action,score,reasons,e164,country,number_type,risk_tier,rate" for one decision.
void AppendDecisionFields(const tg_decision& d, std::string* out);

// The NUL-terminated fixed-size string fields of tg_decision, without reading past their arrays.
inline std::string_view E164Of(const tg_decision& d) {
  size_t n = 0;
  while (n < sizeof(d.e164) && d.e164[n] != '\0') ++n;
  return std::string_view(d.e164, n);
}
inline std::string_view CountryOf(const tg_decision& d) {
  size_t n = 0;
  while (n < sizeof(d.country) && d.country[n] != '\0') ++n;
  return std::string_view(d.country, n);
}

}  // namespace tollguard::replay

#endif  // TOLLGUARD_TOOLS_REPLAY_FORMAT_H_
