#include "lib/destination/prefix_table.h"

// PrefixTable is header-only (the lookup is inlined into the decision); this file keeps the concept's
// translation unit for the library's one-folder-per-concept build.
namespace tollguard::destination {}  // namespace tollguard::destination
