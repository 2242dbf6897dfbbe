// Data compiled into the library: the default policy (textproto) and the default destination table (CSV).
// Thread-safety: immutable, read from any thread.
#ifndef TOLLGUARD_LIB_UTIL_EMBEDDED_H_
#define TOLLGUARD_LIB_UTIL_EMBEDDED_H_

#include <string_view>

namespace tollguard {

std::string_view EmbeddedDefaultPolicy();
std::string_view EmbeddedDefaultTable();

}  // namespace tollguard

#endif  // TOLLGUARD_LIB_UTIL_EMBEDDED_H_
