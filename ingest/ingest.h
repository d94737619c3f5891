/*
 * ingest.h - the ingest pipeline: find CloudTrail objects under the given
 * paths, read, hash, decompress and parse them on N worker threads, and hand
 * each finished object to the caller's sink, one at a time, on the calling
 * thread. The sink (cmd/ wires it to the store) is the only writer.
 *
 * Memory stays flat: the walker, the workers and the sink are joined by
 * bounded queues, and every object is capped in stored and in decompressed
 * bytes before it is allocated.
 */
#ifndef TT_INGEST_H
#define TT_INGEST_H

#include "common/fingerprint.h"
#include "common/tt.h"
#include "common/event.h"
#include "parse.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* ---- what the store already holds --------------------------------------- */

/* An index of the objects a previous run recorded, by (path, member) and by
 * content hash. Filled before ingest_run(); read-only (so thread-safe)
 * during it. */
typedef struct ingest_known ingest_known;

/* How a recorded object ended. */
typedef enum ingest_known_state {
    INGEST_KNOWN_LOADED = 0, /* loaded, or recognised (digest, duplicate) */
    INGEST_KNOWN_REJECTED    /* rejected: read again if its content changes */
} ingest_known_state;

ingest_known *ingest_known_create(void);
void ingest_known_free(ingest_known *k); /* accepts NULL */

/* Records one object. member is "" for a plain file. path and member are
 * copied. */
void ingest_known_add(ingest_known *k, const char *path, const char *member,
                      int64_t size, int64_t mtime_ns, const uint8_t sha256[32],
                      ingest_known_state state);

size_t ingest_known_count(const ingest_known *k);

/* What a run asks of the objects recorded before, object by object, from
 * its workers at once (both functions thread-safe):
 *   find: 1 and *out when (path, member) was recorded; 0 when not, or when
 *     the question failed (the object is then read as new: the store
 *     drops the events it holds already);
 *   has_content: 1 when an object recorded as loaded had exactly these
 *     bytes (full SHA-256); 0 when none, or when the question failed.
 * Either an ingest_known read whole before the run (ingest_known_asking), or
 * the store asked as the run goes, so that a run over a bucket of months
 * does not hold the whole manifest. */
typedef struct ingest_known_info {
    int64_t size, mtime_ns;
    uint8_t sha256[32];
    ingest_known_state state;
} ingest_known_info;

typedef struct ingest_known_ask {
    int (*find)(void *ctx, const char *path, const char *member, ingest_known_info *out);
    int (*has_content)(void *ctx, const uint8_t sha256[32]);
    void *ctx;
} ingest_known_ask;

/* Asks k (which must outlive the run). */
ingest_known_ask ingest_known_asking(const ingest_known *k);

/* ---- what the sink receives --------------------------------------------- */

typedef enum ingest_outcome {
    INGEST_LOADED = 0,  /* parsed: events (maybe none) to store; when
                           left_out > 0, some records were not (a partial
                           object: reason and detail say which and why) */
    INGEST_SKIPPED,     /* recorded before and unchanged: nothing to do */
    INGEST_SAME_CONTENT,/* new name, but the same bytes as a recorded object */
    INGEST_CHANGED,     /* recorded before, and its content has changed:
                           possible tampering; not read again */
    INGEST_REJECTED     /* bad input: reason says why and where */
} ingest_outcome;

typedef enum ingest_container {
    INGEST_PLAIN = 0,   /* a file or stdin holding one object */
    INGEST_MEMBER,      /* one regular entry of a tar or zip archive */
    INGEST_ARCHIVE      /* the archive itself, after all its members */
} ingest_container;

/* One finished object. Everything it points to is borrowed and lives until
 * the sink returns. */
typedef struct ingest_object {
    const char *path;       /* the file as named on the command line or
                               found by the walk; "-" for stdin */
    const char *member;     /* the archive entry name, "" otherwise */
    ingest_container container;
    int64_t size;           /* stored bytes (compressed size for .gz) */
    int64_t mtime_ns;       /* the file's mtime; 0 for stdin and members */
    int has_sha;            /* sha256 is set (not for SKIPPED by stat) */
    uint8_t sha256[32];     /* SHA-256 of the bytes as stored (for a .gz,
                               of the compressed file) */
    ingest_outcome outcome;
    ingest_kind kind;       /* events, digest or insight */
    const char *reason;     /* REJECTED/CHANGED/SAME_CONTENT, and LOADED
                               with left_out: why, in one line */
    size_t left_out;        /* LOADED: records left out for their content */
    const char *detail;     /* LOADED with left_out: "rejected record 17 (byte
                               5120): why" for each record the parser kept,
                               "and N more records rejected" for the rest,
                               joined by '\n' */
    int recorded_rejected;  /* the path was recorded as rejected (or as
                               partial) before */
    const tt_event *events; /* LOADED: the events, in input order; their
                               strings are copies (ingest/pack.h), the
                               decompressed object itself is let go
                               before the sink sees it */
    const tt_event_fp *fps; /* LOADED: their fingerprints, computed by the
                               worker (common/fingerprint.h) */
    size_t nevents;
} ingest_object;

/* Called on the thread that called ingest_run(), once per object, in the
 * order objects finish. A non-OK return stops the run: no further objects
 * are handed out and ingest_run() returns that status and err. */
typedef tt_status (*ingest_sink_fn)(void *ctx, const ingest_object *obj,
                                    tt_error *err);

/* ---- running ------------------------------------------------------------ */

typedef struct ingest_options {
    int threads;                /* workers; <= 0 means online CPUs */
    size_t max_stored_bytes;    /* cap on one object as stored */
    size_t max_object_bytes;    /* cap on one object decompressed */
    size_t max_archive_entries; /* cap on entries read from one archive */
    size_t memory_budget;       /* bytes in flight at most (decompressed
                                   objects, their events and fingerprints,
                                   in the workers, the queue and the sink);
                                   an object needing more is rejected */
    ingest_known_ask known;     /* find NULL: everything is new */
    atomic_int *stop;           /* may be NULL; non-zero asks the run to
                                   stop after the objects in flight */
} ingest_options;

/* Sets the defaults (threads 0, 1 GiB stored, 1 GiB decompressed,
 * 1,000,000 entries, INGEST_MEMORY_BUDGET in flight). */
#define INGEST_MEMORY_BUDGET ((size_t)192 << 20)
void ingest_options_init(ingest_options *o);

/* Counters the run keeps up to date (atomics: readable from another thread
 * while the run goes on, e.g. for a progress line). */
typedef struct ingest_progress {
    atomic_llong files_found;   /* objects the walk found so far */
    atomic_llong bytes_read;    /* stored bytes read */
    atomic_llong bytes_inflated;/* decompressed bytes parsed */
    atomic_llong objects_done;  /* handed to the sink */
    atomic_llong events_parsed;
    atomic_llong walk_errors;   /* paths the walk could not read */
    atomic_int walk_done;       /* the walk has finished */
    atomic_llong budget_peak;   /* the most bytes in flight at once */
} ingest_progress;

/* Ingests paths[0..npaths): each a directory (walked recursively, following
 * symlinks once, in name order), a file, or "-" for stdin. In directories,
 * only names that look like log objects are read (.json.gz .json .jsonl
 * .ndjson .gz .tar .tar.gz .tgz .zip); a file named on the command line is
 * always read. Paths the walk cannot read (missing, unreadable, not a
 * regular file) are handed to the sink as REJECTED objects.
 * Returns TT_OK when every object reached the sink (rejected ones
 * included), TT_ERR_INTERRUPTED when *stop was set, or the sink's error. */
tt_status ingest_run(const char *const *paths, size_t npaths,
                     const ingest_options *opt, ingest_sink_fn sink, void *ctx,
                     ingest_progress *progress, tt_error *err);

#endif /* TT_INGEST_H */
