/*
 * event.h - the parsed record lives in common/ (the store reads it too);
 * this name is kept for ingest's own includes.
 */
#include "../common/event.h"
