// Debian's abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0), distinct from
// std::string_view. tollguard code uses std::string_view and converts at abseil calls with Sv / Std.
// Thread-safety: pure functions.
#ifndef TOLLGUARD_LIB_UTIL_STRINGS_H_
#define TOLLGUARD_LIB_UTIL_STRINGS_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace tollguard {

inline absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view Std(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace tollguard

#endif  // TOLLGUARD_LIB_UTIL_STRINGS_H_
