/*
 * tsv.c - tt_tsv_line and tt_tsv_split (tsv.h).
 */
#include "tsv.h"

#include <stddef.h>
#include <string.h>

char *tt_tsv_line(char **cursor)
{
    char *line = *cursor;
    if (!line || !*line)
        return NULL;
    char *nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    *cursor = nl ? nl + 1 : NULL;
    return line;
}

int tt_tsv_split(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}
