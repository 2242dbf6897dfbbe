/* The public header compiles as strict C99 with -Wpedantic -Werror (a build-time test). */
#include "tollguard/tollguard.h"

int tg_header_c99_probe(void);
int tg_header_c99_probe(void) {
  tg_engine_options o = TG_ENGINE_OPTIONS_INIT;
  tg_call c = TG_CALL_INIT;
  tg_decision d = TG_DECISION_INIT;
  tg_error e = TG_ERROR_INIT;
  tg_engine_stats s = TG_ENGINE_STATS_INIT;
  return (int)(o.struct_size + c.struct_size + d.struct_size + e.struct_size + s.struct_size);
}
