#!/usr/bin/env bash
# Load test: HLHR under gunicorn (2 workers, the project's gunicorn.conf.py) driven by wrk,
# next to a minimal Flask page served the same way in the same run. Not a test.
#
#   bench/load.sh                 # 5 rounds of 4 s per page, 4 connections, 2,000 articles
#   ROUNDS=5 DURATION=10s CONNECTIONS=8 POSTS=10000 bench/load.sh
#   GUNICORN_ARGS="--max-requests 0" bench/load.sh   # extra options for both servers
#
# Builds a throwaway site in a temporary folder (init-db, demo, generated articles, search
# rebuild), starts both servers on 127.0.0.1, warms each URL, then measures the hello page,
# home, an article, a search results page and a live suggestion in interleaved rounds.
# Prints a Markdown table (bench/load_report.py): requests/s, p50 and p99 latency, how many
# times the hello page's rate is the page's, and errors (socket errors plus every answer
# that is not 2xx). Exits 1 when any error was seen.
# Installs Debian's wrk when it is missing. Everything it started or wrote goes on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.venv/bin}
DURATION=${DURATION:-4s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-1}
POSTS=${POSTS:-2000}
ROUNDS=${ROUNDS:-5}

if ! command -v wrk >/dev/null; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hlhr-load.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    "$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The site's own environment: nothing from the caller's HLHR_* settings leaks in.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(HLHR_[A-Z_]*\)=.*/\1/p')
export FLASK_APP=wsgi
export HLHR_DATABASE_URL="sqlite:///$WORK/hlhr.sqlite3"
export HLHR_SEARCH_INDEX_DIR="$WORK/search-index"
export HLHR_UPLOAD_DIR="$WORK/uploads"
export HLHR_SECRET_KEY
HLHR_SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_hex(32))')
export HLHR_WORKERS=2

cd "$ROOT"
echo "Building a site with the demo and $POSTS generated articles in $WORK ..." >&2
started=$SECONDS
"$BIN/flask" init-db >/dev/null
"$BIN/flask" demo --posts "$POSTS" >/dev/null
# Nothing else writes while the site is built, so no late commit can hide behind the cursor;
# a zero window keeps the first search request from re-indexing the last minute's articles.
HLHR_SEARCH_LOG_WINDOW=0 "$BIN/flask" search rebuild >/dev/null
echo "Built in $((SECONDS - started)) s." >&2

serve() {  # serve NAME PORT [APP ...]: gunicorn with gunicorn.conf.py, logs in $WORK
    local name=$1 port=$2
    shift 2
    HLHR_BIND="127.0.0.1:$port" "$BIN/gunicorn" -c "$ROOT/gunicorn.conf.py" "$@" \
        >"$WORK/$name.access.log" 2>"$WORK/$name.error.log" &
    PIDS+=($!)
    for _ in $(seq 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "$name did not start:" >&2
    cat "$WORK/$name.error.log" >&2
    exit 2
}
SITE_PORT=$(free_port)
# shellcheck disable=SC2086  # GUNICORN_ARGS is a list of options, e.g. "--max-requests 0"
serve hlhr "$SITE_PORT" ${GUNICORN_ARGS:-} wsgi:app
HELLO_PORT=$(free_port)
# shellcheck disable=SC2086
serve hello "$HELLO_PORT" ${GUNICORN_ARGS:-} --chdir "$ROOT/bench" hello_app:app
SITE="http://127.0.0.1:$SITE_PORT"

# An article from the home page, a word of its title to search for, and a prefix of it.
read -r ARTICLE WORD < <("$BIN/python" - "$SITE" <<'EOF'
import re, sys, urllib.request
home = urllib.request.urlopen(sys.argv[1] + "/").read().decode()
link, title = re.search(r'class="lead-title"[^>]*><a href="([^"]+)">([^<]+)<', home).groups()
word = max(re.findall(r"[A-Za-z]{4,}", title), key=len).lower()
print(link, word)
EOF
)
declare -A URLS=(
    [home]="$SITE/"
    [article]="$SITE$ARTICLE"
    [search]="$SITE/search/?q=$WORD"
    [suggest]="$SITE/search/suggest?q=${WORD:0:4}"
    [hello]="http://127.0.0.1:$HELLO_PORT/"
)
ORDER=(hello home article search suggest)

measure() {  # measure URL DURATION -> the RESULT line of bench/load.lua
    wrk --threads "$THREADS" --connections "$CONNECTIONS" --duration "$2" --timeout 10s \
        --script "$ROOT/bench/load.lua" "$1" | sed -n 's/^RESULT //p'
}
for name in "${ORDER[@]}"; do
    if ! curl -fsS -o /dev/null "${URLS[$name]}"; then
        echo "$name: ${URLS[$name]} fails; the servers' error logs end with:" >&2
        tail -n 40 "$WORK"/*.error.log >&2
        exit 2
    fi
    measure "${URLS[$name]}" "$WARMUP" >/dev/null
done
# Rounds interleave the pages, so a change in the machine's other load hits all alike.
for round in $(seq "$ROUNDS"); do
    echo "Round $round of $ROUNDS: ${ORDER[*]}" >&2
    for name in "${ORDER[@]}"; do
        echo "$name $(measure "${URLS[$name]}" "$DURATION")" >>"$WORK/results"
    done
done

echo
echo "gunicorn, 2 sync workers (gunicorn.conf.py); wrk, $THREADS thread(s), $CONNECTIONS" \
     "connections; $ROUNDS rounds of $DURATION per page; $(nproc) CPU cores; SQLite;" \
     "demo + $POSTS articles"
echo "article: ${URLS[article]#"$SITE"}  search: ?q=$WORD  suggest: ?q=${WORD:0:4}"
echo
"$BIN/python" "$ROOT/bench/load_report.py" "$WORK/results" "${ORDER[@]}"
