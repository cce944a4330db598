#!/usr/bin/env bash
# Load benchmark (not a test): the platform served by gunicorn on loopback over seed_national data
# on PostgreSQL, measured with wrk; then 200 concurrent « participer » submissions, counted.
#
#   bench/load.sh                 # about 5 minutes; prints the table at the end
#   LOAD_DURATION=5s bench/load.sh
#
# Bounded and loopback-only: PostgreSQL (the Debian cluster; started only if it was stopped),
# Redis and gunicorn listen on 127.0.0.1, each wrk run lasts LOAD_DURATION (10 s) with 2 threads
# and 16 connections. A scratch database (fne_load) is created and dropped. Only what this script
# started is stopped, by pid. Output and logs go to bench/out/load/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/_common.sh"
cd "$ROOT"

DURATION="${LOAD_DURATION:-10s}"
THREADS=2
CONNECTIONS=16
SUBMISSIONS="${LOAD_SUBMISSIONS:-200}"
OUT="$ROOT/bench/out/load"
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/fne-load.XXXXXX)"
chmod 755 "$WORK"
PG_VERSION=""
PG_CLUSTER=main
PG_STARTED=""
PG_DB=fne_load
PG_USER=fne_load
REDIS_PIDFILE="$WORK/redis.pid"
REDIS_STARTED=""
GUNICORN_PID=""

pg_admin() {
    fne_as_root env $(compgen -e | grep '^PG' | sed 's/^/-u /') \
        runuser -u postgres -- psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"
}

cleanup() {
    local status=$?
    set +e
    if [ -n "$GUNICORN_PID" ]; then
        fne_log "Arrêt de gunicorn (pid $GUNICORN_PID)"
        kill "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null
    fi
    if [ -n "$REDIS_STARTED" ] && [ -s "$REDIS_PIDFILE" ]; then
        fne_log "Arrêt de Redis (pid $(cat "$REDIS_PIDFILE"))"
        kill "$(cat "$REDIS_PIDFILE")"
    fi
    if [ -n "${PG_PORT:-}" ]; then
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

fne_apt_ensure postgresql redis-server wrk curl
fne_venv
fne_activate
free_port() { python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- PostgreSQL (as .ci/run does), with a scratch database ----------------------------------------
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
export DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"

# --- Redis (cache, rate-limit counters, Celery broker: no worker, the e-mails just queue) -------
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

# --- Production-like settings -------------------------------------------------------------------
export DEBUG=false CONN_MAX_AGE=60 LOG_LEVEL=WARNING
export STATIC_ROOT="$ROOT/bench/out/static"  # kept between runs: collectstatic then copies little
export MEDIA_ROOT="$WORK/media"

fne_log "Base : migrations, référentiel territorial complet, seed_national --departements 101"
start=$SECONDS
python manage.py migrate --no-input -v 0
python manage.py import_territoires -v 0
python manage.py seed_national --departements 101 | tail -n 2
fne_log "Données prêtes en $((SECONDS - start)) s"
fne_log "collectstatic"
python manage.py collectstatic --no-input -v 0
python bench/load.py sessions --out "$WORK/sessions.json"
python bench/load.py participer-prepare --count "$SUBMISSIONS" --out "$WORK/users.json"
ADMIN_COOKIE="sessionid=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["admin"])' "$WORK/sessions.json")"
PREFECTURE_COOKIE="sessionid=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["prefecture"])' "$WORK/sessions.json")"

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
measure() {  # measure LABEL PATH COOKIE BASELINE
    local label="$1" path="$2" cookie="$3" baseline="$4" status header=()
    [ -n "$cookie" ] && header=(-H "Cookie: $cookie")
    status="$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "$BASE$path")"
    if [ "$status" != "200" ]; then
        fne_log "$path répond $status au lieu de 200 : mesure impossible"
        exit 1
    fi
    fne_log "wrk $DURATION : $label ($path)"
    wrk -t2 -c16 -d2s "${header[@]}" "$BASE$path" >/dev/null  # warm-up (connections, caches)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s bench/load_wrk.lua "${header[@]}" "$BASE$path" \
        | tail -n 1 \
        | python -c 'import json, sys; row = json.loads(sys.stdin.read()); row.update(label=sys.argv[1], url=sys.argv[2], baseline=sys.argv[3] == "1"); print(json.dumps(row, ensure_ascii=False))' \
            "$label" "$path" "$baseline" >>"$RESULTS"
}
measure "Vue triviale (contrôle de santé)" /sante/ "" 1
measure "Page d'entrée publique" /gouvernance/ "" 0
measure "Accueil du département (préfecture)" "/departements/58/" "$PREFECTURE_COOKIE" 0
measure "Tableau de bord du département" "/departements/58/donnees/" "" 0
measure "Tableau de bord national (admin)" /national/ "$ADMIN_COOKIE" 0
measure "Liste des candidats (préfecture)" "/departements/58/candidats/" "$PREFECTURE_COOKIE" 0

# --- 200 concurrent submissions --------------------------------------------------------------------
fne_log "$SUBMISSIONS soumissions simultanées du formulaire « participer »"
python bench/load.py participer-submit --url "$BASE" --users "$WORK/users.json" | tee "$OUT/participer.txt"
python bench/load.py participer-check --users "$WORK/users.json" | tee -a "$OUT/participer.txt"

echo
echo "gunicorn 2 workers, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, PostgreSQL $PG_VERSION, seed_national 101 départements"
python bench/load.py table "$RESULTS" | tee "$OUT/table.txt"
