/*
 * options.c - cmd_parse_options (cmd.h): the one getopt_long loop of the
 * subcommands. A command gives its table and a handler for its own
 * options; --db, --days, --since, --until and --format (cmd_common_opt),
 * --help and a bad option are handled here, the same way for all.
 */
#include "cmd.h"

#include <getopt.h>

int cmd_parse_options(const cmd_optspec *spec, int argc, char **argv, cmd_global *g, int *first_arg)
{
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, spec->shorts, spec->longs, NULL)) != -1) {
        if (opt == 'h') {
            spec->help();
            return CMD_HELP;
        }
        int r = spec->own ? spec->own(spec->ctx, opt, optarg) : CMD_OPT_OTHER;
        if (r == CMD_OPT_TAKEN)
            continue;
        if (r != CMD_OPT_OTHER)
            return r;
        r = cmd_common_opt(spec->cmd, opt, optarg, g, spec->w, spec->fmt);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0)
            return cmd_bad_option(spec->cmd, argv);
    }
    *first_arg = optind;
    return 0;
}
