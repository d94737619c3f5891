/*
 * files.c - cmd_write_atomic, cmd_part_path and the split outputs (files.h), shared by the
 * subcommands that write files (policy, repo, the observed policy).
 */
#define _GNU_SOURCE
#include "files.h"

#include "common/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The folder of a batch of writes (cmd_write_batch), or NULL. */
static const char *batch_dir;

void cmd_write_batch(const char *dir)
{
    batch_dir = dir;
}

tt_status cmd_write_flush(tt_error *err)
{
    char eb[128];
    const char *dir = batch_dir;
    batch_dir = NULL;
    if (!dir)
        return TT_OK;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return tt_fail(err, TT_ERR_IO, "%s: %s", dir, tt_errno_text(errno, eb, sizeof eb));
    tt_status st = TT_OK;
    if (syncfs(fd) != 0)
        st = tt_fail(err, TT_ERR_IO, "%s: syncing: %s", dir, tt_errno_text(errno, eb, sizeof eb));
    close(fd);
    return st;
}

tt_status cmd_write_atomic(const char *path, const char *data, size_t len, tt_error *err)
{
    char eb[128];
    size_t pn = strlen(path);
    char *tmp = tt_xmalloc(pn + 16);
    snprintf(tmp, pn + 16, "%s.tmp.XXXXXX", path);
    tt_status st = TT_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        st = tt_fail(err, TT_ERR_IO, "%s: %s", path, tt_errno_text(errno, eb, sizeof eb));
        goto out;
    }
    fchmod(fd, 0644);
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            st = tt_fail(err, TT_ERR_IO, "%s: %s", tmp, tt_errno_text(errno, eb, sizeof eb));
            break;
        }
        off += (size_t)w;
    }
    if (st == TT_OK && !batch_dir && fsync(fd) != 0)
        st = tt_fail(err, TT_ERR_IO, "%s: %s", tmp, tt_errno_text(errno, eb, sizeof eb));
    if (close(fd) != 0 && st == TT_OK)
        st = tt_fail(err, TT_ERR_IO, "%s: %s", tmp, tt_errno_text(errno, eb, sizeof eb));
    if (st == TT_OK && rename(tmp, path) != 0)
        st = tt_fail(err, TT_ERR_IO, "%s: %s", path, tt_errno_text(errno, eb, sizeof eb));
    if (st != TT_OK)
        unlink(tmp);
out:
    free(tmp);
    return st;
}

void cmd_part_path(const char *path, size_t part, char *buf, size_t n)
{
    if (part <= 1) {
        snprintf(buf, n, "%s", path);
        return;
    }
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash) || dot == path || (slash && dot == slash + 1))
        snprintf(buf, n, "%s-%zu", path, part);
    else
        snprintf(buf, n, "%.*s-%zu%s", (int)(dot - path), path, part, dot);
}

tt_status cmd_read_file(const char *path, size_t cap, const char *cap_name, char **data,
                        size_t *len, tt_error *err)
{
    char eb[128];
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return tt_fail(err, TT_ERR_IO, "%s: %s", path, tt_errno_text(errno, eb, sizeof eb));
    tt_buf b;
    tt_buf_init(&b, cap);
    tt_status st = TT_OK;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (tt_buf_append(&b, chunk, n) != 0) {
            st = cap_name ? tt_fail(err, TT_ERR_LIMIT, "%s: more than %zu bytes (%s)", path, cap, cap_name)
                          : tt_fail(err, TT_ERR_LIMIT, "%s: more than %zu bytes", path, cap);
            break;
        }
    if (st == TT_OK && ferror(f))
        st = tt_fail(err, TT_ERR_IO, "%s: read error", path);
    fclose(f);
    if (st != TT_OK) {
        tt_buf_free(&b);
        return st;
    }
    *data = b.data ? b.data : tt_xstrdup("");
    *len = b.len;
    return TT_OK;
}

tt_status cmd_write_parts(const char *path, const char *const *docs, size_t n, size_t max_parts,
                          size_t *replaced, size_t *removed, tt_error *err)
{
    char p[4200];
    struct stat sb;
    tt_status st = TT_OK;
    size_t rep = 0, rem = 0;
    for (size_t i = 0; i < n && st == TT_OK; i++) {
        cmd_part_path(path, i + 1, p, sizeof p);
        rep += stat(p, &sb) == 0;
        st = cmd_write_atomic(p, docs[i], strlen(docs[i]), err);
    }
    for (size_t i = n + 1; st == TT_OK && i <= max_parts; i++) {
        cmd_part_path(path, i, p, sizeof p);
        if (unlink(p) == 0)
            rem++;
        else if (errno != ENOENT) {
            char eb[128];
            st = tt_fail(err, TT_ERR_IO, "%s: a stale part of an earlier run: %s", p, tt_errno_text(errno, eb, sizeof eb));
        }
    }
    if (replaced)
        *replaced += rep;
    if (removed)
        *removed += rem;
    return st;
}

tt_status cmd_print_docs(const char *const *docs, size_t n, tt_error *err)
{
    if (n > 1)
        fputs("[\n", stdout);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(docs[i]);
        while (len && docs[i][len - 1] == '\n')
            len--;
        fwrite(docs[i], 1, len, stdout);
        fputs(n > 1 && i + 1 < n ? ",\n" : "\n", stdout);
    }
    if (n > 1)
        fputs("]\n", stdout);
    if (fflush(stdout) != 0 || ferror(stdout))
        return tt_fail(err, TT_ERR_IO, "stdout: cannot write the policy");
    return TT_OK;
}
