/*
 * walk.c - the directory walk. Entries are sorted so that runs are
 * repeatable; directories already visited (by device and inode) are not
 * entered again, which breaks symlink loops.
 */
#define _GNU_SOURCE
#include "walk.h"

#include "bundle.h"
#include "common/mem.h"
#include "common/tt.h"

#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_WALK_DEPTH 64

/* The directories entered so far, as an open-addressing set of (dev, ino). */
typedef struct visited {
    struct dirid {
        dev_t dev;
        ino_t ino;
        int used;
    } *slot;
    size_t n, nslots;
} visited;

typedef struct walker {
    ingest_walk_fn fn;
    void *ctx;
    visited seen;
    long count;
    int halted;
} walker;

void ingest_walk_item_free(ingest_walk_item *item)
{
    if (!item)
        return;
    free(item->path);
    free(item->problem);
    free(item);
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

int ingest_walk_wanted_name(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.')
        return 0; /* hidden files and partial downloads like .x.json.gz.1a2b */
    static const char *const ok[] = {".json.gz", ".json", ".jsonl", ".ndjson", ".gz",
                                     ".tar", ".tgz", ".zip"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (ends_with(name, n, ok[i]))
            return 1;
    return 0;
}

static int emit(walker *w, const char *path, const struct stat *st, const char *problem)
{
    ingest_walk_item *it = tt_xcalloc(1, sizeof *it);
    it->path = tt_xstrdup(path);
    if (st) {
        it->size = st->st_size;
        it->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
    }
    it->is_stdin = strcmp(path, "-") == 0;
    it->is_archive = ingest_is_archive_name(path);
    if (problem)
        it->problem = tt_xstrdup(problem);
    w->count++;
    if (w->fn(w->ctx, it) != 0)
        w->halted = 1;
    return w->halted;
}

static size_t dir_home(dev_t dev, ino_t ino, size_t nslots)
{
    uint64_t h = ((uint64_t)dev * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)ino * 0xc2b2ae3d27d4eb4fULL);
    return (size_t)(h ^ (h >> 29)) & (nslots - 1);
}

static void dir_put(struct dirid *slot, size_t nslots, dev_t dev, ino_t ino)
{
    size_t j = dir_home(dev, ino, nslots);
    while (slot[j].used)
        j = (j + 1) & (nslots - 1);
    slot[j] = (struct dirid){dev, ino, 1};
}

/* 1 when the directory was entered before; otherwise remembers it. */
static int seen_before(visited *v, const struct stat *st)
{
    if (v->nslots) {
        size_t j = dir_home(st->st_dev, st->st_ino, v->nslots);
        for (; v->slot[j].used; j = (j + 1) & (v->nslots - 1))
            if (v->slot[j].dev == st->st_dev && v->slot[j].ino == st->st_ino)
                return 1;
    }
    if ((v->n + 1) * 2 > v->nslots) {
        size_t n = v->nslots ? v->nslots * 2 : 256;
        struct dirid *s = tt_xcalloc(n, sizeof *s);
        for (size_t i = 0; i < v->nslots; i++)
            if (v->slot[i].used)
                dir_put(s, n, v->slot[i].dev, v->slot[i].ino);
        free(v->slot);
        v->slot = s;
        v->nslots = n;
    }
    dir_put(v->slot, v->nslots, st->st_dev, st->st_ino);
    v->n++;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *type_problem(const struct stat *st)
{
    if (S_ISFIFO(st->st_mode))
        return "not a regular file (a FIFO)";
    if (S_ISSOCK(st->st_mode))
        return "not a regular file (a socket)";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        return "not a regular file (a device)";
    return "not a regular file";
}

static void walk_path(walker *w, const char *path, int depth, int named);

static char **list_dir(walker *w, const char *path, size_t *count)
{
    char eb[128], msg[256];
    DIR *d = opendir(path);
    *count = 0;
    if (!d) {
        snprintf(msg, sizeof msg, "cannot read directory: %s", tt_errno_text(errno, eb, sizeof eb));
        emit(w, path, NULL, msg);
        return NULL;
    }
    char **names = NULL;
    size_t n = 0, alloc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 64;
            names = tt_xrealloc(names, alloc * sizeof *names);
        }
        names[n++] = tt_xstrdup(de->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

static void walk_dir(walker *w, const char *path, int depth)
{
    size_t n = 0;
    char **names = list_dir(w, path, &n);
    size_t plen = strlen(path);
    for (size_t i = 0; i < n; i++) {
        if (!w->halted) {
            size_t len = plen + strlen(names[i]) + 2;
            char *child = tt_xmalloc(len);
            snprintf(child, len, "%s%s%s", path, (plen && path[plen - 1] == '/') ? "" : "/",
                     names[i]);
            walk_path(w, child, depth + 1, 0);
            free(child);
        }
        free(names[i]);
    }
    free(names);
}

static void walk_path(walker *w, const char *path, int depth, int named)
{
    struct stat st;
    char eb[128], msg[256];
    if (stat(path, &st) != 0) {
        /* A dangling symlink in a tree is worth a word only if wanted. */
        const char *base = strrchr(path, '/');
        if (named || ingest_walk_wanted_name(base ? base + 1 : path)) {
            snprintf(msg, sizeof msg, "cannot stat: %s", tt_errno_text(errno, eb, sizeof eb));
            emit(w, path, NULL, msg);
        }
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (depth > MAX_WALK_DEPTH) {
            emit(w, path, NULL, "directory nesting deeper than 64 levels; not entered");
            return;
        }
        if (seen_before(&w->seen, &st))
            return; /* a symlink loop or a second way to the same tree */
        walk_dir(w, path, depth);
        return;
    }
    const char *base = strrchr(path, '/');
    if (!named && !ingest_walk_wanted_name(base ? base + 1 : path))
        return;
    emit(w, path, &st, S_ISREG(st.st_mode) ? NULL : type_problem(&st));
}

long ingest_walk(const char *const *paths, int n, ingest_walk_fn fn, void *ctx)
{
    walker w = {.fn = fn, .ctx = ctx};
    for (int i = 0; i < n && !w.halted; i++) {
        if (strcmp(paths[i], "-") == 0)
            emit(&w, "-", NULL, NULL);
        else
            walk_path(&w, paths[i], 0, 1);
    }
    free(w.seen.slot);
    return w.count;
}
