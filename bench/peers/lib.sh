# Shared settings and helpers for bench/peers/*.sh (sourced, not run).
# Every setting below can be overridden from the environment, e.g. POINTS=1000 ./run.sh for a quick try.

PEERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$PEERS_DIR/../.." && pwd)

WORK=${WORK:-/tmp/strata-peers}           # data directories, configs, logs and pid files of the servers
OUT=${OUT:-$WORK/results}                 # raw.tsv, table.md, env.txt, per-step logs

STRATA_PORT=${STRATA_PORT:-8086}          # Strata's default
VM_PORT=${VM_PORT:-8428}                  # VictoriaMetrics' default
INFLUX_PORT=${INFLUX_PORT:-8087}          # InfluxDB 1.6 HTTP (8086 is Strata's)
INFLUX_RPC_PORT=${INFLUX_RPC_PORT:-8098}  # InfluxDB 1.6 backup/RPC listener (default 8088)

# The server as it ships: the native binary `dotnet publish -c Release src/Strata.Server` makes. A .dll (the JIT
# build of `dotnet build -c Release`) runs under dotnet, for comparing the two.
STRATA_BIN=${STRATA_BIN:-$REPO/src/Strata.Server/bin/Release/net10.0/linux-x64/publish/Strata.Server}
if [[ $STRATA_BIN == *.dll ]]; then STRATA_CMD=(dotnet "$STRATA_BIN"); else STRATA_CMD=("$STRATA_BIN"); fi
LOAD_DLL=${LOAD_DLL:-$REPO/bench/Strata.Load/bin/Release/net10.0/Strata.Load.dll}
VM_BIN=${VM_BIN:-/usr/bin/victoria-metrics}
INFLUXD_BIN=${INFLUXD_BIN:-/usr/bin/influxd}

# Workload W (issue 6): 1,000 series x 10,000 points, 10 s spacing from 2020-01-01, batch 5,000, 4 connections.
SERIES=${SERIES:-1000}
POINTS=${POINTS:-10000}
BATCH=${BATCH:-5000}
CONNECTIONS=${CONNECTIONS:-4}
INTERVAL_S=10
START_S=1577836800                        # 2020-01-01T00:00:00Z, Strata.Load's default --start
REPEAT=${REPEAT:-30}                      # measured requests per query
WARMUP=${WARMUP:-3}                       # unmeasured requests first
SETTLE_TIMEOUT=${SETTLE_TIMEOUT:-900}     # seconds to wait for a peer's merges/compactions

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

load() { dotnet "$LOAD_DLL" "$@"; }

port_busy() { ss -ltnH "sport = :$1" | grep -q .; }

# wait_http URL SECONDS: until URL answers 2xx.
wait_http() {
    local url=$1 limit=${2:-120} i
    for ((i = 0; i < limit * 5; i++)); do
        curl -fs -o /dev/null "$url" && return 0
        sleep 0.2
    done
    die "$url did not answer within $limit s"
}

# cpu_seconds PID: user + system CPU time of a process so far (from /proc/PID/stat).
cpu_seconds() {
    local tck
    tck=$(getconf CLK_TCK)
    sed 's/^.*) //' "/proc/$1/stat" | awk -v t="$tck" '{ printf "%.2f", ($12 + $13) / t }'
}

# bytes DIR [find tests...]: sum of the sizes of the regular files under DIR (apparent size).
bytes() {
    local dir=$1
    shift
    [ -d "$dir" ] || { echo 0; return; }
    find "$dir" -type f "$@" -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }'
}

pidfile() { echo "$WORK/$1.pid"; }

# start_bg NAME LOGFILE CMD...: starts a server in the background and records its pid.
start_bg() {
    local name=$1 logfile=$2
    shift 2
    "$@" >"$logfile" 2>&1 &
    echo $! >"$(pidfile "$name")"
}

# stop_server NAME: SIGTERM to the recorded pid, then wait for the exit (they flush on SIGTERM).
stop_server() {
    local name=$1 f pid i
    f=$(pidfile "$name")
    [ -f "$f" ] || return 0
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for ((i = 0; i < 3000; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name (pid $pid) still running 300 s after SIGTERM: SIGKILL"
            kill -KILL "$pid"
        fi
        wait "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
}

server_pid() { cat "$(pidfile "$1")"; }

start_strata() { # DATA_DIR
    port_busy "$STRATA_PORT" && die "port $STRATA_PORT is taken"
    mkdir -p "$1"
    start_bg strata "$WORK/strata.log" "${STRATA_CMD[@]}" --data-dir "$1" --api-port "$STRATA_PORT"
    wait_http "http://127.0.0.1:$STRATA_PORT/ping"
}

start_vm() { # DATA_DIR [EXTRA_FLAGS...]
    local dir=$1
    shift
    port_busy "$VM_PORT" && die "port $VM_PORT is taken"
    mkdir -p "$dir"
    start_bg vm "$WORK/vm.log" "$VM_BIN" -retentionPeriod=100y -storageDataPath="$dir" \
        -httpListenAddr="127.0.0.1:$VM_PORT" "$@"
    wait_http "http://127.0.0.1:$VM_PORT/ping"
}

# InfluxDB 1.6 with everything under DIR. Beyond paths and ports, three settings differ from the
# package defaults: reporting off, the _internal monitor database off (it would add its own
# points and bytes), and the cold durations after which the cache is snapshotted to TSM (10m)
# and a shard is fully compacted (4h) shortened to 10 s and 30 s, so G2 does not wait 4 hours.
influx_config() { # DIR
    cat <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$INFLUX_RPC_PORT"
[meta]
  dir = "$1/meta"
[data]
  dir = "$1/data"
  wal-dir = "$1/wal"
  cache-snapshot-write-cold-duration = "10s"
  compact-full-write-cold-duration = "30s"
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
CONF
}

start_influx() { # DATA_DIR
    port_busy "$INFLUX_PORT" && die "port $INFLUX_PORT is taken"
    port_busy "$INFLUX_RPC_PORT" && die "port $INFLUX_RPC_PORT is taken"
    mkdir -p "$1"
    influx_config "$1" >"$WORK/influxdb.conf"
    start_bg influx "$WORK/influx.log" "$INFLUXD_BIN" -config "$WORK/influxdb.conf"
    wait_http "http://127.0.0.1:$INFLUX_PORT/ping"
}
