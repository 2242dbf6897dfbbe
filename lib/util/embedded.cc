#include "lib/util/embedded.h"

extern "C" {
extern const char tg_embedded_policy_begin[];
extern const char tg_embedded_policy_end[];
extern const char tg_embedded_table_begin[];
extern const char tg_embedded_table_end[];
}

namespace tollguard {

std::string_view EmbeddedDefaultPolicy() {
  return std::string_view(tg_embedded_policy_begin, tg_embedded_policy_end - tg_embedded_policy_begin);
}

std::string_view EmbeddedDefaultTable() {
  return std::string_view(tg_embedded_table_begin, tg_embedded_table_end - tg_embedded_table_begin);
}

}  // namespace tollguard
