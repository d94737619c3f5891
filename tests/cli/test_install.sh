# test_install.sh - `cmake --install` puts the binary, the man page and the
# shell completions where they belong; the man page renders without a
# warning (groff -ww) and names every command; the bash completion completes
# commands, options and --format values.
. "$(dirname "$0")/lib.sh"
: "${TT_BINARY_DIR:?}"
have cmake || { skip "cmake is needed"; finish; }
P="$WORK/prefix"
cmake --install "$TT_BINARY_DIR" --prefix "$P" >"$WORK/install.log" 2>&1
RC=$?
expect_rc 0 "cmake --install"
for f in bin/trailtrim share/man/man1/trailtrim.1 share/bash-completion/completions/trailtrim \
    share/zsh/site-functions/_trailtrim; do
    [ -f "$P/$f" ] && ok || bad "installed $f"
done
[ -x "$P/bin/trailtrim" ] && ok || bad "bin/trailtrim is executable"
"$P/bin/trailtrim" --version >"$WORK/v" 2>&1 && grep -q '^trailtrim ' "$WORK/v" && ok || bad "the installed binary runs"

# The commands, from the binary's own help: the man page and the
# completion must name each of them.
commands=$("$TT_BIN" --help | sed -n 's/^  \([a-z]\{3,\}\)  *[a-z(].*/\1/p' | grep -v '^db$')
[ "$(echo "$commands" | wc -w)" -ge 13 ] && ok || bad "commands read from --help: $commands"
MAN="$P/share/man/man1/trailtrim.1"
if have groff; then
    groff -man -Tutf8 -ww -z "$MAN" >"$WORK/groff.err" 2>&1
    expect_eq "$?" 0 "groff renders the man page"
    expect_empty "$WORK/groff.err" "groff -ww: no warnings"
    groff -man -Tutf8 -P-c "$MAN" 2>/dev/null | sed 's/.\x08//g' >"$WORK/man.txt"
    for c in $commands; do
        grep -q "^   trailtrim $c" "$WORK/man.txt" && ok || bad "the man page has a section on $c"
    done
    grep -q 'NO_COLOR' "$WORK/man.txt" && grep -q 'EXIT STATUS' "$WORK/man.txt" && ok || bad "man: environment, exit status"
else
    skip "groff is missing (scripts/setup.sh installs groff-base)"
fi
if have man; then
    MANWIDTH=80 man -l "$MAN" >/dev/null 2>"$WORK/man.err"
    expect_empty "$WORK/man.err" "man -l: no complaint"
fi

# Bash completion: drive _trailtrim as bash would.
if have bash; then
    comp() { # comp WORD... : the completions of the last word
        bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _trailtrim; printf "%s\n" "${COMPREPLY[@]}"' \
            _ "$P/share/bash-completion/completions/trailtrim" "$@"
    }
    got=$(comp trailtrim "" | sort | tr '\n' ' ')
    for c in $commands help; do
        case " $got " in *" $c "*) ok ;; *) bad "completion of commands lacks $c: $got" ;; esac
    done
    expect_eq "$(comp trailtrim pri | tr '\n' ' ')" "principals " "trailtrim pri<TAB>"
    expect_eq "$(comp trailtrim --db x.db po | tr '\n' ' ')" "policy " "after --db PATH"
    expect_eq "$(comp trailtrim key AKIA --format "" | tr '\n' ' ')" "table json csv html " "key --format <TAB>"
    expect_eq "$(comp trailtrim policy --fr | tr '\n' ' ')" "--from " "policy --fr<TAB>"
    expect_eq "$(comp trailtrim --color a | tr '\n' ' ')" "auto always " "--color a<TAB>"
    expect_eq "$(comp trailtrim help wi | tr '\n' ' ')" "window " "help wi<TAB>"
    touch "$WORK/capture.json.gz"
    expect_eq "$(comp trailtrim ingest "$WORK/capt" | tr '\n' ' ')" "$WORK/capture.json.gz " "ingest completes files"
    # Every option the completion offers is one the command takes.
    for c in $commands; do
        "$TT_BIN" help "$c" >"$WORK/help.$c" 2>&1
        for o in $(comp trailtrim "$c" -); do
            case $o in --help | --color | --db) continue ;; esac
            grep -qe "$o" "$WORK/help.$c" && ok || bad "completion offers $c $o, which its help does not name"
        done
    done
fi
finish
