#include "cmd.h"
int cmd_keys(const cmd_global *g, int argc, char **argv) { (void)g; (void)argc; (void)argv; return 2; }
