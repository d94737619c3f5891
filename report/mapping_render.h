/*
 * mapping_render.h - `trailtrim mapping SOURCE EVENT`: how the mapping
 * (generate/mapping.h) resolved one event: the rule and its reason, the
 * prefix and where it came from, then each IAM action with its access
 * level, whether it is granted, and the request parameter it hangs on.
 */
#ifndef TT_MAPPING_RENDER_H
#define TT_MAPPING_RENDER_H

#include "out.h"

#include "generate/mapping.h"

#include <stdio.h>

/* Writes r (gen_map_resolve's result for source and name) to f in fmt. */
void mapping_render_explain(FILE *f, out_format fmt, const char *source, const char *name, const gen_map_result *r);

#endif /* TT_MAPPING_RENDER_H */
