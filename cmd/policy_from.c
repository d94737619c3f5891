/*
 * policy_from.c - the temporary store of `policy --from`. It is a folder of
 * its own (mkdtemp in $TMPDIR) holding store.db and whatever SQLite puts
 * beside it; every name is known before the first write, so that a signal
 * after ingest can remove them with unlink(2) and rmdir(2), which are
 * async-signal-safe.
 */
#define _POSIX_C_SOURCE 200809L
#include "policy_from.h"

#include "common/mem.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { F_DB, F_WAL, F_SHM, F_JOURNAL, F_LOCK, F_N };
static const char *const suffix[F_N] = {"", "-wal", "-shm", "-journal", ".lock"};

struct policy_from {
    char dir[4096];
    char file[F_N][4200];
};

/* The one store a signal handler removes. */
static policy_from *volatile pending;

static void remove_all(const policy_from *pf)
{
    for (int i = 0; i < F_N; i++)
        unlink(pf->file[i]);
    rmdir(pf->dir);
}

static void on_signal(int sig)
{
    if (pending)
        remove_all(pending);
    _exit(sig == SIGINT || sig == SIGTERM ? EXIT_INTERRUPTED : EXIT_ERROR);
}

static void catch_signals(void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int policy_from_load(policy_from **pfp, const char *const *paths, size_t n)
{
    *pfp = NULL;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    policy_from *pf = tt_xcalloc(1, sizeof *pf);
    int w = snprintf(pf->dir, sizeof pf->dir, "%s/trailtrim-policy.XXXXXX", tmp);
    if (w < 0 || (size_t)w >= sizeof pf->dir || !mkdtemp(pf->dir)) {
        char eb[128];
        fprintf(stderr, "trailtrim policy: --from needs a temporary store in %s: %s\n", tmp,
                w < 0 || (size_t)w >= sizeof pf->dir ? "the path is too long"
                                                   : tt_errno_text(errno, eb, sizeof eb));
        free(pf);
        return EXIT_ERROR;
    }
    for (int i = 0; i < F_N; i++)
        snprintf(pf->file[i], sizeof pf->file[i], "%s/store.db%s", pf->dir, suffix[i]);
    *pfp = pf;
    /* Through the ingest command itself: one path for every input. */
    char **argv = tt_xcalloc(n + 6, sizeof *argv);
    size_t k = 0;
    argv[k++] = "ingest";
    argv[k++] = "-q";
    argv[k++] = "--db";
    argv[k++] = pf->file[F_DB];
    argv[k++] = "--";
    for (size_t i = 0; i < n; i++)
        argv[k++] = (char *)paths[i];
    cmd_global g = {pf->file[F_DB]};
    int rc = cmd_ingest(&g, (int)k, argv);
    free(argv);
    /* Ingest stops cleanly on a signal (exit 6); from here on a signal
     * removes the store and ends the run. */
    pending = pf;
    catch_signals(on_signal);
    return rc;
}

const char *policy_from_db(const policy_from *pf)
{
    return pf->file[F_DB];
}

/* Whatever else was put in the folder (not from a signal handler). */
static void sweep(const policy_from *pf)
{
    DIR *d = opendir(pf->dir);
    if (!d)
        return;
    char path[4400];
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            snprintf(path, sizeof path, "%s/%s", pf->dir, e->d_name) < (int)sizeof path)
            unlink(path);
    closedir(d);
}

void policy_from_free(policy_from *pf)
{
    if (!pf)
        return;
    sweep(pf);
    remove_all(pf);
    if (pending == pf) {
        catch_signals(SIG_DFL);
        pending = NULL;
    }
    free(pf);
}
