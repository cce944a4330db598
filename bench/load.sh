#!/usr/bin/env bash
# Load benchmark (not a test): the platform served by gunicorn (2 workers) on loopback over
# seed_demo + seed_national 101 on PostgreSQL and Redis, each page of the main journeys measured
# with wrk (4 connections) against the floor of the same role (/sante/ with that role's session
# cookie, measured just before and just after the page); then the workers' resident memory, then
# 200 concurrent « participer » submissions, counted. It prints the table and exits 0: it measures,
# it asserts nothing.
#
#   bench/load.sh                                    # about 8 minutes; the table at the end
#   LOAD_DURATION=5s bench/load.sh
#   DATABASE_URL=postgres://user:pw@127.0.0.1:5432/base REDIS_URL=redis://127.0.0.1:6379/3 bench/load.sh
#
# With DATABASE_URL: that server and that role (which needs CREATEDB). The script creates its
# own database, named after the given one with « _bench » appended, and drops it at the end; the
# given database itself is never touched and the server is never started or stopped.
# Without it: the Debian cluster (started only if it was stopped, and then stopped again), with a
# scratch role and database (fne_load), dropped at the end.
# With REDIS_URL: that Redis, with this run's own key prefix and Celery queue (bench/settings.py);
# exactly those keys are deleted at the end, nothing else. Without it: a Redis of its own.
# Everything listens on 127.0.0.1; only what this script started is stopped, by pid. Output and
# logs go to bench/out/load/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/_common.sh"
cd "$ROOT"

DURATION="${LOAD_DURATION:-10s}"
THREADS=2
CONNECTIONS=4
SUBMISSIONS="${LOAD_SUBMISSIONS:-200}"
OUT="$ROOT/bench/out/load"
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/fne-load.XXXXXX)"
chmod 755 "$WORK"
GIVEN_DATABASE_URL="${DATABASE_URL:-}"
GIVEN_REDIS_URL="${REDIS_URL:-}"
PG_VERSION=""
PG_CLUSTER=main
PG_STARTED=""
PG_PORT=""
PG_DB=fne_load
PG_USER=fne_load
BENCH_DB=""
REDIS_PIDFILE="$WORK/redis.pid"
REDIS_STARTED=""
GUNICORN_PID=""
# This run's cache keys and Celery queue (bench/settings.py), so that a shared Redis keeps
# everyone else's keys and the cleanup deletes only these.
export FNE_BENCH_PREFIX="fne-bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
export DJANGO_SETTINGS_MODULE=bench.settings

pg_admin() {
    fne_as_root env $(compgen -e | grep '^PG' | sed 's/^/-u /') \
        runuser -u postgres -- psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"
}

psql_given() {
    # The caller's server and role, connected to the caller's own database (never written to).
    psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 "$GIVEN_DATABASE_URL" "$@"
}

cleanup() {
    local status=$?
    set +e
    if [ -n "$GUNICORN_PID" ]; then
        fne_log "Arrêt de gunicorn (pid $GUNICORN_PID)"
        kill "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null
    fi
    if [ -n "$GIVEN_REDIS_URL" ]; then
        redis-cli -u "$GIVEN_REDIS_URL" --scan --pattern "*$FNE_BENCH_PREFIX*" \
            | xargs -r -d '\n' redis-cli -u "$GIVEN_REDIS_URL" DEL >/dev/null
        fne_log "Redis fourni : clés de ce banc ($FNE_BENCH_PREFIX) supprimées"
    elif [ -n "$REDIS_STARTED" ] && [ -s "$REDIS_PIDFILE" ]; then
        fne_log "Arrêt de Redis (pid $(cat "$REDIS_PIDFILE"))"
        kill "$(cat "$REDIS_PIDFILE")"
    fi
    if [ -n "$BENCH_DB" ]; then
        psql_given -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" >/dev/null 2>&1
        fne_log "Base $BENCH_DB supprimée"
    elif [ -n "$PG_PORT" ]; then
        pg_admin -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
    fi
    if [ -n "$PG_STARTED" ]; then
        fne_log "Arrêt de PostgreSQL $PG_VERSION/$PG_CLUSTER (arrêt rapide)"
        fne_as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# psql and redis-cli come with the servers' packages; only the commands are needed here.
command -v psql >/dev/null || fne_apt_ensure postgresql-client
command -v redis-cli >/dev/null || fne_apt_ensure redis-tools
fne_apt_ensure wrk curl
fne_venv
fne_activate
free_port() { python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- PostgreSQL: the given server and role, or the Debian cluster ---------------------------------
if [ -n "$GIVEN_DATABASE_URL" ]; then
    BENCH_DB="$(python -c 'import sys; from urllib.parse import urlsplit; print(urlsplit(sys.argv[1]).path.lstrip("/") + "_bench")' "$GIVEN_DATABASE_URL")"
    fne_log "PostgreSQL fourni (DATABASE_URL) : base de banc $BENCH_DB, créée puis supprimée"
    psql_given -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)"
    psql_given -c "CREATE DATABASE \"$BENCH_DB\""
    DATABASE_URL="$(python -c 'import sys; from urllib.parse import urlsplit; u = urlsplit(sys.argv[1]); print(u._replace(path="/" + sys.argv[2]).geturl())' "$GIVEN_DATABASE_URL" "$BENCH_DB")"
else
    fne_apt_ensure postgresql
    PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
        fne_as_root pg_createcluster "$PG_VERSION" "$PG_CLUSTER"
    fi
    PG_PORT="$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $3 }')"
    if [ "$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }')" != "online" ]; then
        fne_log "Démarrage de PostgreSQL $PG_VERSION/$PG_CLUSTER (port $PG_PORT)"
        fne_as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
        PG_STARTED=1
    else
        fne_log "PostgreSQL $PG_VERSION/$PG_CLUSTER déjà démarré (port $PG_PORT) : laissé tel quel"
    fi
    PG_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    pg_admin -v user="$PG_USER" -v password="$PG_PASSWORD" -v db="$PG_DB" <<'SQL'
SELECT format('CREATE ROLE %I', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'password';
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') \gexec
SQL
    DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
fi
export DATABASE_URL
PG_SERVER="$(psql --no-psqlrc -tAc 'SHOW server_version' "$DATABASE_URL" | cut -d' ' -f1)"

# --- Redis (cache, rate-limit counters, Celery broker: no worker, the e-mails just queue) -------
if [ -n "$GIVEN_REDIS_URL" ]; then
    fne_log "Redis fourni (REDIS_URL) : préfixe de clés et file Celery $FNE_BENCH_PREFIX"
    export REDIS_URL="$GIVEN_REDIS_URL"
else
    fne_apt_ensure redis-server
    REDIS_PORT="$(free_port)"
    fne_log "Démarrage de Redis (127.0.0.1:$REDIS_PORT)"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --pidfile "$REDIS_PIDFILE" \
        --dir "$WORK" --logfile "$WORK/redis.log" --save '' --appendonly no
    REDIS_STARTED=1
    for _ in $(seq 50); do
        [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] && break
        sleep 0.1
    done
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
fi

# --- Production-like settings -------------------------------------------------------------------
export DEBUG=false CONN_MAX_AGE=60 LOG_LEVEL=WARNING
export STATIC_ROOT="$ROOT/bench/out/static"  # kept between runs: collectstatic then copies little
export MEDIA_ROOT="$WORK/media"

fne_log "Base : migrations, seed_demo (avec le référentiel territorial complet), seed_national --departements 101"
start=$SECONDS
python manage.py migrate --no-input -v 0
python manage.py seed_demo >"$OUT/seed_demo.log"
python manage.py seed_national --departements 101 | tail -n 2
fne_log "Données prêtes en $((SECONDS - start)) s"
fne_log "collectstatic"
python manage.py collectstatic --no-input -v 0
python bench/load.py sessions --out "$WORK/sessions.json"
python bench/load.py participer-prepare --count "$SUBMISSIONS" --out "$WORK/users.json"
fne_log "Requêtes SQL par page (un appel, caches chauds)"
python bench/load.py queries --sessions "$WORK/sessions.json" --out "$OUT/queries.json"
cookie_of() {  # the Cookie header value of a role ("" for a visitor)
    [ "$1" = anonyme ] && return 0
    echo "sessionid=$(python -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/sessions.json" "$1")"
}

# --- gunicorn ------------------------------------------------------------------------------------
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
fne_log "gunicorn : 2 workers sur $BASE (CONN_MAX_AGE=$CONN_MAX_AGE)"
gunicorn fne.wsgi:application --workers 2 --bind "127.0.0.1:$PORT" --backlog 2048 --timeout 120 \
    --error-logfile "$OUT/gunicorn.log" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/sante/")" = "200" ] && break
    sleep 0.2
done

# --- wrk -----------------------------------------------------------------------------------------
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"
measure() {  # measure ROLE LABEL PATH
    local role="$1" label="$2" path="$3" cookie status header=()
    cookie="$(cookie_of "$role")"
    [ -n "$cookie" ] && header=(-H "Cookie: $cookie")
    status="$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "$BASE$path")"
    # Measured anyway: wrk counts the answers that are not 2xx/3xx, and the table shows them.
    [ "$status" = "200" ] || fne_log "$path répond $status au lieu de 200"
    fne_log "wrk $DURATION : $label ($role, $path)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "${header[@]}" "$BASE$path" >/dev/null  # warm-up
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s bench/load_wrk.lua "${header[@]}" "$BASE$path" \
        | tail -n 1 \
        | python -c 'import json, sys; row = json.loads(sys.stdin.read()); row.update(role=sys.argv[1], label=sys.argv[2], url=sys.argv[3]); print(json.dumps(row, ensure_ascii=False))' \
            "$role" "$label" "$path" >>"$RESULTS"
}
python bench/load.py pages --sessions "$WORK/sessions.json" >"$WORK/pages.tsv"
LOAD_BEFORE="$(awk '{ print $1, $2, $3 }' /proc/loadavg)"
for role in anonyme prefecture admin; do
    measure "$role" "Plancher" /sante/
    while IFS=$'\t' read -r page_role label path; do
        [ "$page_role" = "$role" ] || continue
        measure "$role" "$label" "$path"
        measure "$role" "Plancher" /sante/
    done <"$WORK/pages.tsv"
done

memory() {  # the resident size of each gunicorn worker, in MB
    ps -o pid=,rss= --ppid "$GUNICORN_PID" | awk '{ printf "%sworker %s : %.0f Mo", sep, $1, $2 / 1024; sep = ", " }'
}
MEMORY_AFTER_LOAD="$(memory)"
LOAD_AFTER="$(awk '{ print $1, $2, $3 }' /proc/loadavg)"

# --- 200 concurrent submissions --------------------------------------------------------------------
fne_log "$SUBMISSIONS soumissions simultanées du formulaire « participer »"
python bench/load.py participer-submit --url "$BASE" --users "$WORK/users.json" >"$OUT/participer.txt" 2>&1 || true
python bench/load.py participer-check --users "$WORK/users.json" >>"$OUT/participer.txt" 2>&1 || true
MEMORY_AFTER_SUBMISSIONS="$(memory)"

echo
echo "gunicorn 2 workers, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, PostgreSQL $PG_SERVER, Redis, seed_demo + seed_national 101 départements"
echo "Charge de la machine (load average 1, 5, 15 min, $(nproc) cœurs) : $LOAD_BEFORE au début des mesures, $LOAD_AFTER à la fin"
python bench/load.py table "$RESULTS" --queries "$OUT/queries.json" | tee "$OUT/table.txt"
echo
echo "Mémoire résidente des workers gunicorn après les mesures wrk : $MEMORY_AFTER_LOAD (objectif < 250 Mo)" | tee -a "$OUT/table.txt"
echo "… et après les $SUBMISSIONS soumissions : $MEMORY_AFTER_SUBMISSIONS" | tee -a "$OUT/table.txt"
cat "$OUT/participer.txt"
exit 0
