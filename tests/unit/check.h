/*
 * check.h - the smallest unit-test harness: CHECK records a failure with its
 * place and goes on; check_done() prints "N passed, N failed" and returns
 * the exit code (0, 1, or 77 when everything was skipped).
 */
#ifndef TT_CHECK_H
#define TT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed, check_skipped;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (cond) {                                                          \
            check_passed++;                                                  \
        } else {                                                             \
            check_failed++;                                                  \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
        }                                                                    \
    } while (0)

#define CHECK_MSG(cond, ...)                                                 \
    do {                                                                     \
        if (cond) {                                                          \
            check_passed++;                                                  \
        } else {                                                             \
            check_failed++;                                                  \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

#define CHECK_STR(a, b) CHECK_MSG(strcmp((a), (b)) == 0, "\"%s\" != \"%s\"", (a), (b))

#define CHECK_SKIP(why)                                                      \
    do {                                                                     \
        check_skipped++;                                                     \
        fprintf(stderr, "SKIP: %s\n", (why));                                \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed", check_passed, check_failed);
    if (check_skipped)
        printf(", %d skipped", check_skipped);
    printf("\n");
    if (check_failed)
        return 1;
    if (check_passed == 0 && check_skipped)
        return 77;
    return 0;
}

/* The shared/ folder beside the checkout, or NULL when absent. */
static inline const char *check_shared_dir(void)
{
    const char *d = getenv("TT_SHARED_DIR");
    return (d && *d) ? d : NULL;
}

#endif /* TT_CHECK_H */
