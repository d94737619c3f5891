# test_crash.sh - crash safety of ingest, proven on a generated corpus:
#   - SIGKILL at seeded random moments, many times over (TT_KILLS, default
#     50; 20 under sanitizers), resuming each time: the finished store
#     equals a clean run's, event for event, and passes integrity_check;
#   - a second writer on the same store is refused (exit 5);
#   - 1, 2 and 8 threads give the same store;
#   - disk full (a 2 MiB tmpfs, root only): a clear error, non-zero exit,
#     the store intact, and a run with space resumes to the full result.
# TT_KILL_SEED picks the moments (default 11); the seed is printed.
. "$(dirname "$0")/lib.sh"
have sqlite3 || { skip "sqlite3 shell not installed"; finish; }
GEN="$TT_BINARY_DIR/bench/trailtrim-gencorpus"
[ -x "$GEN" ] || { skip "trailtrim-gencorpus not built ($GEN)"; finish; }
MNT="$WORK/small"
trap 'mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"; rm -rf "$WORK"' EXIT

sanitized=0
[ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ] && sanitized=1
kills_wanted=${TT_KILLS:-$([ $sanitized -eq 1 ] && echo 20 || echo 50)}
seed=${TT_KILL_SEED:-11}
RANDOM=$seed
echo "kill seed $seed, $kills_wanted kills"

CORPUS="$WORK/corpus"
"$GEN" --out "$CORPUS" --events "${TT_CRASH_EVENTS:-100000}" --seed 5 >/dev/null ||
    { bad "corpus generation"; finish; }

# A logical dump of a store: events, rollup, coverage and the manifest,
# by their strings, not ids (as in test_ingest_corpus.sh).
dump() {
    sqlite3 -batch -noheader "$1" "
      SELECT time_ms, principal, arn, access_key, session_name, event_source, event_name,
             region, source_ip, user_agent, error_code, event_type, event_version,
             recipient_account, minted_key, read_only, management
        FROM events ORDER BY 1, 2, 3, 4, 6, 7, 9, 10, 8, 11;
      SELECT principal, day, event_source, event_name, outcome, via_service, calls, first_ms, last_ms
        FROM usage ORDER BY 1, 2, 3, 4, 5, 6;
      SELECT a.v, r.v, c.day, c.events FROM coverage c JOIN dict a ON a.id = c.account
        JOIN dict r ON r.id = c.region ORDER BY 1, 2, 3;
      SELECT count(*), sum(events) FROM object;"
}
t0=$(date +%s%N)
tt --db "$WORK/clean.db" ingest -q -j 2 "$CORPUS"
expect_rc 0 "clean run"
clean_ms=$((($(date +%s%N) - t0) / 1000000))
dump "$WORK/clean.db" >"$WORK/clean.dump"
expect_eq "$(sqlite3 "$WORK/clean.db" 'SELECT count(*) > 1000 FROM event')" 1 "the corpus has events"
same_as_clean() { # same_as_clean DB what
    dump "$1" >"$WORK/other.dump"
    if cmp -s "$WORK/clean.dump" "$WORK/other.dump"; then ok; else
        bad "$2: store differs from the clean run: $(diff "$WORK/clean.dump" "$WORK/other.dump" | head -3)"
    fi
}

# ---- kill anywhere --------------------------------------------------------
# Episodes: a fresh store, killed again and again (each run resumes what
# the last committed) until a run finishes by itself or 10 kills; then
# one run to the end, compared with the clean store.
span=$((clean_ms > 40 ? clean_ms : 40))
kills=0 episodes=0 bad_integrity=0 finished_early=0
while [ $kills -lt "$kills_wanted" ]; do
    episodes=$((episodes + 1))
    db="$WORK/kill$episodes.db"
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        [ $kills -lt "$kills_wanted" ] || break
        delay_ms=$((RANDOM % span + 1))
        "$TT_BIN" --db "$db" ingest -q -j $((RANDOM % 2 + 1)) "$CORPUS" 2>/dev/null &
        pid=$!
        sleep "$(printf '0.%03d' "$delay_ms")"
        if kill -9 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null
            kills=$((kills + 1))
            [ -f "$db" ] && [ "$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)" != ok ] &&
                bad_integrity=$((bad_integrity + 1))
        else
            wait "$pid"
            finished_early=$((finished_early + 1))
            break
        fi
    done
    tt --db "$db" ingest -q "$CORPUS"
    expect_rc 0 "episode $episodes: the run after the kills"
    expect_eq "$(sqlite3 "$db" 'PRAGMA integrity_check')" ok "episode $episodes: integrity"
    same_as_clean "$db" "episode $episodes: after kills"
    rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
done
expect_eq "$bad_integrity" 0 "integrity_check right after every kill"
echo "kills: $kills in $episodes episodes ($finished_early runs finished before their kill), clean run ${clean_ms} ms"
[ $kills -ge "$kills_wanted" ] && ok || bad "only $kills kills"

# ---- a second writer ------------------------------------------------------
"$TT_BIN" --db "$WORK/busy.db" ingest -q -j 1 "$CORPUS" &
pid=$!
sleep 0.05
tt --db "$WORK/busy.db" ingest -q "$CORPUS"
wait "$pid"
first=$?
if [ "$RC" -eq 5 ]; then
    ok
    expect_err 'another|busy|writ' "the refusal says why"
elif [ "$first" -eq 0 ] && [ "$RC" -eq 0 ]; then
    skip "the first writer finished before the second started"
else
    bad "second writer: exit $RC (first $first), expected 5"
fi
expect_eq "$first" 0 "the first writer is not disturbed"
same_as_clean "$WORK/busy.db" "store after a refused second writer"

# ---- thread counts --------------------------------------------------------
for j in 1 2 8; do
    tt --db "$WORK/j$j.db" ingest -q -j $j "$CORPUS"
    expect_rc 0 "-j $j"
    same_as_clean "$WORK/j$j.db" "-j $j"
done

# ---- disk full ------------------------------------------------------------
mkdir -p "$MNT"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=2m tmpfs "$MNT" 2>/dev/null; then
    skip "disk full: needs root and a tmpfs mount"
    finish
fi
tt --db "$MNT/full.db" ingest -q "$CORPUS"
if [ "$RC" -ne 0 ]; then ok; else bad "disk full: exit 0"; fi
expect_eq "$RC" 1 "disk full: exit 1 (the run failed)"
expect_err 'full|space|disk' "disk full: a clear message"
expect_eq "$(sqlite3 "$MNT/full.db" 'PRAGMA integrity_check' 2>&1)" ok "disk full: store intact"
partial=$(sqlite3 "$MNT/full.db" 'SELECT count(*) FROM event' 2>/dev/null || echo 0)
echo "disk full: $(head -c 300 "$ERR" | tr '\n' ' ')(events kept: $partial)"
mount -o remount,size=64m "$MNT"
tt --db "$MNT/full.db" ingest -q "$CORPUS"
expect_rc 0 "disk full: the run with space"
expect_eq "$(sqlite3 "$MNT/full.db" 'PRAGMA integrity_check')" ok "disk full: integrity after resume"
same_as_clean "$MNT/full.db" "disk full, then resumed"
finish
