# bash completion for trailtrim: installed as
# share/bash-completion/completions/trailtrim. Completes the commands, each
# command's options, the values of --format, --color, --section and
# --resources, and files or folders where an option takes one.

_trailtrim_opts() { # the options of command $1
    local win="--days --until" since="--days --since --until"
    case $1 in
    ingest) echo "-j --threads -q --quiet -v --verbose --wait --verify --max-object-size --memory --max-wal --format --db --help" ;;
    status) echo "--format --section --db --help" ;;
    principals | usage) echo "$since --format --db --help" ;;
    policy) echo "$win --format --resources --max-records --resources-report -o --report --all --from -q --db --help" ;;
    mapping) echo "--unmapped $win --format --db --help" ;;
    key) echo "$since --format --details --db --help" ;;
    search) echo "--key --principal --session --ip --source --event --error $since --limit --explain --format --db --help" ;;
    verify) echo "--public-keys --format --help" ;;
    unused) echo "--authz $win --format -q --db --help" ;;
    repo) echo "--authz --out $win -q --lint --max-chars --db --help" ;;
    trust) echo "$win --format -o --report --all -q --db --help" ;;
    keys) echo "--credential-report --unused-days --max-age-days $win --format -q --db --help" ;;
    esac
}

_trailtrim_formats() { # the --format values of command $1
    case $1 in
    key) echo "table json csv html" ;;
    unused | keys) echo "table json csv html" ;;
    policy | trust) echo "json terraform cloudformation" ;;
    ingest | verify) echo "table json" ;;
    *) echo "table json csv" ;;
    esac
}

_trailtrim() {
    local cur prev cmd="" i
    local commands="ingest status principals usage policy mapping key search verify unused repo trust keys help"
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --db | --color) ((i++)) ;;
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    case $prev in
    --db | --authz | --credential-report | --report | --resources-report | -o | --from)
        COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --out | --public-keys)
        COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "$(_trailtrim_formats "$cmd")" -- "$cur")); return ;;
    --section) COMPREPLY=($(compgen -W "summary problems coverage verdicts" -- "$cur")); return ;;
    --resources) COMPREPLY=($(compgen -W "star observed" -- "$cur")); return ;;
    --days | --since | --until | --threads | -j | --memory | --max-wal | --max-object-size | --limit | --details | \
        --max-records | --max-chars | --unused-days | --max-age-days | --key | --principal | --session | \
        --ip | --source | --event | --error)
        return ;;
    esac
    if [ -z "$cmd" ]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--db --allow-missing-shards --color= --help --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi
    if [ "$cmd" = help ]; then
        COMPREPLY=($(compgen -W "${commands% help} window" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_trailtrim_opts "$cmd") --color" -- "$cur"))
        return
    fi
    case $cmd in
    ingest | verify | repo) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -F _trailtrim trailtrim
