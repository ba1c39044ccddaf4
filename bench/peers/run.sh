#!/usr/bin/env bash
# Issue 6: Strata vs VictoriaMetrics 1.79 vs InfluxDB 1.6 on workload W, every system in one session.
#
#   bench/peers/install.sh      # once, as root: the two peers from Debian bookworm
#   bench/peers/run.sh          # builds Strata, runs everything RUNS times, prints the table
#
# Each run (runs are interleaved, so slow drift hits every system alike):
#   1. the generator's ceiling (Strata.Load --sink), JSON and line protocol;
#   2. per system, per variant (walk = 2-decimal float random walk, counter = integer counter):
#      fresh data dir, start, write W (G1), settle, measure bytes (G2), and on the walk variant
#      time the queries (G3) right after the write and once the data is settled.
# Results: $OUT/raw.tsv (run, system, variant, metric, value), $OUT/table.md, $OUT/env.txt and the
# output of every step in $OUT/logs. See bench/peers.md.
#
# Environment: RUNS (3), SYSTEMS ("strata vm influx"), QUIET_WAIT=1 (on a shared machine: before each
# write and query phase wait until other work uses < QUIET_CORES (0.15) cores; see wait_quiet),
# SKIP_BUILD=1 (use existing builds),
# KEEP_DATA=1 (keep the data dirs), STRATA_BIN / LOAD_DLL (other builds, see lib.sh; STRATA_COMMIT notes where
# that server build came from in env.txt), and lib.sh's settings.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-3}
SYSTEMS=${SYSTEMS:-strata vm influx}
TOTAL=$((SERIES * POINTS))
RAW=$OUT/raw.tsv

STRATA_URL=http://127.0.0.1:$STRATA_PORT
VM_URL=http://127.0.0.1:$VM_PORT
INFLUX_URL=http://127.0.0.1:$INFLUX_PORT

# The data spans [START_S, START_S + SPAN_S) with points every INTERVAL_S.
SPAN_S=$((POINTS * INTERVAL_S))
VM_END=$((START_S + (SPAN_S + 3599) / 3600 * 3600)) # query_range: 1 h steps over the whole span
VM_TIME=$((START_S + SPAN_S))                        # instant queries: just after the last point
VM_WINDOW=$((SPAN_S + 3600))s                        # a look-behind holding every point (left-open)

# G3 queries: the same question in each system's language.
#   mean1h: hourly mean of one series over all its data (28 buckets)
#   count:  number of points of every series (1,000 answers)
#   total:  number of points of all series together (one answer; not run on Strata, see peers.md)
STRATA_Q_mean1h='select mean(c0) from cpu.host1 group by time(1h)'
STRATA_Q_count='select count(c0) from /cpu.*/'
# fill(none): 1.x otherwise emits a null for every empty hour up to now() (1.8 MB of nulls);
# 0.8 and Strata leave empty buckets out.
INFLUX_Q_mean1h="select mean(c0) from cpu where host='host1' group by time(1h) fill(none)"
INFLUX_Q_count='select count(c0) from cpu group by host'
INFLUX_Q_total='select count(c0) from cpu'
# VictoriaMetrics names line-protocol fields <measurement>_<field> and adds db="<db>" as a label.
VM_Q_mean1h='avg_over_time(cpu_c0{host="host1"}[1h])'
VM_Q_count="count_over_time(cpu_c0[$VM_WINDOW])"
VM_Q_total="sum(count_over_time(cpu_c0[$VM_WINDOW]))"

urlencode() {
    local s=$1 i c out=
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
        [a-zA-Z0-9.~_-]) out+=$c ;;
        *) printf -v c '%%%02X' "'$c"; out+=$c ;;
        esac
    done
    printf '%s' "$out"
}

vm_path() { # NAME: the GET path of a VictoriaMetrics query
    case $1 in
    mean1h) echo "/api/v1/query_range?query=$(urlencode "$VM_Q_mean1h")&start=$START_S&end=$VM_END&step=1h" ;;
    count) echo "/api/v1/query?query=$(urlencode "$VM_Q_count")&time=$VM_TIME" ;;
    total) echo "/api/v1/query?query=$(urlencode "$VM_Q_total")&time=$VM_TIME" ;;
    esac
}

rec() { [ -z "$4" ] || printf '%s\t%s\t%s\t%s\t%s\n' "$RUN" "$1" "$2" "$3" "$4" >>"$RAW"; } # empty: not recorded
calc() { awk "BEGIN { printf \"${2:-%.3f}\", ($1) }"; } # calc 'EXPRESSION' [FORMAT]: arithmetic on decimals
field() { awk -v k="$1" -v n="${3:-2}" '$1 == k { gsub(",", "", $n); print $n; exit }' "$2"; }

# Interference from other work on the machine: busy CPU time of the whole machine (/proc/stat)
# minus the server's and the load tool's own, over one measured step, in cores.
machine_busy() { awk -v t="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / t }' /proc/stat; }
# CHILD_CPU = user + system CPU of this shell's finished children (bash `times`, second line);
# not in $(...): a subshell has its own (empty) children account.
children_cpu() {
    times >"$WORK/times.txt"
    CHILD_CPU=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); s += a[1] * 60 + a[2] } printf "%.2f", s }' "$WORK/times.txt")
}
step_begin() { # SERVER_PID or -
    STEP_T0=$(date +%s.%N); STEP_B0=$(machine_busy); children_cpu; STEP_L0=$CHILD_CPU
    STEP_S0=0; [ "$1" = - ] || STEP_S0=$(cpu_seconds "$1")
}
step_other_cores() { # SERVER_PID or -: OTHER_CORES = the other work's cores since step_begin (or empty)
    local t1 b1 l1 s1=0
    t1=$(date +%s.%N); b1=$(machine_busy); children_cpu; l1=$CHILD_CPU
    [ "$1" = - ] || s1=$(cpu_seconds "$1")
    # Per-process CPU times are sampled in clock ticks: only steps of 2 s and more give a usable figure.
    OTHER_CORES=
    [ "$(calc "$t1 - $STEP_T0 >= 2" %d)" = 1 ] || return 0
    OTHER_CORES=$(calc "(($b1 - $STEP_B0) - ($s1 - $STEP_S0) - ($l1 - $STEP_L0)) / ($t1 - $STEP_T0)" %.2f)
}

# QUIET_WAIT=1: before each write and each query phase, wait (at most QUIET_MAX s) until the rest of the
# machine has used under QUIET_CORES of CPU for 5 s, so other work on a shared machine is less likely
# to land in a measurement. Whatever still overlaps is recorded as other_cores.
wait_quiet() { # SERVER_PID or -
    [ "${QUIET_WAIT:-0}" = 1 ] || return 0
    local pid=$1 t0=$SECONDS b0 b1 s0 s1 other
    while :; do
        b0=$(machine_busy); s0=0; [ "$pid" = - ] || s0=$(cpu_seconds "$pid")
        sleep 5
        b1=$(machine_busy); s1=0; [ "$pid" = - ] || s1=$(cpu_seconds "$pid")
        other=$(calc "(($b1 - $b0) - ($s1 - $s0)) / 5" %.2f)
        [ "$(calc "$other < ${QUIET_CORES:-0.15}" %d)" = 1 ] && break
        if [ $((SECONDS - t0)) -ge "${QUIET_MAX:-900}" ]; then
            log "still $other cores of other work after ${QUIET_MAX:-900} s: measuring anyway"
            break
        fi
        log "waiting for the machine to quieten: $other cores of other work"
    done
    return 0
}

# write_load SYSTEM VARIANT URL FORMAT: writes W, records G1 and both processes' CPU time.
write_load() {
    local sys=$1 var=$2 url=$3 format=$4 f pid c0 c1 secs
    f=$OUT/logs/r$RUN-$sys-$var-write.txt
    pid=$(server_pid "$sys")
    wait_quiet "$pid"
    log "run $RUN: $sys $var: write $TOTAL points ($format)"
    c0=$(cpu_seconds "$pid")
    step_begin "$pid"
    load --url "$url" --format "$format" --values "$var" --create-db --series "$SERIES" --points "$POINTS" \
        --batch "$BATCH" --connections "$CONNECTIONS" >"$f" 2>&1 || { log "write failed: $(tail -1 "$f")"; return 1; }
    step_other_cores "$pid"
    rec "$sys" "$var" other_cores "$OTHER_CORES"
    c1=$(cpu_seconds "$pid")
    secs=$(field seconds "$f")
    rec "$sys" "$var" ingest_pps "$(field points/s "$f")"
    rec "$sys" "$var" write_s "$secs"
    rec "$sys" "$var" ingest_p50_ms "$(field latency "$f" 3)"
    rec "$sys" "$var" ingest_p99_ms "$(field latency "$f" 9)"
    rec "$sys" "$var" server_cpu_s "$(calc "$c1 - $c0" %.2f)"
    rec "$sys" "$var" server_cores "$(calc "($c1 - $c0) / $secs" %.2f)"
    rec "$sys" "$var" gen_cores "$(calc "$(field cpu "$f") / $secs" %.2f)"
    log "run $RUN: $sys $var: $(field points/s "$f") points/s in $secs s"
}

sink_load() { # FORMAT
    local f=$OUT/logs/r$RUN-sink-$1.txt secs
    wait_quiet -
    step_begin -
    load --sink --format "$1" --series "$SERIES" --points "$POINTS" --batch "$BATCH" \
        --connections "$CONNECTIONS" >"$f" 2>&1 || die "sink run failed, see $f"
    step_other_cores -
    rec sink "$1" other_cores "$OTHER_CORES"
    secs=$(field seconds "$f")
    rec sink "$1" ingest_pps "$(field points/s "$f")"
    rec sink "$1" write_s "$secs"
    rec sink "$1" gen_cores "$(calc "$(field cpu "$f") / $secs" %.2f)"
    log "run $RUN: generator ceiling ($1): $(field points/s "$f") points/s"
}

# query SYSTEM PHASE NAME LOAD_ARGS...: REPEAT timed requests after WARMUP untimed ones, one connection.
query() {
    local sys=$1 phase=$2 name=$3 f f0 s0 f1 s1
    shift 3
    f=$OUT/logs/r$RUN-$sys-walk-$phase-$name.txt
    [ "$sys" != strata ] || read -r f0 s0 <<<"$(strata_blocks)"
    step_begin "$(server_pid "$sys")"
    load --repeat "$REPEAT" --warmup "$WARMUP" "$@" >"$f" 2>&1 || die "query failed, see $f"
    if [ "$sys" = strata ]; then
        # Segment blocks answered from their statistics / decoded and summarised, per request.
        read -r f1 s1 <<<"$(strata_blocks)"
        rec strata walk "q_${name}_${phase}_folded" "$(calc "($f1 - $f0) / ($REPEAT + $WARMUP)" %.0f)"
        rec strata walk "q_${name}_${phase}_summarised" "$(calc "($s1 - $s0) / ($REPEAT + $WARMUP)" %.0f)"
    fi
    step_other_cores "$(server_pid "$sys")"
    rec "$sys" walk "q_${name}_${phase}_other_cores" "$OTHER_CORES"
    rec "$sys" walk "q_${name}_${phase}_p50_ms" "$(field latency "$f" 3)"
    rec "$sys" walk "q_${name}_${phase}_p99_ms" "$(field latency "$f" 9)"
    rec "$sys" walk "q_${name}_${phase}_bytes" "$(field response "$f")"
    log "run $RUN: $sys $phase $name: p50 $(field latency "$f" 3) ms"
}

strata_blocks() { # "folded summarised": Strata's block counters from /metrics
    curl -fs "$STRATA_URL/metrics" | awk '$1 == "strata_query_blocks_folded_total" { f = $2 } $1 == "strata_query_blocks_summarised_total" { s = $2 } END { print f + 0, s + 0 }'
}

strata_queries() { # PHASE
    wait_quiet "$(server_pid strata)"
    query strata "$1" mean1h --url "$STRATA_URL" --query "$STRATA_Q_mean1h"
    query strata "$1" count --url "$STRATA_URL" --query "$STRATA_Q_count"
}
vm_queries() { # PHASE
    wait_quiet "$(server_pid vm)"
    local q
    for q in mean1h count total; do query vm "$1" "$q" --url "$VM_URL" --get "$(vm_path $q)"; done
}
influx_queries() { # PHASE
    wait_quiet "$(server_pid influx)"
    query influx "$1" mean1h --url "$INFLUX_URL" --format line --query "$INFLUX_Q_mean1h"
    query influx "$1" count --url "$INFLUX_URL" --format line --query "$INFLUX_Q_count"
    query influx "$1" total --url "$INFLUX_URL" --format line --query "$INFLUX_Q_total"
}

# check SYSTEM PHASE: every point is there and visible (the count queries' answers add up to W).
check() {
    local sys=$1 phase=$2 n f=$OUT/logs/r$RUN-$1-walk-$2-answers.txt
    case $sys in
    strata)
        n=$(curl -fsG "$STRATA_URL/db/load/series" --data-urlencode "q=$STRATA_Q_count" -d u=root -d p=root |
            grep -o '\[\[[0-9]*,[0-9]*\]\]' | tr -d '[]' | awk -F, '{ s += $2 } END { print s + 0 }')
        curl -fsG "$STRATA_URL/db/load/series" --data-urlencode "q=$STRATA_Q_mean1h" -d u=root -d p=root >"$f" ;;
    vm)
        n=$(curl -fs "$VM_URL$(vm_path total)" | grep -o '"value":\[[0-9.]*,"[0-9]*"' | sed 's/.*,"//; s/"//')
        curl -fs "$VM_URL$(vm_path mean1h)" >"$f" ;;
    influx)
        n=$(curl -fsG "$INFLUX_URL/query" --data-urlencode db=load --data-urlencode "q=$INFLUX_Q_total" |
            grep -o '"values":\[\["[^"]*",[0-9]*' | sed 's/.*,//')
        curl -fsG "$INFLUX_URL/query" --data-urlencode db=load --data-urlencode "q=$INFLUX_Q_mean1h" >"$f" ;;
    esac
    echo >>"$f"
    rec "$sys" walk "points_seen_$phase" "${n:-0}"
    [ "${n:-0}" = "$TOTAL" ] || log "WARNING: $sys $phase counts ${n:-0} points, expected $TOTAL"
}

# bytes_of SYSTEM VARIANT METRIC DIR [find tests]: records bytes and bytes per point.
bytes_of() {
    local sys=$1 var=$2 m=$3 dir=$4 b
    shift 4
    b=$(bytes "$dir" "$@")
    rec "$sys" "$var" "${m}_bytes" "$b"
    rec "$sys" "$var" "${m}_bpp" "$(calc "$b / $TOTAL")"
}
alloc_of() { # SYSTEM VARIANT DIR: allocated blocks (du), which differs for sparse/preallocated files
    local b
    b=$(du -sB1 "$3" | cut -f1)
    rec "$1" "$2" dir_alloc_bytes "$b"
    rec "$1" "$2" dir_alloc_bpp "$(calc "$b / $TOTAL")"
}

# ---- Strata: SIGTERM flushes every memtable into segments; bytes are measured on the stopped dir.
strata_run() {
    local var dir t try
    for var in walk counter; do
        dir=$WORK/data-strata-$var
        # Builds before 5550069 could fail a fresh database's first concurrent writes with 400 "No shard
        # space matches series ... and a space named default already exists" (a race in RouteWrite, fixed
        # there): for such builds start over with a fresh data dir, at most 3 times, and count it.
        for try in 1 2 3 4; do
            [ $try -le 3 ] || die "strata: write failed 3 times"
            rm -rf "$dir"
            start_strata "$dir"
            write_load strata "$var" "$STRATA_URL" json && break
            rec strata "$var" write_failures 1
            stop_server strata
        done
        if [ "$var" = walk ]; then
            check strata mem
            strata_queries mem
        fi
        t=$SECONDS
        stop_server strata
        rec strata "$var" stop_s $((SECONDS - t))
        bytes_of strata "$var" main "$dir" -name '*.seg'
        rec strata "$var" seg_files "$(find "$dir" -name '*.seg' | wc -l)"
        bytes_of strata "$var" dir "$dir"
        alloc_of strata "$var" "$dir"
        if [ "$var" = walk ]; then
            start_strata "$dir"
            check strata seg
            strata_queries seg
            stop_server strata
        fi
        [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$dir"
    done
}

# ---- VictoriaMetrics: force_flush, then wait until no merge runs and the dir size holds still.
vm_settle() { # DIR
    local dir=$1 t0=$SECONDS last=-1 size merges stable=0
    curl -fs "$VM_URL/internal/force_flush" >/dev/null
    while :; do
        sleep 2
        merges=$(curl -fs "$VM_URL/metrics" | awk '/^vm_active_merges/ { s += $2 } END { print s + 0 }')
        size=$(bytes "$dir")
        if [ "$merges" = 0 ] && [ "$size" = "$last" ]; then stable=$((stable + 1)); else stable=0; fi
        last=$size
        [ $stable -ge 3 ] && break
        if [ $((SECONDS - t0)) -ge "$SETTLE_TIMEOUT" ]; then log "WARNING: vm did not settle"; break; fi
    done
    echo $((SECONDS - t0))
}

vm_run() {
    local var dir
    for var in walk counter; do
        dir=$WORK/data-vm-$var
        rm -rf "$dir"
        start_vm "$dir"
        write_load vm "$var" "$VM_URL" line || die "vm: write failed"
        curl -fs "$VM_URL/internal/force_flush" >/dev/null # make the just-written rows searchable
        if [ "$var" = walk ]; then
            check vm write
            vm_queries write
        fi
        rec vm "$var" settle_s "$(vm_settle "$dir")"
        # main = the storage itself: data parts plus the inverted index (indexdb).
        rec vm "$var" data_bytes "$(bytes "$dir/data")"
        rec vm "$var" indexdb_bytes "$(bytes "$dir/indexdb")"
        rec vm "$var" main_bytes $(($(bytes "$dir/data") + $(bytes "$dir/indexdb")))
        rec vm "$var" main_bpp "$(calc "($(bytes "$dir/data") + $(bytes "$dir/indexdb")) / $TOTAL")"
        bytes_of vm "$var" dir "$dir"
        alloc_of vm "$var" "$dir"
        if [ "$var" = walk ]; then vm_queries settled; fi
        stop_server vm
        bytes_of vm "$var" stopped "$dir" # adds the caches VictoriaMetrics saves on shutdown (cache/)
        if [ "$var" = walk ]; then
            # Its rollup result cache answers repeated range queries from memory; time it without too.
            start_vm "$dir" -search.disableCache
            check vm nocache
            vm_queries nocache
            stop_server vm
        fi
        [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$dir"
    done
}

# ---- InfluxDB 1.6: wait for the cache snapshot (WAL emptied) and the full compaction (one TSM
# file per shard), with the cold durations shortened in lib.sh's config (10 s and 30 s).
influx_settle() { # DIR
    local dir=$1 t0=$SECONDS last=-1 size wal tmp multi stable=0
    while :; do
        sleep 2
        wal=$(bytes "$dir/wal" -name '*.wal')
        tmp=$(find "$dir/data" -name '*.tmp' | wc -l)
        multi=$(find "$dir/data" -name '*.tsm' -printf '%h\n' | sort | uniq -d | wc -l)
        size=$(bytes "$dir")
        if [ "$wal" = 0 ] && [ "$tmp" = 0 ] && [ "$multi" = 0 ] && [ "$size" = "$last" ]; then
            stable=$((stable + 1))
        else
            stable=0
        fi
        last=$size
        [ $stable -ge 3 ] && break
        if [ $((SECONDS - t0)) -ge "$SETTLE_TIMEOUT" ]; then log "WARNING: influx did not settle"; break; fi
    done
    echo $((SECONDS - t0))
}

influx_run() {
    local var dir
    for var in walk counter; do
        dir=$WORK/data-influx-$var
        rm -rf "$dir"
        start_influx "$dir"
        write_load influx "$var" "$INFLUX_URL" line || die "influx: write failed"
        if [ "$var" = walk ]; then
            check influx write
            influx_queries write
        fi
        rec influx "$var" settle_s "$(influx_settle "$dir")"
        bytes_of influx "$var" main "$dir/data" -name '*.tsm'
        bytes_of influx "$var" series "$dir/data" -path '*/_series/*'
        bytes_of influx "$var" wal "$dir/wal"
        bytes_of influx "$var" dir "$dir"
        alloc_of influx "$var" "$dir"
        if [ "$var" = walk ]; then
            check influx settled
            influx_queries settled
        fi
        stop_server influx
        [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$dir"
    done
}

cleanup() {
    local n
    for n in strata vm influx; do stop_server "$n"; done
    [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$WORK"/data-*
}

# ---- main
command -v dotnet >/dev/null || die "needs the .NET 10 SDK (dotnet)"
[ -x "$VM_BIN" ] && [ -x "$INFLUXD_BIN" ] || die "peers missing: run bench/peers/install.sh (as root) first"
for p in "$STRATA_PORT" "$VM_PORT" "$INFLUX_PORT" "$INFLUX_RPC_PORT"; do
    port_busy "$p" && die "port $p is taken: $(ss -ltnpH "sport = :$p")"
done
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building Strata.Server (native, dotnet publish) and Strata.Load (Release)"
    (cd "$REPO" && dotnet publish -c Release src/Strata.Server >/dev/null && dotnet build -c Release bench/Strata.Load >/dev/null) ||
        die "build failed"
fi
[ -f "$STRATA_BIN" ] && [ -f "$LOAD_DLL" ] || die "no build at $STRATA_BIN / $LOAD_DLL"

mkdir -p "$WORK" "$OUT/logs"
: >"$RAW"
trap cleanup EXIT
{
    echo "date: $(date -u +%FT%TZ)"
    echo "repo: $REPO at $(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ has uncommitted changes)')"
    [ -z "${STRATA_COMMIT:-}" ] || echo "strata built from commit: $STRATA_COMMIT"
    echo "strata: $STRATA_BIN ($("${STRATA_CMD[@]}" --version 2>&1 | head -1), built $(date -u -r "$STRATA_BIN" +%FT%TZ))"
    echo "load: $LOAD_DLL (built $(date -u -r "$LOAD_DLL" +%FT%TZ))"
    echo "peers: $(dpkg-query -W -f '${Package} ${Version}; ' influxdb victoria-metrics 2>/dev/null)$("$INFLUXD_BIN" version 2>&1 | head -1)"
    echo "dotnet: $(dotnet --version)"
    echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ { print $2 }') GiB RAM, $(uname -sr)"
    echo "quiet wait: ${QUIET_WAIT:-0} (threshold ${QUIET_CORES:-0.15} cores, at most ${QUIET_MAX:-900} s)"
    echo "workload: $SERIES series x $POINTS points = $TOTAL points, batch $BATCH, $CONNECTIONS connections, $RUNS runs, queries $WARMUP warm-up + $REPEAT timed"
} | tee "$OUT/env.txt" >&2

for ((RUN = 1; RUN <= RUNS; RUN++)); do
    sink_load json
    sink_load line
    for s in $SYSTEMS; do "${s}_run"; done
done

"$PEERS_DIR/table.sh" "$RAW" | tee "$OUT/table.md"
log "raw results in $RAW, logs in $OUT/logs"
